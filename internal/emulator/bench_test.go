package emulator

import (
	"testing"
	"time"
)

// BenchmarkLiveTrackingPoll is one player poll of a warm live HLS session:
// media playlist then tracking, served in-process.
func BenchmarkLiveTrackingPoll(b *testing.B) {
	h := newHarness(b, nil)
	r, id := h.session("live/index.m3u8", nil)
	pl := "/v1/manifest/" + acct + "/availkit/" + id + "/0.m3u8"
	for i := 0; i < 30; i++ { // reach a break so the report has ads
		h.clock.Add(2 * time.Second)
		h.direct("GET", pl)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%100 == 0 {
			h.clock.Add(2 * time.Second)
		}
		if h.direct("GET", pl).Code != 200 || h.direct("GET", r.TrackingURL).Code != 200 {
			b.Fatal("poll failed")
		}
	}
}
