package emulator

import (
	"encoding/json"
	"flag"
	"github.com/availkit/availkit/media"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(p, []byte(got), 0o644))
	}
	want, err := os.ReadFile(p)
	require.NoError(t, err, "run go test -update once")
	assert.Equal(t, string(want), got)
}

func TestVODHLSPlaylist(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.session("vod/index.m3u8", map[string]string{"scenario": "default"})
	resp, master := h.do("GET", r.ManifestURL, "")
	require.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "application/vnd.apple.mpegurl", resp.Header.Get("Content-Type"))
	assert.Contains(t, master, `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aac"`)
	assert.Contains(t, master, "/v1/manifest/"+acct+"/availkit/"+id+"/0.m3u8")
	video := h.mediaPlaylist(id, "0")
	audio := h.mediaPlaylist(id, "1")
	// Pre-roll pod of 2 (6 s + 8 s), 10 s content, mid-roll pod of 3
	// (8 + 6 + 10 s), 10 s content.
	golden(t, "vod_video.m3u8", strings.ReplaceAll(video, id, "SESSION"))
	assert.Equal(t, 3+4+5+4+3+5+5, strings.Count(video, "#EXTINF"))
	assert.Equal(t, strings.Count(video, "#EXTINF"), strings.Count(audio, "#EXTINF"))
	assert.Equal(t, 6, strings.Count(video, "#EXT-X-DISCONTINUITY\n"), "ad→ad, ad→content, content→ad, ad→ad ×2, ad→content")
	assert.NotContains(t, video, "CUE")
	assert.Contains(t, audio, "/media/ads/ad-b/audio/init.mp4")
}

// TestVODTracking checks the report of a VOD session against its own
// playlist: ad ids are media sequence numbers and start times are sums of
// EXTINF.
func TestVODTracking(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.session("vod/index.m3u8", nil)
	before := h.tracking(r.TrackingURL)
	assert.Empty(t, before.Avails, "ads are decided when the first media playlist is served")
	playlist := h.mediaPlaylist(id, "0")
	tr := h.tracking(r.TrackingURL)
	require.Len(t, tr.Avails, 2)
	require.NotNil(t, tr.HLSAnchorMediaSequenceNumber)
	assert.Nil(t, tr.DashAvailabilityStartTime)
	starts := segmentStarts(playlist)
	for i, av := range tr.Avails {
		assert.Equal(t, []int{2, 3}[i], len(av.Ads))
		assert.Equal(t, av.Ads[0].AdID, av.AvailID)
		for _, ad := range av.Ads {
			st, ok := starts[ad.AdID]
			require.True(t, ok, "adId %s is a media sequence number of the playlist", ad.AdID)
			assert.InDelta(t, st, ad.StartTimeInSeconds, 0.001)
			d, _ := parseISODuration(ad.Duration)
			types := map[string]jsonEvent{}
			for _, e := range ad.TrackingEvents {
				types[e.EventType] = e
			}
			for k, typ := range []string{"start", "firstQuartile", "midpoint", "thirdQuartile", "complete"} {
				e, ok := types[typ]
				require.True(t, ok, typ)
				at, _ := parseISODuration(e.StartTime)
				s, _ := parseISODuration(ad.StartTime)
				assert.Equal(t, s+d*time.Duration(k)/4, at, typ)
			}
			assert.Equal(t, ad.Duration, types["impression"].Duration)
		}
	}
	assert.Equal(t, "00:00:05", *tr.Avails[0].Ads[1].SkipOffset)
	assert.Nil(t, tr.Avails[0].Ads[0].SkipOffset)
	require.Len(t, tr.Avails[0].Ads[0].CompanionAds, 3)
	c := tr.Avails[0].Ads[0].CompanionAds
	assert.NotEmpty(t, c[0].StaticResource)
	assert.NotEmpty(t, c[1].IFrameResource)
	assert.NotEmpty(t, c[2].HTMLResource)
	assert.Equal(t, "creativeView", c[0].TrackingEvents[0].EventType)
}

var extinf = regexp.MustCompile(`#EXTINF:([0-9.]+),`)

// segmentStarts maps media sequence numbers of a VOD playlist to start times.
func segmentStarts(pl string) map[string]float64 {
	out := map[string]float64{}
	var t float64
	n := 0
	for _, m := range extinf.FindAllStringSubmatch(pl, -1) {
		var d float64
		_ = json.Unmarshal([]byte(m[1]), &d)
		out[itoa(n)] = t
		t += d
		n++
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestTrackingSchemaKeys pins the full key set of the tracking JSON: every
// key is present even when empty.
func TestTrackingSchemaKeys(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.session("vod/index.m3u8", map[string]string{"scenario": "vpaid-mixed"})
	h.mediaPlaylist(id, "0")
	_, body := h.do("GET", r.TrackingURL, "")
	var v any
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	keys := map[string]bool{}
	var walk func(string, any)
	walk = func(p string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				keys[p+"."+k] = true
				walk(p+"."+k, c)
			}
		case []any:
			for _, c := range x {
				walk(p+"[]", c)
			}
		}
	}
	walk("", v)
	list := make([]string, 0, len(keys))
	for k := range keys {
		list = append(list, k)
	}
	sort.Strings(list)
	golden(t, "tracking_keys.txt", strings.Join(list, "\n")+"\n")
}

// TestSeedEventIDs reproduces the seed document's example by construction:
// a 15.100000078 s ad in 3 s segments starting at media sequence 8104385
// and session time 17.817798612 s.
func TestSeedEventIDs(t *testing.T) {
	seed := &asset{Asset: &media.Asset{ID: "seed", Kind: media.KindAd}, Segments: []time.Duration{3e9, 3e9, 3e9, 3e9, 3e9, 100000078}}
	ad := &adSlot{asset: seed, msn: 8104385, start: 17817798612, linear: &vast.Linear{
		TrackingEvents: []vast.Tracking{{Event: "start", URL: "s"}, {Event: "firstQuartile", URL: "f"},
			{Event: "midpoint", URL: "m"}, {Event: "thirdQuartile", URL: "t"}, {Event: "complete", URL: "c"}}},
		res: vast.Resolved{Ad: vast.Ad{InLine: &vast.InLine{Impressions: []string{"i"}}}}}
	ad.useAsset(seed)
	j := timeline{}.adJSON(ad)
	assert.Equal(t, "8104385", j.AdID)
	assert.Equal(t, "PT15.100000078S", j.Duration)
	assert.Equal(t, 15.1, j.DurationInSeconds)
	assert.Equal(t, "PT17.817798612S", j.StartTime)
	assert.Equal(t, 17.817, j.StartTimeInSeconds)
	var got []string
	for _, e := range j.TrackingEvents {
		got = append(got, e.EventType+" "+e.EventID+" "+e.StartTime+" "+strconvF(e.StartTimeInSeconds))
	}
	assert.Equal(t, []string{
		"impression 8104385 PT17.817798612S 17.817",
		"start 8104385 PT17.817798612S 17.817",
		"firstQuartile 8104386 PT21.592798631S 21.592",
		"midpoint 8104387 PT25.367798651S 25.367",
		"thirdQuartile 8104388 PT29.14279867S 29.142",
		"complete 8104390 PT32.91779869S 32.917",
	}, got)
}

func strconvF(f float64) string { b, _ := json.Marshal(f); return string(b) }

func TestNextTokenPaging(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.session("vod/index.m3u8", nil)
	h.mediaPlaylist(id, "0")
	first := h.tracking(r.TrackingURL)
	require.NotNil(t, first.NextToken)
	require.Len(t, first.Avails, 2)
	again := h.tracking(r.TrackingURL + "?nextToken=" + *first.NextToken)
	assert.Empty(t, again.Avails, "nothing after the last event")
	require.NotNil(t, again.NextToken)
	assert.Equal(t, *first.NextToken, *again.NextToken, "same token echoed when nothing is new")
	// A token in the middle returns only what is after it.
	mid := encodeToken(15*time.Second, time.Now())
	part := h.tracking(r.TrackingURL + "?nextToken=" + mid)
	require.Len(t, part.Avails, 1)
	for _, ad := range part.Avails[0].Ads {
		for _, e := range ad.TrackingEvents {
			assert.Greater(t, e.StartTimeInSeconds, 15.0)
		}
	}
	resp, b := h.do("GET", r.TrackingURL+"?nextToken=not-base64!", "")
	assert.Equal(t, 400, resp.StatusCode)
	assertErrorShape(t, resp, b, "BadRequestException")
}

func TestVODDASH(t *testing.T) {
	h := newHarness(t, nil)
	r, _ := h.session("vod/index.mpd", map[string]string{"scenario": "default"})
	resp, mpd := h.do("GET", r.ManifestURL, "")
	require.Equal(t, 200, resp.StatusCode, mpd)
	assert.Equal(t, "application/dash+xml", resp.Header.Get("Content-Type"))
	assert.Contains(t, mpd, `type="static"`)
	ids := regexp.MustCompile(`<Period id="([^"]+)" start="([^"]+)"`).FindAllStringSubmatch(mpd, -1)
	var got []string
	for _, m := range ids {
		got = append(got, m[1]+"@"+m[2])
	}
	assert.Equal(t, []string{"1_PT0S_0@PT0S", "1_PT0S_1@PT6S", "1@PT14S", "1_PT10S_0@PT24S", "1_PT10S_1@PT32S",
		"1_PT10S_2@PT38S", "1_PT10S@PT48S"}, got)
	// The content period after the mid-roll starts at 10 s of media time.
	assert.Contains(t, mpd, `presentationTimeOffset="153600" startNumber="6"`)
	tr := h.tracking(r.TrackingURL)
	require.Len(t, tr.Avails, 2)
	assert.Equal(t, "1_PT10S_0", tr.Avails[1].Ads[0].AdID)
	assert.Equal(t, "1_PT10S_0", tr.Avails[1].Ads[0].TrackingEvents[2].EventID, "DASH eventId is the ad period id")
	assert.Nil(t, tr.HLSAnchorMediaSequenceNumber)
}
