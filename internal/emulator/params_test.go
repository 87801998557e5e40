package emulator

import (
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// initBody creates a session from a raw init body and returns its URLs and
// id.
func (h *harness) sessionBody(asset, body string) (initReply, string) {
	h.t.Helper()
	resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/"+asset, body)
	require.Equal(h.t, 200, resp.StatusCode, b)
	var r initReply
	require.NoError(h.t, json.Unmarshal([]byte(b), &r))
	id := r.ManifestURL[strings.Index(r.ManifestURL, "aws.sessionId=")+len("aws.sessionId="):]
	if i := strings.IndexByte(id, '&'); i >= 0 {
		id = id[:i]
	}
	return r, id
}

var (
	reHLSURI  = regexp.MustCompile(`(?m)^[^#\s].*$|URI="([^"]+)"`)
	reDASHURL = regexp.MustCompile(`(?:initialization|media)="([^"]+)"`)
)

// TestManifestParamsEverywhere checks that manifestParams reach every URL
// the emulator generates: HLS content and ad segments and init sections,
// DASH SegmentTemplates of content and ad periods.
func TestManifestParamsEverywhere(t *testing.T) {
	const body = `{"manifestParams":{"a":"1","b":"x y"}}`
	const want = "a=1&b=x+y"
	t.Run("hls", func(t *testing.T) {
		h := newHarness(t, nil)
		_, id := h.sessionBody("vod/index.m3u8", body)
		for _, track := range []string{"0", "1"} {
			pl := h.mediaPlaylist(id, track)
			ads, n := 0, 0
			for _, m := range reHLSURI.FindAllStringSubmatch(pl, -1) {
				u := m[0]
				if m[1] != "" {
					u = m[1]
				}
				n++
				assert.True(t, strings.HasSuffix(u, "?"+want), "%s lacks the manifestParams", u)
				if strings.Contains(u, "/ads/") {
					ads++
				}
			}
			assert.Greater(t, n, 10)
			assert.Greater(t, ads, 0, "ad segments are listed")
		}
	})
	t.Run("dash", func(t *testing.T) {
		h := newHarness(t, nil)
		r, _ := h.sessionBody("vod/index.mpd", body)
		resp, mpd := h.do("GET", r.ManifestURL, "")
		require.Equal(t, 200, resp.StatusCode, mpd)
		ads := 0
		ms := reDASHURL.FindAllStringSubmatch(mpd, -1)
		require.NotEmpty(t, ms)
		for _, m := range ms {
			u := html.UnescapeString(m[1])
			assert.True(t, strings.HasSuffix(u, "?"+want), "%s lacks the manifestParams", u)
			if strings.Contains(u, "/ads/") {
				ads++
			}
		}
		assert.Greater(t, ads, 0, "ad periods are listed")
		assert.NotContains(t, mpd, "&b=", "ampersands are escaped in XML")
	})
}

func TestOverlayAvails(t *testing.T) {
	tests := []struct {
		name, body string
		overlays   int
	}{
		{"default", `{"adsParams":{"scenario":"nonlinear"}}`, 2},
		{"on", `{"adsParams":{"scenario":"nonlinear"},"overlayAvails":"on"}`, 2},
		{"off", `{"adsParams":{"scenario":"nonlinear"},"overlayAvails":"off"}`, 0},
		{"OFF", `{"adsParams":{"scenario":"nonlinear"},"overlayAvails":"OFF"}`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, nil)
			r, id := h.sessionBody("vod/index.m3u8", tc.body)
			h.mediaPlaylist(id, "0")
			tr := h.tracking(r.TrackingURL)
			assert.Len(t, tr.NonLinearAvails, tc.overlays)
			assert.Empty(t, tr.Avails, "an overlay-only avail is never a linear one")
		})
	}
	h := newHarness(t, nil)
	resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/vod/index.m3u8", `{"overlayAvails":"maybe"}`)
	assert.Equal(t, 400, resp.StatusCode, b)
}

// midBreakHarness returns a harness whose clock is 6 s into a live break.
func midBreakHarness(t *testing.T) *harness {
	h := newHarness(t, nil)
	ch := h.srv.channel(h.srv.cfg.lookup("availkit"))
	now := h.clock.Now().Sub(astEpoch)
	bs, _ := ch.breakWindow(int64(now/ch.every) + 1)
	h.clock.Add(bs + 6*time.Second - now)
	return h
}

func TestAvailSuppression(t *testing.T) {
	tests := []struct {
		name, body, query string
		status            int
		ads               bool
	}{
		{name: "none: a break begun before the session plays content", body: `{}`, status: 200},
		{name: "OFF", body: `{"availSuppression":{"mode":"OFF","value":"00:00:00"}}`, status: 200},
		{name: "behind 0", body: `{"availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"00:00:00"}}`, status: 200},
		{name: "behind 1 min fills it", body: `{"availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"00:01:00"}}`, status: 200, ads: true},
		{name: "behind 5 s: the break began 6 s ago", body: `{"availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"00:00:05"}}`, status: 200},
		{name: "query form", body: ``, query: "?aws.availSuppressionMode=BEHIND_LIVE_EDGE&aws.availSuppressionValue=00:00:30", status: 200, ads: true},
		{name: "bad mode", body: `{"availSuppression":{"mode":"SOMETIMES","value":"00:00:00"}}`, status: 400},
		{name: "bad value", body: `{"availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"30s"}}`, status: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := midBreakHarness(t)
			resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/live/index.m3u8"+tc.query, tc.body)
			require.Equal(t, tc.status, resp.StatusCode, b)
			if tc.status != 200 {
				assert.Equal(t, "BadRequestException:http://internal.amazon.com/coral/com.amazon.elemental.midas.mms.coral/", resp.Header.Get("x-amzn-ErrorType"))
				return
			}
			var r initReply
			require.NoError(t, json.Unmarshal([]byte(b), &r))
			id := r.TrackingURL[strings.LastIndex(r.TrackingURL, "/")+1:]
			pl := h.mediaPlaylist(id, "0")
			tr := h.tracking(r.TrackingURL)
			filled := len(tr.Avails) > 0 && len(tr.Avails[0].Ads) > 0
			assert.Equal(t, tc.ads, filled, "tracking: %+v", tr.Avails)
			assert.Equal(t, tc.ads, strings.Contains(pl, "/ads/"), pl)
		})
	}
}

// TestServerSideBeacons plays every segment of a VOD session in
// reportingMode "server" and checks that the emulator fired each ad's
// impression, start, quartiles and complete exactly once, on the segment
// the tracking JSON gives as the event's eventId.
func TestServerSideBeacons(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.sessionBody("vod/index.m3u8", `{"reportingMode":"server"}`)
	pl := h.mediaPlaylist(id, "0")
	tr := h.tracking(r.TrackingURL)
	var segURLs []string
	for _, line := range strings.Split(pl, "\n") {
		switch {
		case strings.HasPrefix(line, "http"):
			segURLs = append(segURLs, line)
		case strings.HasPrefix(line, "/"):
			segURLs = append(segURLs, h.ts.URL+line)
		}
	}
	require.NotEmpty(t, segURLs)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	type key struct{ avail, ad, event string }
	firedAt := map[key]string{}       // event -> msn of the request that fired it
	for pass := 0; pass < 2; pass++ { // the second pass (a replay) fires nothing new
		for msn, u := range segURLs {
			before := len(h.srv.sessions.get(id).beacons.snapshot(0))
			resp, err := cl.Get(u)
			require.NoError(t, err)
			resp.Body.Close()
			if !strings.Contains(u, "/v1/segment/") {
				assert.Equal(t, 200, resp.StatusCode, u)
				continue
			}
			require.Equal(t, http.StatusMovedPermanently, resp.StatusCode, u)
			loc := resp.Header.Get("Location")
			assert.Contains(t, loc, "/media/ads/")
			got, err := http.Get(h.ts.URL + loc)
			require.NoError(t, err)
			got.Body.Close()
			assert.Equal(t, 200, got.StatusCode, loc)
			for _, b := range h.srv.sessions.get(id).beacons.snapshot(0)[before:] {
				assert.True(t, b.ServerSide)
				k := key{b.TrackingAvailID, b.TrackingAdID, b.EventType}
				_, dup := firedAt[k]
				assert.False(t, dup, "%v fired twice", k)
				firedAt[k] = strconv.Itoa(msn) // VOD media sequence numbers start at 0
			}
		}
	}
	want := map[key]string{}
	for _, av := range tr.Avails {
		for _, ad := range av.Ads {
			for _, ev := range ad.TrackingEvents {
				switch ev.EventType {
				case "impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete":
					want[key{av.AvailID, ad.AdID, ev.EventType}] = ev.EventID
				}
			}
		}
	}
	assert.Len(t, want, 5*6, "five ads, six server-side events each")
	// Hybrid mode keeps the VMAP break events too: breakStart with the
	// break's first impression, breakEnd with its last complete.
	for _, av := range tr.Avails {
		first, last := av.Ads[0].AdID, av.Ads[len(av.Ads)-1].AdID
		want[key{av.AvailID, "", "breakStart"}] = want[key{av.AvailID, first, "impression"}]
		want[key{av.AvailID, "", "breakEnd"}] = want[key{av.AvailID, last, "complete"}]
	}
	assert.Equal(t, want, firedAt)

	// Client-side sessions list the ad segments directly.
	_, cid := h.sessionBody("vod/index.m3u8", `{}`)
	assert.NotContains(t, h.mediaPlaylist(cid, "0"), "/v1/segment/")
}

// TestServerSideBeaconsLive checks the live HLS path: ad segments of a
// server-mode session go through /v1/segment and fire beacons tied to the
// live tracking ids; an unknown media sequence is a 404.
func TestServerSideBeaconsLive(t *testing.T) {
	h := midBreakHarness(t)
	r, id := h.sessionBody("live/index.m3u8", `{"reportingMode":"server","availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"00:01:00"}}`)
	pl := h.mediaPlaylist(id, "0")
	tr := h.tracking(r.TrackingURL)
	require.NotEmpty(t, tr.Avails)
	require.NotEmpty(t, tr.Avails[0].Ads)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for _, line := range strings.Split(pl, "\n") {
		if !strings.Contains(line, "/v1/segment/") {
			continue
		}
		n++
		resp, err := cl.Get(line)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode, line)
	}
	require.Greater(t, n, 0, "ad segments go through the segment route:\n%s", pl)
	hits := h.srv.sessions.get(id).beacons.snapshot(0)
	require.NotEmpty(t, hits)
	ads := map[string]bool{}
	for _, ad := range tr.Avails[0].Ads {
		ads[ad.AdID] = true
	}
	for _, b := range hits {
		assert.True(t, b.ServerSide)
		assert.Equal(t, tr.Avails[0].AvailID, b.TrackingAvailID)
		if b.EventType == "breakStart" || b.EventType == "breakEnd" {
			assert.Empty(t, b.TrackingAdID, "a break event belongs to no ad")
			continue
		}
		assert.True(t, ads[b.TrackingAdID], "hit for ad %s listed in tracking", b.TrackingAdID)
	}
	resp, _ := h.do("GET", "/v1/segment/"+acct+"/availkit/"+id+"/video/1", "")
	assert.Equal(t, 404, resp.StatusCode)
}
