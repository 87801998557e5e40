package client

import (
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/availkit/availkit/internal/vastext"
)

// writeSIMID writes the adstart detail's "simid" field: the ad's SIMID
// creative ({url, type, variableDuration, adParameters}) as MediaTailor
// passes it in extensions[], or null. adParameters are the Linear's, which
// SIMID hands the creative in Player:init's creativeData.
func writeSIMID(w *jsonw.Writer, ad *tracking.Ad) {
	w.Key("simid")
	s, ok := vastext.FindSIMID(ad.Extensions)
	if !ok {
		w.Null()
		return
	}
	w.BeginObject()
	w.StrField("url", s.URL)
	w.StrField("type", s.Type)
	w.BoolField("variableDuration", s.VariableDuration)
	w.StrField("adParameters", ad.AdParameters)
	w.EndObject()
}
