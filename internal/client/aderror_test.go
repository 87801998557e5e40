package client

import (
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// errorsSent returns, per ad, the [ERRORCODE]s of the error beacons sent.
func errorsSent(t *testing.T, beacons []string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, u := range beacons {
		path, query, _ := strings.Cut(strings.TrimPrefix(u, "http://b.test/"), "?")
		ad, typ, _ := strings.Cut(path, "/")
		if typ != "error" {
			continue
		}
		q, err := url.ParseQuery(query)
		require.NoError(t, err)
		out[ad] = append(out[ad], q.Get("code"))
	}
	return out
}

// TestFailedAdInAGoodPod: when one ad of a pod fails, its own error URLs
// go out once with its VAST code; the ads before and after it send no
// error and keep every beacon of their own.
func TestFailedAdInAGoodPod(t *testing.T) {
	tests := []struct {
		name  string
		vpaid []int // VPAID ads of pod "a" (1-based)
		run   func(w *world)
		want  map[string][]string
	}{
		{
			name: "unplayable media in the second ad (403), reported twice",
			run: func(w *world) {
				w.play(9.5, 15, 0.25, 0)
				assert.True(t, w.s.AdError(403))
				assert.False(t, w.s.AdError(403), "a second report of the same ad is no new failure")
				w.s.Flush()
				w.play(15, 23, 0.25, 0)
			},
			want: map[string][]string{"a-2": {"403"}},
		},
		{
			name:  "the second ad is a VPAID unit that fails (AdError, then the runner stops it)",
			vpaid: []int{2},
			run: func(w *world) {
				w.play(9.5, 14.5, 0.25, 0)
				assert.True(t, w.s.VPAIDEvent("AdError"))
				w.s.VPAIDEvent("AdError")
				assert.True(t, w.s.VPAIDStopped())
				w.s.Flush()
				w.play(18, 23, 0.25, 0) // where the engine sends the player: the slate's end
			},
			want: map[string][]string{"a-2": {"901"}},
		},
		{
			name: "two ads of the pod fail, each with its own code",
			run: func(w *world) {
				w.play(9.5, 11, 0.25, 0)
				w.s.AdError(405)
				w.s.Flush()
				w.play(11, 19, 0.25, 0)
				w.s.AdError(400)
				w.s.Flush()
				w.play(19, 23, 0.25, 0)
			},
			want: map[string][]string{"a-1": {"405"}, "a-3": {"400"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := adopted(t, nil)
			w.manifest(ManifestInfo{Duration: 120})
			w.answer(0, 200, trackingJSON("", podAvailJSON("a", 10, 4, 3, tt.vpaid...)))
			tt.run(w)
			assert.Equal(t, tt.want, errorsSent(t, w.beacons), "error beacons per ad")
			// The error beacon carries its own ad's pod macros.
			for ad := range tt.want {
				seq := strings.TrimPrefix(ad, "a-")
				assert.Contains(t, podMacros(t, w.beacons, ad, "error"), "p="+seq+"&", ad)
			}
			// Every ad that did not fail, and played, counted as usual.
			for _, ad := range []string{"a-1", "a-3"} {
				if _, failed := tt.want[ad]; failed {
					continue
				}
				assert.Equal(t, 1, countBeacons(w.beacons, "/"+ad+"/impression?"), ad+" impression")
				assert.Equal(t, 1, countBeacons(w.beacons, "/"+ad+"/complete?"), ad+" complete")
			}
		})
	}
}

// TestVPAIDErrorReason: the error event of a failed VPAID unit says why
// (the runner's reason), and its 901 goes out once whichever way the
// failure arrives.
func TestVPAIDErrorReason(t *testing.T) {
	for _, tc := range []struct{ name, reason, want string }{
		{"the unit's message", "initAd threw: SyntaxError: Unexpected end of JSON input", "vpaid: initAd threw: SyntaxError: Unexpected end of JSON input"},
		{"no message", "", "vpaid: AdError"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := adopted(t, nil)
			w.manifest(ManifestInfo{Duration: 120})
			w.answer(0, 200, trackingJSON("", podAvailJSON("a", 10, 4, 3, 2)))
			w.play(9.5, 14.5, 0.25, 0)
			assert.True(t, w.s.VPAIDError(tc.reason))
			w.s.VPAIDEvent("AdError") // the unit's own AdError after the runner's: nothing more
			batch := w.s.Flush()
			assert.Equal(t, map[string][]string{"a-2": {"901"}}, errorsSent(t, w.beacons))
			assert.Equal(t, 1, strings.Count(batch, `"code":901`), batch)
			assert.Contains(t, batch, `"message":"`+tc.want+`"`)
		})
	}
}
