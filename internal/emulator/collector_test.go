package emulator

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hit fetches a beacon URL as a player would, with macros expanded.
func hit(t *testing.T, u string) {
	t.Helper()
	u = strings.NewReplacer("[CACHEBUSTING]", "87654321", "[ERRORCODE]", "405").Replace(u)
	resp, err := http.Get(u)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode, u)
}

// untagged strips the tracking ids the tracking JSON added, leaving the URL
// as the VAST document had it.
func untagged(t *testing.T, u string) string {
	t.Helper()
	pu, err := url.Parse(u)
	require.NoError(t, err)
	var keep []string
	for _, kv := range strings.Split(pu.RawQuery, "&") {
		if !strings.HasPrefix(kv, paramTrackingAvail+"=") && !strings.HasPrefix(kv, paramTrackingAd+"=") {
			keep = append(keep, kv)
		}
	}
	pu.RawQuery = strings.Join(keep, "&")
	return pu.String()
}

// TestBeaconTrackingIDs fires one beacon per event type of every ad of a
// VOD session, once through the tracking JSON's URL and once through the
// bare VAST URL, and checks that each recorded hit names the tracking
// avail, ad and event type it was scheduled under.
func TestBeaconTrackingIDs(t *testing.T) {
	for _, asset := range []string{"vod/index.m3u8", "vod/index.mpd"} {
		t.Run(asset, func(t *testing.T) {
			h := newHarness(t, nil)
			r, id := h.session(asset, nil)
			if strings.HasSuffix(asset, ".mpd") {
				resp, b := h.do("GET", r.ManifestURL, "")
				require.Equal(t, 200, resp.StatusCode, b)
			} else {
				h.mediaPlaylist(id, "0")
			}
			tr := h.tracking(r.TrackingURL)
			require.Len(t, tr.Avails, 2)
			type want struct{ avail, ad, event string }
			var wants []want
			for _, av := range tr.Avails {
				for _, ad := range av.Ads {
					for _, ev := range ad.TrackingEvents {
						if ev.EventType != "firstQuartile" && ev.EventType != "pause" && ev.EventType != "error" {
							continue
						}
						u := ev.BeaconURLs[0]
						hit(t, u)
						hit(t, untagged(t, u))
						wants = append(wants, want{av.AvailID, ad.AdID, ev.EventType}, want{av.AvailID, ad.AdID, ev.EventType})
					}
				}
				ev := av.AdBreakTrackingEvents[0]
				hit(t, ev.BeaconURLs[0])
				wants = append(wants, want{av.AvailID, "", "breakStart"})
			}
			_, b := h.do("GET", "/debug/sessions/"+id+"/beacons", "")
			var hits []Beacon
			require.NoError(t, json.Unmarshal([]byte(b), &hits))
			require.Len(t, hits, len(wants))
			ads := map[string]bool{}
			for i, w := range wants {
				assert.Equal(t, w, want{hits[i].TrackingAvailID, hits[i].TrackingAdID, hits[i].EventType}, "hit %d: %s", i, hits[i].RawQuery)
				ads[hits[i].TrackingAdID] = true
			}
			assert.Len(t, ads, 5+1, "five distinct ads (pods of 2 and 3) and the break events")
			assert.Contains(t, b, `"trackingAvailId"`)
		})
	}
}

// TestActionEventsAtAdStart checks the service's habit for events without a
// schedule (pause, mute, skip, clickTracking, error, ...): listed with the
// ad's start time, zero duration and the ad's own id as eventId (the
// segment containing the ad start), in HLS and DASH.
func TestActionEventsAtAdStart(t *testing.T) {
	scheduled := map[string]bool{"impression": true, "start": true, "firstQuartile": true, "midpoint": true,
		"thirdQuartile": true, "complete": true, "progress": true}
	for _, asset := range []string{"vod/index.m3u8", "vod/index.mpd"} {
		t.Run(asset, func(t *testing.T) {
			h := newHarness(t, nil)
			r, id := h.session(asset, map[string]string{"scenario": "skippable"})
			if strings.HasSuffix(asset, ".mpd") {
				h.do("GET", r.ManifestURL, "")
			} else {
				h.mediaPlaylist(id, "0")
			}
			tr := h.tracking(r.TrackingURL)
			seen := map[string]bool{}
			for _, av := range tr.Avails {
				for _, ad := range av.Ads {
					for _, ev := range ad.TrackingEvents {
						if scheduled[ev.EventType] {
							continue
						}
						seen[ev.EventType] = true
						assert.Equal(t, ad.StartTime, ev.StartTime, ev.EventType)
						assert.Equal(t, ad.StartTimeInSeconds, ev.StartTimeInSeconds, ev.EventType)
						assert.Equal(t, "PT0S", ev.Duration, ev.EventType)
						assert.Equal(t, ad.AdID, ev.EventID, ev.EventType)
					}
				}
			}
			for _, typ := range []string{"pause", "resume", "mute", "unmute", "skip", "clickThrough", "clickTracking", "error"} {
				assert.True(t, seen[typ], "%s listed", typ)
			}
		})
	}
}
