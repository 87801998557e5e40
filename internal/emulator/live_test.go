package emulator

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type hlsSeg struct {
	msn, dsn int64
	dur      float64
	uri      string
}

var (
	reMSN = regexp.MustCompile(`#EXT-X-MEDIA-SEQUENCE:(\d+)`)
	reDSN = regexp.MustCompile(`#EXT-X-DISCONTINUITY-SEQUENCE:(\d+)`)
)

func parseMedia(t *testing.T, pl string) []hlsSeg {
	t.Helper()
	msn, err := strconv.ParseInt(reMSN.FindStringSubmatch(pl)[1], 10, 64)
	require.NoError(t, err)
	dsn, err := strconv.ParseInt(reDSN.FindStringSubmatch(pl)[1], 10, 64)
	require.NoError(t, err)
	var out []hlsSeg
	var dur float64
	for _, line := range strings.Split(pl, "\n") {
		switch {
		case line == "#EXT-X-DISCONTINUITY":
			dsn++
		case strings.HasPrefix(line, "#EXTINF:"):
			dur, _ = strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(line, "#EXTINF:"), ","), 64)
		case line != "" && !strings.HasPrefix(line, "#"):
			out = append(out, hlsSeg{msn: msn, dsn: dsn, dur: dur, uri: line})
			msn++
		}
	}
	return out
}

// TestLiveHLS polls a live session for 100 s of wall-clock time and checks
// what a player relies on: stable numbering, a sliding window, and a
// tracking report that matches the playlists it has seen.
func TestLiveHLS(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.session("live/index.m3u8", map[string]string{"scenario": "default"})
	seen := map[int64]hlsSeg{}
	start := map[int64]float64{} // session time of each msn
	var next float64
	var lastMSN int64 = -1
	adsPerAvail := map[string][]int{}
	dateranges := 0
	for step := 0; step < 50; step++ {
		if step > 0 {
			h.clock.Add(2 * time.Second)
		}
		pl := h.mediaPlaylist(id, "0")
		if strings.Contains(pl, `#EXT-X-DATERANGE:ID="chapter-`) {
			dateranges++
		}
		assert.NotContains(t, pl, "CUE")
		segs := parseMedia(t, pl)
		require.NotEmpty(t, segs)
		assert.LessOrEqual(t, len(segs), 6)
		assert.GreaterOrEqual(t, segs[0].msn, lastMSN, "media sequence never goes back")
		lastMSN = segs[0].msn
		for _, s := range segs {
			if old, ok := seen[s.msn]; ok {
				assert.Equal(t, old, s, "segment %d must not change between refreshes", s.msn)
				continue
			}
			seen[s.msn] = s
			if len(start) > 0 {
				_, ok := start[s.msn-1]
				require.True(t, ok, "no gap in numbering at %d", s.msn)
			}
			start[s.msn] = next
			next += s.dur
		}
		tr := h.tracking(r.TrackingURL)
		require.NotNil(t, tr.HLSAnchorMediaSequenceNumber)
		assert.Equal(t, segs[0].msn, maxInt64(segs[0].msn, *tr.HLSAnchorMediaSequenceNumber))
		for _, av := range tr.Avails {
			adsPerAvail[av.AvailID] = append(adsPerAvail[av.AvailID], len(av.Ads))
			for _, ad := range av.Ads {
				n, err := strconv.ParseInt(ad.AdID, 10, 64)
				require.NoError(t, err)
				s, ok := seen[n]
				require.True(t, ok, "ad %s was in a playlist", ad.AdID)
				assert.Contains(t, s.uri, "/media/ads/")
				assert.InDelta(t, start[n], ad.StartTimeInSeconds, 0.0011)
				assert.NotNil(t, ad.AdProgramDateTime)
			}
			assert.Greater(t, av.StartTimeInSeconds+av.DurationInSeconds, start[segs[0].msn]+0.001,
				"an avail is dropped once all its segments left the window")
		}
	}
	assert.Greater(t, dateranges, 0, "the origin's EXT-X-DATERANGE at each content loop is passed through")
	require.NotEmpty(t, adsPerAvail, "100 s with a break every 40 s shows breaks")
	progressive := false
	for _, counts := range adsPerAvail {
		if counts[0] < counts[len(counts)-1] {
			progressive = true
		}
	}
	assert.True(t, progressive, "a break's ads are revealed over several polls: %v", adsPerAvail)
}

func maxInt64(a, b int64) int64 { return max(a, b) }

var rePeriod = regexp.MustCompile(`<Period id="([^"]+)" start="([^"]+)"`)

func TestLiveDASH(t *testing.T) {
	h := newHarness(t, nil)
	r, _ := h.session("live/index.mpd", nil)
	starts := map[string]string{}
	reported := map[string]float64{}
	for step := 0; step < 70; step++ {
		if step > 0 {
			h.clock.Add(2 * time.Second)
		}
		resp, mpd := h.do("GET", r.ManifestURL, "")
		require.Equal(t, 200, resp.StatusCode)
		assert.Contains(t, mpd, `type="dynamic" availabilityStartTime="2026-01-01T00:00:00Z"`)
		assert.Contains(t, mpd, `minimumUpdatePeriod="PT2S"`)
		ps := rePeriod.FindAllStringSubmatch(mpd, -1)
		require.NotEmpty(t, ps)
		for _, p := range ps {
			if old, ok := starts[p[1]]; ok {
				assert.Equal(t, old, p[2], "period %s keeps its start across updates", p[1])
			}
			starts[p[1]] = p[2]
		}
		tr := h.tracking(r.TrackingURL)
		require.NotNil(t, tr.DashAvailabilityStartTime)
		assert.Equal(t, "2026-01-01T00:00:00Z", *tr.DashAvailabilityStartTime)
		for _, av := range tr.Avails {
			for _, ad := range av.Ads {
				reported[ad.AdID] = ad.StartTimeInSeconds
				assert.Regexp(t, `^\d+_\d+$`, ad.AdID)
				assert.True(t, strings.HasPrefix(ad.AdID, av.AvailID+"_"))
			}
		}
	}
	matched := 0
	for id, st := range reported {
		ps, ok := starts[id]
		if !ok {
			continue // played out before the first MPD of this test
		}
		matched++
		d, err := parseISODuration(ps)
		require.NoError(t, err)
		assert.InDelta(t, d.Seconds(), st, 0.0011, "startTime counts from availabilityStartTime")
		assert.Greater(t, st, 2.8e7)
	}
	assert.Greater(t, matched, 2)
}

// TestLiveTrackingBounded runs a live session for 6 hours of channel time
// (polled every 20 s; the bench runs 24 h) and checks its tracking report stays bounded by the
// window instead of growing with the session.
func TestLiveTrackingBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates 6 h")
	}
	h := newHarness(t, nil)
	r, id := h.session("live/index.m3u8", nil)
	pl := "/v1/manifest/" + acct + "/availkit/" + id + "/0.m3u8"
	mx, withAds := 0, 0
	for step := 0; step < 6*180; step++ {
		h.clock.Add(20 * time.Second)
		require.Equal(t, 200, h.direct("GET", pl).Code)
		rec := h.direct("GET", r.TrackingURL)
		require.Equal(t, 200, rec.Code)
		mx = max(mx, rec.Body.Len())
		if strings.Contains(rec.Body.String(), `"adId"`) {
			withAds++
		}
	}
	assert.Greater(t, withAds, 120, "breaks keep coming all day")
	assert.Less(t, mx, 40000, "at most one break overlaps a 12 s window")
	h.srv.sessions.get(id).mu.Lock()
	defer h.srv.sessions.get(id).mu.Unlock()
	assert.LessOrEqual(t, len(h.srv.sessions.get(id).live.segs), 4*6)
	assert.LessOrEqual(t, len(h.srv.sessions.get(id).live.breaks), 6)
}
