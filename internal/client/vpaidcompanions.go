package client

import (
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/vastext"
)

// CompanionsFromVAST reads the companions a VPAID unit returns from
// getAdCompanions (VAST CompanionAds XML, see vastext.Companions) and
// writes them as a JSON array in the companions shape of the adstart
// detail, so the companion renderer takes them like MediaTailor's own.
// It is "[]" when the text holds none.
func CompanionsFromVAST(xml string) string {
	cs := vastext.Companions(xml)
	var w jsonw.Writer
	w.BeginArray()
	for i := range cs {
		writeCompanion(&w, &cs[i])
	}
	w.EndArray()
	return string(w.Bytes())
}
