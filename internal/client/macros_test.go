package client

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/corpustest"
	"github.com/availkit/availkit/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// macroAvail is availJSON whose ad has a media file, a clickThrough, a
// clickTracking, and beacon URLs carrying the given macros as a query.
func macroAvail(macros []string) string {
	var q []string
	for _, m := range macros {
		q = append(q, strings.ToLower(m)+"=["+m+"]")
	}
	query := strings.Join(q, "&")
	a := availJSON("mid", 10, 6, 0)
	a = strings.ReplaceAll(a, "?cb=[CACHEBUSTING]", "?"+query)
	extra := `{"eventId":"ct","eventType":"clickThrough","beaconUrls":["https://lp.test/landing"]},` +
		`{"eventId":"ck","eventType":"clickTracking","beaconUrls":["http://b.test/mid/clickTracking?` + query + `"]},`
	a = strings.Replace(a, `"trackingEvents":[`, `"mediaFiles":{"mediaFilesList":[{"mediaFileUri":"https://cdn.test/ad.mp4","mediaType":"video/mp4"}]},"trackingEvents":[`+extra, 1)
	return a
}

func macroWorld(t *testing.T, m MacroValues, avail string) *world {
	w := adopted(t, func(c *Config) { c.Macros = m })
	w.manifest(ManifestInfo{Duration: 120})
	w.s.SetPlayerSize(640, 360)
	w.answer(0, 200, trackingJSON("", avail))
	w.play(9.5, 12, 0.25, 0)
	require.Equal(t, "https://lp.test/landing", w.s.ClickThroughAt(12, 34))
	w.play(12, 17, 0.25, 0)
	return w
}

// TestEveryIABMacroExpands plays an ad whose beacons carry every macro of
// the IAB catalogue in the corpus: none reaches the network as written.
func TestEveryIABMacroExpands(t *testing.T) {
	dir := corpustest.Dir(t, "vast/iab_vast_schemas")
	data, err := os.ReadFile(filepath.Join(dir, "macros-data.json"))
	require.NoError(t, err)
	var cat struct {
		Macros []struct{ Name string } `json:"macros"`
	}
	require.NoError(t, json.Unmarshal(data, &cat))
	var names []string
	for _, m := range cat.Macros {
		names = append(names, m.Name)
	}
	lat := true
	for _, tc := range []struct {
		name string
		m    MacroValues
	}{
		{"no host values", MacroValues{}},
		{"host values", MacroValues{PageURL: "https://pub.test/w?v=1", GDPRConsent: "CO", LimitAdTracking: &lat, Withhold: []string{"DOMAIN"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := macroWorld(t, tc.m, macroAvail(names))
			for _, typ := range []string{"impression", "clickTracking", "complete"} {
				require.Equal(t, 1, countBeacons(w.beacons, "/mid/"+typ), typ)
			}
			for _, u := range w.beacons {
				q, err := url.ParseQuery(u[strings.IndexByte(u, '?')+1:])
				require.NoError(t, err)
				for _, n := range names {
					v := q.Get(strings.ToLower(n))
					assert.NotContains(t, v, n, "%s sent raw in %s", n, u)
					if !strings.HasSuffix(n, "STATE") {
						assert.NotEmpty(t, v, "%s has no value in %s", n, u)
					}
				}
			}
		})
	}
}

// TestMacroValues checks where each value comes from: host options, the
// tracking JSON, the click and content time.
func TestMacroValues(t *testing.T) {
	lat, no := true, false
	all := []string{"PAGEURL", "DOMAIN", "GDPRCONSENT", "GPPSTRING", "GPPSECTIONID", "LIMITADTRACKING", "IFA",
		"DEVICEUA", "CLIENTUA", "PODSEQUENCE", "ADCOUNT", "ASSETURI", "CLICKPOS", "PLAYERCAPABILITIES",
		"MEDIAPLAYHEAD", "ADPLAYHEAD", "BREAKMAXDURATION", "CLICKTYPE", "CONTENTID", "APIFRAMEWORKS", "REGULATIONS"}
	host := MacroValues{
		PageURL: "https://pub.test/w?v=1", Domain: "pub.test", GDPRConsent: "CPc+", GPPString: "DBA", GPPSectionIDs: []string{"2", "6"},
		DeviceUA: "Mozilla/5.0 (X11)", ClientUA: "hls.js/1.5 availkit/1.0", PlayerCapabilities: []string{"skip", "mute"},
		Values: map[string]string{"CONTENTID": "ad-id 42", "IFA": "6D92078A"}, LimitAdTracking: &no,
	}
	tests := []struct {
		name  string
		m     MacroValues
		event string
		want  map[string]string
	}{
		{"host values, tracking and playhead at complete", host, "complete", map[string]string{
			"pageurl": "https://pub.test/w?v=1", "domain": "pub.test", "gdprconsent": "CPc+", "gppstring": "DBA", "gppsectionid": "2,6",
			"limitadtracking": "0", "ifa": "6D92078A", "deviceua": "Mozilla/5.0 (X11)", "clientua": "hls.js/1.5 availkit/1.0",
			"podsequence": "1", "adcount": "1", "asseturi": "https://cdn.test/ad.mp4", "clickpos": "-1",
			"playercapabilities": "skip,mute", "mediaplayhead": "00:00:10.000", "adplayhead": "00:00:06.000",
			"breakmaxduration": "6", "clicktype": "2", "contentid": "ad-id 42", "apiframeworks": "2", "regulations": "-1",
		}},
		{"click position on clickTracking only", host, "clickTracking", map[string]string{"clickpos": "12,34", "mediaplayhead": "00:00:10.000"}},
		{"limit ad tracking withholds the IFA", MacroValues{LimitAdTracking: &lat, Values: map[string]string{"IFA": "6D92078A"}}, "impression",
			map[string]string{"limitadtracking": "1", "ifa": "-2", "pageurl": "-1", "gdprconsent": "-1"}},
		{"host withholds the page", MacroValues{PageURL: "https://pub.test/", Withhold: []string{"PAGEURL", "DOMAIN"}}, "impression",
			map[string]string{"pageurl": "-2", "domain": "-2", "limitadtracking": "-1"}},
		{"coppa", MacroValues{Regulations: []string{"coppa"}, Values: map[string]string{"IFA": "x"}}, "impression",
			map[string]string{"regulations": "coppa", "ifa": "-2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := macroWorld(t, tt.m, macroAvail(all))
			var sent string
			for _, u := range w.beacons {
				if strings.Contains(u, "/mid/"+tt.event+"?") {
					sent = u
				}
			}
			require.NotEmpty(t, sent, "no %s beacon in %v", tt.event, w.beacons)
			q, err := url.ParseQuery(sent[strings.IndexByte(sent, '?')+1:])
			require.NoError(t, err)
			for k, v := range tt.want {
				assert.Equal(t, v, q.Get(k), k)
			}
		})
	}
}

// TestMediaPlayheadIsContentTime: after a 6 s pre-roll, 5 s into the
// content [MEDIAPLAYHEAD] reads 5 s, not the 11 s of stream time.
func TestMediaPlayheadIsContentTime(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(ManifestInfo{Duration: 120})
	pre := strings.ReplaceAll(availJSON("pre", 0, 6, 0), "?cb=[CACHEBUSTING]", "?m=[MEDIAPLAYHEAD]")
	mid := strings.ReplaceAll(availJSON("mid", 11, 4, 0), "?cb=[CACHEBUSTING]", "?m=[MEDIAPLAYHEAD]")
	w.answer(0, 200, trackingJSON("", pre, mid))
	w.play(0, 12, 0.25, engine.Flags(0))
	var got string
	for _, u := range w.beacons {
		if strings.Contains(u, "/mid/impression") {
			got = u
		}
	}
	assert.Equal(t, "http://b.test/mid/impression?m=00%3A00%3A05.000", got)
}
