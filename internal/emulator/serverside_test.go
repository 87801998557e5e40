package emulator

import (
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mpdSegments lists the video segment URLs of every Period of an MPD, in
// order, expanding each SegmentTemplate's $Number$ over its timeline.
func mpdSegments(t *testing.T, mpd string) []string {
	t.Helper()
	var doc struct {
		Periods []struct {
			Sets []struct {
				ContentType string `xml:"contentType,attr"`
				Template    struct {
					Media       string `xml:"media,attr"`
					StartNumber int    `xml:"startNumber,attr"`
					S           []struct {
						R int `xml:"r,attr"`
					} `xml:"SegmentTimeline>S"`
				} `xml:"SegmentTemplate"`
			} `xml:"AdaptationSet"`
		} `xml:"Period"`
	}
	require.NoError(t, xml.Unmarshal([]byte(mpd), &doc))
	var out []string
	for _, p := range doc.Periods {
		for _, as := range p.Sets {
			if as.ContentType != "video" {
				continue
			}
			n := 0
			for _, s := range as.Template.S {
				n += s.R + 1
			}
			for i := range n {
				num := as.Template.StartNumber + i
				u := strings.Replace(as.Template.Media, "$Number$", strconv.Itoa(num), 1)
				u = strings.Replace(u, "$Number%05d$", padNumber(num), 1)
				out = append(out, u)
			}
		}
	}
	return out
}

func padNumber(n int) string {
	s := strconv.Itoa(n)
	return strings.Repeat("0", max(0, 5-len(s))) + s
}

// TestServerSideBeaconsDASH plays every video segment of a DASH VOD session
// in reportingMode "server", twice: the emulator fires each ad's
// impression, start, quartiles and complete and each break's breakStart and
// breakEnd exactly once, through the segment route its ad periods list.
func TestServerSideBeaconsDASH(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.sessionBody("vod/index.mpd", `{"reportingMode":"server"}`)
	_, mpd := h.do("GET", r.ManifestURL, "")
	tr := h.tracking(r.TrackingURL)
	segs := mpdSegments(t, mpd)
	require.NotEmpty(t, segs)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	type key struct{ avail, ad, event string }
	fired := map[key]int{}
	routed := 0
	for pass := 0; pass < 2; pass++ { // the replay fires nothing new
		for _, u := range segs {
			if !strings.Contains(u, "/v1/segment/") {
				assert.NotContains(t, u, "/media/ads/", "an ad segment bypasses the segment route")
				continue
			}
			routed++
			before := len(h.srv.sessions.get(id).beacons.snapshot(0))
			resp, err := cl.Get(u)
			require.NoError(t, err)
			resp.Body.Close()
			require.Equal(t, http.StatusMovedPermanently, resp.StatusCode, u)
			loc := resp.Header.Get("Location")
			assert.Contains(t, loc, "/media/ads/")
			got, err := http.Get(h.ts.URL + loc)
			require.NoError(t, err)
			got.Body.Close()
			assert.Equal(t, 200, got.StatusCode, loc)
			for _, b := range h.srv.sessions.get(id).beacons.snapshot(0)[before:] {
				assert.True(t, b.ServerSide)
				fired[key{b.TrackingAvailID, b.TrackingAdID, b.EventType}]++
			}
		}
	}
	require.Positive(t, routed, "ad segments go through the segment route:\n%s", mpd)
	want := map[key]int{}
	for _, av := range tr.Avails {
		want[key{av.AvailID, "", "breakStart"}] = 1
		want[key{av.AvailID, "", "breakEnd"}] = 1
		for _, ad := range av.Ads {
			for _, ev := range serverEvents {
				want[key{av.AvailID, ad.AdID, ev}] = 1
			}
		}
	}
	assert.Len(t, want, 5*6+2*2, "five ads in two breaks")
	assert.Equal(t, want, fired)

	// Client-side sessions list the ad segments directly.
	cr, _ := h.sessionBody("vod/index.mpd", `{}`)
	_, cmpd := h.do("GET", cr.ManifestURL, "")
	assert.NotContains(t, cmpd, "/v1/segment/")
}

// TestServerSideBeaconsDASHLive: the ad periods of a live DASH server-mode
// session go through the segment route and fire beacons tied to the live
// tracking ids; a reference to no listed segment is a 404.
func TestServerSideBeaconsDASHLive(t *testing.T) {
	h := midBreakHarness(t)
	r, id := h.sessionBody("live/index.mpd", `{"reportingMode":"server","availSuppression":{"mode":"BEHIND_LIVE_EDGE","value":"00:01:00"}}`)
	_, mpd := h.do("GET", r.ManifestURL, "")
	tr := h.tracking(r.TrackingURL)
	require.NotEmpty(t, tr.Avails)
	require.NotEmpty(t, tr.Avails[0].Ads)
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	n := 0
	for _, u := range mpdSegments(t, mpd) {
		if !strings.Contains(u, "/v1/segment/") {
			continue
		}
		n++
		resp, err := cl.Get(u)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusMovedPermanently, resp.StatusCode, u)
	}
	require.Positive(t, n, "ad segments go through the segment route:\n%s", mpd)
	hits := h.srv.sessions.get(id).beacons.snapshot(0)
	ads := map[string]map[string]bool{} // avail → its ads
	for _, av := range h.tracking(r.TrackingURL).Avails {
		ads[av.AvailID] = map[string]bool{}
		for _, ad := range av.Ads {
			ads[av.AvailID][ad.AdID] = true
		}
	}
	impressions := 0
	for _, b := range hits {
		assert.True(t, b.ServerSide)
		require.Contains(t, ads, b.TrackingAvailID, "hit for an avail listed in tracking")
		if b.EventType == "breakStart" || b.EventType == "breakEnd" {
			assert.Empty(t, b.TrackingAdID, "a break event belongs to no ad")
			continue
		}
		assert.True(t, ads[b.TrackingAvailID][b.TrackingAdID], "hit for ad %s of avail %s listed in tracking", b.TrackingAdID, b.TrackingAvailID)
		if b.EventType == "impression" {
			impressions++
		}
	}
	assert.Positive(t, impressions, "the published ad segments fired their impressions")
	for _, ref := range []string{"d1-nope", "d99999-" + tr.Avails[0].Ads[0].AdID, "1"} {
		resp, _ := h.do("GET", "/v1/segment/"+acct+"/availkit/"+id+"/video/"+ref, "")
		assert.Equal(t, 404, resp.StatusCode, ref)
	}
}
