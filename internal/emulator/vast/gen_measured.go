package vast

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
)

// This file generates the Open Measurement and icon scenarios (issue 16):
// ads with OM verification entries and ads with industry icons.

// omidVendor is the vendor of the scenarios' verification script.
const omidVendor = "availkit.test-omid"

// measured returns the one ad of the omid and icons scenarios.
func (g *gen) measured(s string) Ad {
	ad := g.linear(1, 1, linearOpts{})
	inl := ad.InLine
	switch s {
	case "omid", "omid-vast3":
		g.addVerifications(inl, []Verification{g.verification(ad.ID, omidVendor, g.Base+"/creatives/omid-verification.js")})
	case "omid-broken":
		// One script that does not load (VAST [REASON] 3 with an OM
		// service) and one vendor the test service rejects (1).
		g.addVerifications(inl, []Verification{
			g.verification(ad.ID, "availkit.test-missing", g.Base+"/vast/assets/omid-missing.js"),
			g.verification(ad.ID, "availkit.test-rejected", g.Base+"/creatives/omid-verification.js"),
		})
	case "icons":
		lin := inl.Creatives[0].Linear
		lin.Icons = g.icons(ad.ID)
		inl.Extensions = append(inl.Extensions, Extension{Type: "IconClickFallbackImages", Inner: g.wtaFallback()})
	}
	return ad
}

// verification is one OM verification whose parameters tell the script
// where to report the events it receives: the collector, under the event
// name "omid-<event>".
func (g *gen) verification(adID, vendor, script string) Verification {
	report := strings.Replace(g.beacon("omid-EVENT", adID, "vendor="+url.QueryEscape(vendor)), "omid-EVENT", "omid-{event}", 1)
	params := fmt.Sprintf(`{"report":%q,"vendor":%q}`, report, vendor)
	return Verification{
		Vendor:             vendor,
		JavaScriptResource: []Resource{{APIFramework: "omid", BrowserOptional: true, URL: script}},
		TrackingEvents: []Tracking{{Event: "verificationNotExecuted",
			URL: g.beacon("verificationNotExecuted", adID, "vendor="+url.QueryEscape(vendor)+"&reason=[REASON]")}},
		VerificationParameters: params,
	}
}

// addVerifications puts vs in the VAST 4.1 <AdVerifications> of inl, or,
// in a VAST 3 document, in an <Extension type="AdVerifications"> as the
// AWS integrations page shows.
func (g *gen) addVerifications(inl *InLine, vs []Verification) {
	if !strings.HasPrefix(g.Version, "3") {
		inl.AdVerifications = vs
		return
	}
	b, err := xml.Marshal(struct {
		XMLName       xml.Name       `xml:"AdVerifications"`
		Verifications []Verification `xml:"Verification"`
	}{Verifications: vs})
	if err != nil {
		return // plain structs of strings always marshal
	}
	inl.Extensions = append(inl.Extensions, Extension{Type: "AdVerifications", Inner: string(b)})
}

// icons are an AdChoices icon with a click-through (top right, from 1 s to
// the end) and a Google "Why this ad" icon without one (bottom left, the
// first 8 s), whose click opens the fallback image panel.
func (g *gen) icons(adID string) []Icon {
	mk := func(program, key, x, y, offset, duration, clickThrough string) Icon {
		return Icon{Program: program, Width: "24", Height: "24", XPosition: x, YPosition: y, Offset: offset, Duration: duration,
			StaticResource: &StaticResource{CreativeType: "image/svg+xml", URL: g.Base + "/creatives/icon-" + key + ".svg"},
			ClickThrough:   clickThrough,
			ClickTracking:  []string{g.beacon("iconClickTracking", adID, "icon="+key)},
			ViewTracking:   []string{g.beacon("iconViewTracking", adID, "icon="+key)},
		}
	}
	return []Icon{
		mk("AdChoices", "adchoices", "right", "top", "00:00:01", "", g.Base+"/landing?icon=adchoices"),
		mk("GoogleWhyThisAd", "wta", "left", "bottom", "00:00:00", "00:00:08", ""),
	}
}

// wtaFallback is the IconClickFallbackImages extension Google's "Why this
// ad" VAST 3 tags carry (AWS player-controls page), pointing at a bundled
// panel image.
func (g *gen) wtaFallback() string {
	return `<IconClickFallbackImages program="GoogleWhyThisAd"><IconClickFallbackImage width="400" height="150">` +
		`<AltText>Why this ad? (availkit test panel)</AltText>` +
		`<StaticResource creativeType="image/svg+xml"><![CDATA[` + g.Base + `/creatives/wta-dialog.svg]]></StaticResource>` +
		`</IconClickFallbackImage></IconClickFallbackImages>`
}
