package vast

import (
	"encoding/xml"
	"fmt"
	"strings"
)

// simidScenarios maps each SIMID scenario to its creative under
// /creatives/ and its line in Scenarios.
var simidScenarios = map[string]struct{ file, doc string }{
	"simid": {"simid-good.html",
		"one ad with a SIMID 1.1 creative (/creatives/simid-good.html) over the stitched video; InteractiveCreativeFile in extensions[]"},
	"simid-never-resolves": {"simid-never-resolves.html",
		"SIMID creative that never answers Player:init: the player times it out (SIMID 1208, VAST 902), the ad plays on"},
	"simid-rejects": {"simid-rejects.html",
		"SIMID creative that rejects Player:init (creative error 1104): unloaded, the ad plays on"},
	"simid-flood": {"simid-flood.html",
		"SIMID creative that floods the player with messages: cut off (1205), the ad plays on"},
	"simid-navigate-top": {"simid-navigate-top.html",
		"SIMID creative that tries to navigate the top page and reach the host's data: nothing reaches the host"},
	"simid-click-no-gesture": {"simid-click-no-gesture.html",
		"SIMID creative that sends clickThru without a user gesture: refused, no window, no clickTracking"},
}

func init() {
	for name, s := range simidScenarios {
		Scenarios[name] = s.doc
	}
}

// simid is the single ad of a SIMID scenario: a bundled video stitched as
// usual, plus the interactive file MediaTailor reports in extensions[]. A
// VAST 4 document carries it in <MediaFiles>, a VAST 3 one in an
// <Extension type="InteractiveCreativeFile">, the two forms of AWS's
// player-controls page. The ad's clickThrough is the landing page the
// creative's clickThru falls back to.
func (g *gen) simid(scenario string) Ad {
	// The 10 s creative: long enough for a test to click inside it.
	ad := g.linear(1, 2, linearOpts{})
	inl := ad.InLine
	lin := inl.Creatives[0].Linear
	file := simidScenarios[scenario].file
	inl.AdTitle = "SIMID " + file
	// trackingUrl is what the creative hands back in reportTracking.
	lin.AdParameters = fmt.Sprintf(`{"label":%q,"clickThrough":%q,"trackingUrl":%q}`, inl.AdTitle,
		lin.VideoClicks.ClickThrough, g.beacon("simidReport", ad.ID, ""))
	icf := InteractiveCreativeFile{Type: "text/html", APIFramework: "SIMID", URL: g.Base + "/creatives/" + file}
	if strings.HasPrefix(g.Version, "3") {
		// A struct of strings always marshals.
		inner, _ := xml.Marshal(icf)
		inl.Extensions = append(inl.Extensions, Extension{Type: "InteractiveCreativeFile", Inner: string(inner)})
		return ad
	}
	lin.InteractiveCreativeFiles = []InteractiveCreativeFile{icf}
	return ad
}
