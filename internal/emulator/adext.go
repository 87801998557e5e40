package emulator

import (
	"encoding/xml"
	"strings"

	"github.com/availkit/availkit/internal/emulator/vast"
)

// This file turns the VAST that carries Open Measurement verification and
// industry icons into the tracking JSON's adVerifications[] and
// extensions[].

// adVerificationsJSON returns the ad's adVerifications: the VAST 4.1
// <AdVerifications> of the InLine, then those of a VAST 3
// <Extension type="AdVerifications">, which MediaTailor "extracts … from
// the <Extensions> node and places … into the adVerifications array" (AWS
// integrations page, OM SDK section) while keeping the extension itself in
// extensions[].
func adVerificationsJSON(inl *vast.InLine) []jsonVerif {
	out := []jsonVerif{}
	vs := append([]vast.Verification(nil), inl.AdVerifications...)
	for _, e := range inl.Extensions {
		if e.Type != "AdVerifications" {
			continue
		}
		var doc struct {
			Verifications []vast.Verification `xml:"Verification"`
		}
		if err := xml.Unmarshal([]byte(strings.TrimSpace(e.Inner)), &doc); err == nil {
			vs = append(vs, doc.Verifications...)
		}
	}
	ts := strings.TrimSpace
	for _, v := range vs {
		jv := jsonVerif{ExecutableResource: []jsonVerifRes{}, JavaScriptResource: []jsonVerifRes{}, TrackingEvents: []jsonVerifEv{},
			Vendor: ts(v.Vendor), VerificationParameters: ts(v.VerificationParameters)}
		for _, r := range v.JavaScriptResource {
			jv.JavaScriptResource = append(jv.JavaScriptResource, jsonVerifRes{APIFramework: ts(r.APIFramework),
				BrowserOptional: boolString(r.BrowserOptional), URI: ts(r.URL)})
		}
		for _, r := range v.ExecutableResource {
			jv.ExecutableResource = append(jv.ExecutableResource, jsonVerifRes{APIFramework: ts(r.APIFramework),
				Type: ts(r.Type), Language: ts(r.Language), URI: ts(r.URL)})
		}
		for _, t := range v.TrackingEvents {
			jv.TrackingEvents = append(jv.TrackingEvents, jsonVerifEv{Event: ts(t.Event), URI: ts(t.URL)})
		}
		out = append(out, jv)
	}
	return out
}

// boolString is a VAST boolean attribute as MediaTailor writes it: the
// string "true" or "false" (the OM SDK example has "browserOptional":
// "true").
func boolString(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// iconsExtension returns the Linear's <Icons> as an extensions[] entry of
// type "Icons" whose content is the <Icons> element, or false when there
// are none. MediaTailor's schema page lists an icons[] key but no AWS
// example shows one filled; the one icon example (Google "Why this ad")
// travels in extensions[], so the emulator passes <Icons> the same way and
// keeps the ad's key set exactly that of the AWS examples.
func iconsExtension(lin *vast.Linear) (jsonExtension, bool) {
	if lin == nil || len(lin.Icons) == 0 {
		return jsonExtension{}, false
	}
	doc := struct {
		XMLName xml.Name    `xml:"Icons"`
		Icons   []vast.Icon `xml:"Icon"`
	}{Icons: lin.Icons}
	b, err := xml.Marshal(doc)
	if err != nil {
		return jsonExtension{}, false
	}
	return jsonExtension{Type: "Icons", Content: string(b)}, true
}
