package client

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// adStartDetails plays body from..to and returns the adstart details
// flushed on the way, decoded.
func adStartDetails(t *testing.T, body string, from, to float64) []map[string]any {
	t.Helper()
	w := adopted(t, nil)
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, body)
	var out []map[string]any
	for _, b := range w.play(from, to, 0.25, 0) {
		var batch struct {
			Events []struct {
				Type   string
				Detail map[string]any
			}
		}
		require.NoError(t, jsonUnmarshal(b, &batch), b)
		for _, e := range batch.Events {
			if e.Type == "adstart" {
				out = append(out, e.Detail)
			}
		}
	}
	return out
}

func TestAdStartVerificationsFromCorpus(t *testing.T) {
	dir := corpustest.Dir(t, "mediatailor/json")
	body, err := os.ReadFile(filepath.Join(dir, "doc_ad-reporting-client-side-ad-tracking-integrations.OMSDK-section_1.json"))
	require.NoError(t, err)
	starts := adStartDetails(t, string(body), 9.5, 11)
	require.Len(t, starts, 1)
	assert.JSONEq(t, `[{
		"vendor": "company.com-omid",
		"javaScriptResource": [{"apiFramework": "omid", "browserOptional": true, "uri": "https://verification.com/omid_verification.js"}],
		"verificationParameters": "verification params key value pairs",
		"trackingEvents": [{"event": "verificationNotExecuted", "uri": "https://verification.com/trackingurl"}]
	}]`, jsonMarshal(starts[0]["adVerifications"]))
	assert.JSONEq(t, `[]`, jsonMarshal(starts[0]["icons"]), "the OM example carries no icons")
}

func TestAdStartIcons(t *testing.T) {
	icons := `<Icons><Icon program="GoogleWhyThisAd" width="20" height="18" xPosition="right" yPosition="bottom" offset="00:00:01" duration="00:00:04">` +
		`<StaticResource creativeType="image/png"><![CDATA[https://ads.test/wta.png]]></StaticResource>` +
		`<IconClicks><IconClickTracking><![CDATA[https://b.test/iconclick]]></IconClickTracking></IconClicks>` +
		`<IconViewTracking><![CDATA[https://b.test/iconview]]></IconViewTracking></Icon></Icons>`
	fallback := `<IconClickFallbackImages program="GoogleWhyThisAd"><IconClickFallbackImage width="400" height="150">` +
		`<AltText>Why this ad</AltText><StaticResource creativeType="image/png"><![CDATA[https://ads.test/wta_dialog.png]]></StaticResource>` +
		`</IconClickFallbackImage></IconClickFallbackImages>`
	quote := func(s string) string { return jsonMarshal(s) }
	ad := strings.Replace(availJSON("mid", 10, 6, 0), `"trackingEvents"`,
		`"extensions":[{"type":"Icons","content":`+quote(icons)+`},{"type":"IconClickFallbackImages","content":`+quote(fallback)+`}],"trackingEvents"`, 1)
	starts := adStartDetails(t, trackingJSON("", ad), 9.5, 11)
	require.Len(t, starts, 1)
	assert.JSONEq(t, `[{
		"program": "GoogleWhyThisAd", "width": 20, "height": 18, "xPosition": "right", "yPosition": "bottom",
		"offset": 1, "duration": 4, "apiFramework": "", "pxratio": "",
		"staticResource": "https://ads.test/wta.png", "creativeType": "image/png", "iFrameResource": "", "htmlResource": "",
		"clickThrough": "", "clickTracking": ["https://b.test/iconclick"], "viewTracking": ["https://b.test/iconview"],
		"fallbackImages": [{"width": 400, "height": 150, "altText": "Why this ad", "staticResource": "https://ads.test/wta_dialog.png", "creativeType": "image/png"}]
	}]`, jsonMarshal(starts[0]["icons"]))
	assert.JSONEq(t, `[]`, jsonMarshal(starts[0]["adVerifications"]))
}

func TestFireTrackingReason(t *testing.T) {
	for _, tc := range []struct {
		name   string
		reason int
		want   string
	}{
		{"rejected", 1, "http://v.test/nx?r=1"},
		{"not supported", 2, "http://v.test/nx?r=2"},
		{"load error", 3, "http://v.test/nx?r=3"},
		{"no reason given", 0, "http://v.test/nx?r=-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := vod(t, availJSON("mid", 10, 6, 0))
			w.play(9.5, 10.5, 0.25, 0)
			n := w.s.FireTracking(TrackingRequest{AvailID: "mid", AdID: "mid-1", EventType: "verificationNotExecuted",
				Key: "v0", URLs: []string{"http://v.test/nx?r=[REASON]"}, Reason: tc.reason})
			require.Equal(t, 1, n)
			assert.Equal(t, tc.want, w.beacons[len(w.beacons)-1])
			// The next host beacon does not inherit the reason.
			w.s.FireTracking(TrackingRequest{AvailID: "mid", AdID: "mid-1", EventType: "creativeView", Key: "c", URLs: []string{"http://v.test/c?r=[REASON]"}})
			assert.Equal(t, "http://v.test/c?r=-1", w.beacons[len(w.beacons)-1])
		})
	}
}
