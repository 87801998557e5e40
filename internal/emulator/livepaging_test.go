package emulator

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLivePagingKeepsEveryEvent follows nextToken on live sessions, as the
// plugin's pagination mode does, while a break fills ad by ad. The pages
// together must list every event a full poll lists: an ad revealed after
// the token moved to the previous ad's end starts exactly there, and its
// impression, start and action events (pause, skip, clickTracking …) must
// not be paged out as "not after the token".
func TestLivePagingKeepsEveryEvent(t *testing.T) {
	for _, asset := range []string{"live/index.m3u8", "live/index.mpd"} {
		t.Run(asset, func(t *testing.T) {
			h := newHarness(t, nil)
			r, id := h.session(asset, map[string]string{"scenario": "default"})
			paged := map[string]map[string]bool{} // availId/adId → event types
			full := map[string]map[string]bool{}
			add := func(m map[string]map[string]bool, tr trackingResponse) {
				for _, av := range tr.Avails {
					for _, ad := range av.Ads {
						k := av.AvailID + "/" + ad.AdID
						if m[k] == nil {
							m[k] = map[string]bool{}
						}
						for _, e := range ad.TrackingEvents {
							m[k][e.EventType] = true
						}
					}
				}
			}
			token := ""
			for step := 0; step < 60; step++ {
				if step > 0 {
					h.clock.Add(2 * time.Second)
				}
				if asset == "live/index.m3u8" {
					h.mediaPlaylist(id, "0")
				} else {
					h.do("GET", r.ManifestURL, "")
				}
				url := r.TrackingURL
				if token != "" {
					url += "?nextToken=" + token
				}
				tr := h.tracking(url)
				add(paged, tr)
				if tr.NextToken != nil {
					token = *tr.NextToken
				}
				add(full, h.tracking(r.TrackingURL))
			}
			require.NotEmpty(t, full, "two minutes of live show breaks")
			for k, types := range full {
				assert.Equal(t, types, paged[k], "ad %s: events seen through paging vs a full poll", k)
			}
		})
	}
}
