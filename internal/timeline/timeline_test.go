package timeline

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func d(s float64) time.Duration { return time.Duration(math.Round(s * 1e9)) }

func ev(id, typ string, at float64, urls ...string) tracking.TrackingEvent {
	return tracking.TrackingEvent{EventID: id, EventType: typ, StartTime: d(at), BeaconURLs: urls}
}

func ad(id string, start, dur float64, events ...tracking.TrackingEvent) tracking.Ad {
	return tracking.Ad{AdID: id, StartTime: d(start), Duration: d(dur), TrackingEvents: events}
}

func avail(id string, start, dur, marker float64, ads ...tracking.Ad) tracking.Avail {
	return tracking.Avail{AvailID: id, StartTime: d(start), Duration: d(dur), AdMarkerDuration: d(marker), Ads: ads}
}

func resp(avails ...tracking.Avail) *tracking.Response { return &tracking.Response{Avails: avails} }

// TestMergeLiveFill follows one live break over four polls.
func TestMergeLiveFill(t *testing.T) {
	tl := New()
	// Poll 1: only the marker is known.
	st := tl.Merge(resp(avail("b", 100, 0, 30)))
	assert.Equal(t, MergeStats{NewAvails: 1, Avails: 1}, st)
	require.Len(t, tl.Avails(), 1)
	assert.Equal(t, 30.0, tl.Avails()[0].Duration, "marker duration while duration is 0")

	// Poll 2: first ad with its impression; fire it.
	st = tl.Merge(resp(avail("b", 100, 0, 30, ad("a1", 100, 15, ev("1", "impression", 100, "https://x/i1")))))
	assert.Equal(t, 1, st.NewAds)
	assert.Equal(t, 1, st.NewEvents)
	tl.Avails()[0].Ads[0].Events[0].Fired = true
	tl.Avails()[0].Watched = true

	// Poll 3: a second ad, the first ad's quartile, duration still 0 and no
	// marker (a later response that lost it): nothing shrinks, nothing resets.
	st = tl.Merge(resp(tracking.Avail{AvailID: "b", StartTime: d(100), Ads: []tracking.Ad{
		ad("a1", 100, 15, ev("1", "impression", 100, "https://x/i1"), ev("2", "firstQuartile", 103.75, "https://x/q1")),
		ad("a2", 115, 15, ev("5", "impression", 115, "https://x/i2")),
	}}))
	assert.Equal(t, MergeStats{NewAds: 1, NewEvents: 2, Avails: 1}, st)
	a := tl.Avails()[0]
	assert.Equal(t, 30.0, a.Duration)
	assert.True(t, a.Watched, "watched survives merge")
	require.Len(t, a.Ads, 2)
	assert.True(t, a.Ads[0].Events[0].Fired, "fired survives merge")
	assert.False(t, a.Ads[0].Events[1].Fired)

	// Poll 4: the real duration arrives and is longer than the marker.
	tl.Merge(resp(avail("b", 100, 31, 30)))
	assert.Equal(t, 31.0, tl.Avails()[0].Duration)
	assert.Equal(t, 131.0, tl.Avails()[0].End)
	assert.True(t, tl.Avails()[0].Ads[0].Events[0].Fired)
}

func TestMergeDurations(t *testing.T) {
	cases := []struct {
		name    string
		in      tracking.Avail
		wantDur float64
	}{
		{"own duration", avail("a", 10, 12, 30), 12},
		{"marker while zero", avail("a", 10, 0, 30), 30},
		{"unfilled", avail("a", 10, 0, 0), 0},
		{"ads run past the duration", avail("a", 10, 5, 0, ad("x", 10, 8)), 8},
		{"ads only", avail("a", 10, 0, 0, ad("x", 10, 6), ad("y", 16, 6)), 12},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			tl := New()
			tl.Merge(resp(c.in))
			assert.InDelta(t, c.wantDur, tl.Avails()[0].Duration, 1e-9)
			assert.InDelta(t, 10+c.wantDur, tl.Avails()[0].End, 1e-9)
		})
	}
}

// TestMergeOrderAndOverlap: out-of-order polls are sorted by start, the map
// follows, and an avail overlapping the next is trimmed.
func TestMergeOrderAndOverlap(t *testing.T) {
	tl := New()
	tl.Merge(resp(avail("c", 300, 10, 0), avail("a", 100, 10, 0)))
	tl.Merge(resp(avail("b", 200, 150, 0)))
	var ids []string
	for _, a := range tl.Avails() {
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"a", "b", "c"}, ids)
	for i, id := range ids {
		assert.Equal(t, i, tl.Find(id))
	}
	assert.Equal(t, 300.0, tl.Avails()[1].End, "b trimmed at c's start")
	assert.Equal(t, -1, tl.Find("zzz"))
}

// TestRefsOrder: at one instant breakStart comes first, then the ads in
// order, breakEnd last; breakStart/breakEnd follow the avail bounds.
func TestRefsOrder(t *testing.T) {
	a := avail("a", 10, 10, 0,
		ad("x", 10, 5, ev("1", "impression", 10, "https://x/i"), ev("1", "complete", 15, "https://x/c"), ev("1", "pause", 0, "https://x/p")),
		ad("y", 15, 5, ev("2", "impression", 15, "https://y/i"), ev("2", "complete", 20, "https://y/c")))
	a.AdBreakTrackingEvents = []tracking.TrackingEvent{ev("", "breakEnd", 10, "https://b/e"), ev("", "breakStart", 0, "https://b/s")}
	tl := New()
	tl.Merge(resp(a))
	var got []string
	for _, r := range tl.Refs() {
		got = append(got, fmt.Sprintf("%g %s", r.At, tl.Event(r).URL))
	}
	assert.Equal(t, []string{
		"10 https://b/s", "10 https://x/i", "15 https://x/c", "15 https://y/i", "20 https://y/c", "20 https://b/e",
	}, got, "pause is an Action event, not scheduled")
}

func TestPrune(t *testing.T) {
	tl := New()
	tl.Merge(resp(avail("a", 10, 10, 0), avail("b", 30, 10, 0), avail("c", 50, 10, 0)))
	assert.Equal(t, 0, tl.Prune(19.9))
	assert.Equal(t, 1, tl.Prune(20), "a ends at the seekable start")
	assert.Equal(t, 0, tl.Prune(35), "b still partly in the window")
	require.Len(t, tl.Avails(), 2)
	assert.Equal(t, 0, tl.Find("b"))
	st := tl.Merge(resp(avail("a", 10, 10, 0), avail("d", 70, 10, 0)))
	assert.Equal(t, 1, st.Ignored, "a pruned avail does not come back")
	assert.Equal(t, 3, st.Avails)
}

func TestContentStreamTime(t *testing.T) {
	tl := New()
	// pre-roll 0-10, mid 30-38, unfilled at 50, mid 60-65
	tl.Merge(resp(avail("pre", 0, 10, 0), avail("m1", 30, 8, 0), avail("u", 50, 0, 0), avail("m2", 60, 5, 0)))
	cases := []struct{ stream, content float64 }{
		{0, 0}, {5, 0}, {10, 0}, {20, 10}, {30, 20}, {34, 20}, {38, 20}, {50, 32}, {60, 42}, {62, 42}, {70, 47},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.stream), func(t *testing.T) {
			assert.InDelta(t, c.content, tl.ContentTime(c.stream), 1e-9)
		})
	}
	back := []struct{ content, stream float64 }{
		{0, 0}, {5, 15}, {20, 30}, {21, 39}, {42, 60}, {47, 70},
	}
	for _, c := range back {
		t.Run(fmt.Sprint("back ", c.content), func(t *testing.T) {
			s := tl.StreamTime(c.content)
			assert.InDelta(t, c.stream, s, 1e-9)
			assert.InDelta(t, c.content, tl.ContentTime(s), 1e-9, "round trip")
		})
	}
	assert.InDelta(t, 23.0, tl.AdDuration(), 1e-9)
}

func TestMarkers(t *testing.T) {
	tl := New()
	tl.Merge(resp(avail("a", 0, 6, 0), avail("u", 20, 0, 0), avail("b", 40, 0, 12)))
	tl.Avails()[0].Watched = true
	assert.Equal(t, []Marker{
		{AvailID: "a", Start: 0, Duration: 6, Watched: true},
		{AvailID: "b", Start: 40, Duration: 12},
	}, tl.Markers(nil))
}

// TestGolden merges decoded tracking fixtures and compares a dump of the
// timeline with testdata/*.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			r, err := tracking.Decode(data)
			require.NoError(t, err)
			tl := New()
			tl.Merge(r)
			tl.Merge(r) // a second identical poll changes nothing
			var b strings.Builder
			for _, a := range tl.Avails() {
				fmt.Fprintf(&b, "avail %s start=%.9f dur=%.9f end=%.9f ads=%d\n", a.ID, a.Start, a.Duration, a.End, len(a.Ads))
				for _, e := range a.Break {
					fmt.Fprintf(&b, "  break %s at=%.9f %s\n", e.Type, e.At, e.URL)
				}
				for _, ad := range a.Ads {
					fmt.Fprintf(&b, "  ad %s start=%.9f dur=%.9f skip=%.3f click=%q vpaid=%v\n", ad.ID, ad.Start, ad.Duration, ad.Skip, ad.ClickThrough, ad.VPAID != nil)
					for _, e := range ad.Events {
						fmt.Fprintf(&b, "    %s id=%s at=%.9f kind=%d %s\n", e.Type, e.ID, e.At, e.Kind, e.URL)
					}
				}
			}
			for _, m := range tl.Markers(nil) {
				fmt.Fprintf(&b, "marker %s %.3f+%.3f\n", m.AvailID, m.Start, m.Duration)
			}
			golden := strings.TrimSuffix(path, ".json") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(b.String()), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), b.String())
		})
	}
}

// bigResponse builds n avails of 4 ads with 6 timed and 2 action events
// each, in start order, as a long VOD or a day of live would.
func bigResponse(n int) *tracking.Response {
	r := &tracking.Response{Avails: make([]tracking.Avail, 0, n)}
	t := 0.0
	for i := 0; i < n; i++ {
		id := fmt.Sprint(1000000 + i)
		a := tracking.Avail{AvailID: id, StartTime: d(t), Duration: d(40)}
		for k := 0; k < 4; k++ {
			s := t + float64(k)*10
			adID := fmt.Sprint(id, "-", k)
			var evs []tracking.TrackingEvent
			for j, typ := range []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete", "pause", "resume"} {
				evs = append(evs, ev(fmt.Sprint(j), typ, s+float64(j)*2, "https://ads.example.com/t?e="+typ+"&ad="+adID))
			}
			a.Ads = append(a.Ads, ad(adID, s, 10, evs...))
		}
		r.Avails = append(r.Avails, a)
		t += 100
	}
	return r
}

// benchMerge measures a first poll plus a repeat poll of n avails into a
// fresh timeline: the repeat is the steady state of live polling.
func benchMerge(b *testing.B, n int) {
	r := bigResponse(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tl := New()
		tl.Merge(r)
		tl.Merge(r)
	}
}

func BenchmarkMerge1k(b *testing.B)  { benchMerge(b, 1000) }
func BenchmarkMerge10k(b *testing.B) { benchMerge(b, 10000) }

// bigJSON renders about size bytes of MediaTailor-shaped tracking JSON.
func bigJSON(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"avails":[`)
	t := 10.0
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"adBreakTrackingEvents":[],"adMarkerDuration":"PT60S","ads":[`)
		for k := 0; k < 4; k++ {
			if k > 0 {
				b.WriteByte(',')
			}
			s := t + float64(k)*15
			fmt.Fprintf(&b, `{"adId":"%d","adParameters":"","adProgramDateTime":null,"adSystem":"GDFP","adTitle":"ad %d","adVerifications":[],"companionAds":[],"creativeId":"c%d","creativeSequence":"1","duration":"PT15.015S","durationInSeconds":15.015,"extensions":[],"mediaFiles":{"mediaFilesList":[],"mezzanine":""},"skipOffset":null,"startTime":"PT%.6fS","startTimeInSeconds":%.3f,"trackingEvents":[`, i*10+k, k, k, s, s)
			for j, typ := range []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"} {
				if j > 0 {
					b.WriteByte(',')
				}
				at := s + []float64{0, 0, 3.75, 7.5, 11.25, 15}[j]
				fmt.Fprintf(&b, `{"beaconUrls":["https://adserver.example.com/track?e=%s&ad=%d&cb=[CACHEBUSTING]"],"duration":"PT0S","durationInSeconds":0,"eventId":"%d","eventProgramDateTime":null,"eventType":"%s","startTime":"PT%.6fS","startTimeInSeconds":%.3f}`, typ, i*10+k, i*10+k+j, typ, at, at)
			}
			b.WriteString(`]}`)
		}
		fmt.Fprintf(&b, `],"availId":"%d","availProgramDateTime":null,"duration":"PT60S","durationInSeconds":60,"meta":null,"nonLinearAdsList":[],"startTime":"PT%.6fS","startTimeInSeconds":%.3f}`, i, t, t)
		t += 120
	}
	b.WriteString(`],"nextToken":null,"nonLinearAvails":[]}`)
	return []byte(b.String())
}

// BenchmarkDecodeMerge1MB is the cost of one large poll: decode plus merge
// into a timeline that already holds the same avails (steady live polling).
func BenchmarkDecodeMerge1MB(b *testing.B) {
	data := bigJSON(1 << 20)
	r0, err := tracking.Decode(data)
	require.NoError(b, err)
	tl := New()
	tl.Merge(r0)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := tracking.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		tl.Merge(r)
	}
}

func TestMergeNonLinear(t *testing.T) {
	nl := func(id string, start, dur, adDur float64) tracking.Avail {
		return tracking.Avail{AvailID: id, StartTime: d(start), Duration: d(dur), NonLinearAdsList: []tracking.NonLinearAds{{
			NonLinearAdList: []tracking.NonLinearAd{{AdID: id + "-1", Duration: d(adDur)}},
		}}}
	}
	tl := New()
	tl.Merge(&tracking.Response{NonLinearAvails: []tracking.Avail{nl("o2", 200, 0, 0), nl("o1", 100, 0, 10)}})
	got := tl.NonLinear()
	require.Len(t, got, 2)
	assert.Equal(t, "o1", got[0].ID, "sorted by start")
	assert.Equal(t, 10.0, got[0].Duration, "from the nonLinearAd")
	assert.Equal(t, 0.0, got[1].Duration, "unknown")
	got[0].Shown = true
	tl.Merge(&tracking.Response{NonLinearAvails: []tracking.Avail{nl("o1", 100, 0, 0)}})
	assert.True(t, tl.NonLinear()[0].Shown, "shown survives merge")
	assert.Equal(t, 10.0, tl.NonLinear()[0].Duration, "duration never drops to 0")
	assert.Empty(t, tl.Avails(), "overlays are not linear breaks")
	tl.Prune(150)
	require.Len(t, tl.NonLinear(), 1)
	assert.Equal(t, "o2", tl.NonLinear()[0].ID)
}

// benchRemerge measures the steady state of polling: the same n avails
// merged again into a timeline that holds them (nothing new to add).
func benchRemerge(b *testing.B, n int) {
	r := bigResponse(n)
	tl := New()
	tl.Merge(r)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tl.Merge(r)
	}
}

// BenchmarkMergeScaling reports the cost per avail of a first merge and of
// a repeat merge over doubling sizes: with a linear merge ns/avail stays
// flat but for cache effects, which level off once the timeline no longer
// fits in cache; anything quadratic keeps doubling. Compare the minimum of
// several -count runs: the box is shared.
func BenchmarkMergeScaling(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000, 8000, 16000} {
		r := bigResponse(n)
		b.Run(fmt.Sprintf("first/%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				New().Merge(r)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/avail")
		})
		b.Run(fmt.Sprintf("again/%d", n), func(b *testing.B) {
			tl := New()
			tl.Merge(r)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tl.Merge(r)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/avail")
		})
	}
}

func BenchmarkRemerge1k(b *testing.B)  { benchRemerge(b, 1000) }
func BenchmarkRemerge10k(b *testing.B) { benchRemerge(b, 10000) }

// TestClickThroughLanding: the clickThrough event's first URL is the landing
// page, kept only when it is http(s) (the page opens it), and never a
// scheduled beacon; clickTracking stays a manual event.
func TestClickThroughLanding(t *testing.T) {
	for _, c := range []struct {
		url, want string
	}{
		{"https://shop.test/a?b=1", "https://shop.test/a?b=1"},
		{"HTTP://shop.test/", "HTTP://shop.test/"},
		{"javascript:alert(1)", ""},
		{"data:text/html,<script>alert(1)</script>", ""},
		{"//shop.test/", ""},
		{"https://", ""},
		{"https://user:pw@shop.test/", ""},
		{"https://shop.test:8443", "https://shop.test:8443"},
		{"", ""},
	} {
		t.Run(c.url, func(t *testing.T) {
			tl := New()
			tl.Merge(resp(avail("a", 10, 10, 0, ad("x", 10, 10,
				ev("1", "clickThrough", 10, c.url),
				ev("2", "clickTracking", 10, "https://b.test/ct"),
				ev("3", "impression", 10, "https://b.test/imp")))))
			x := tl.Avails()[0].Ads[0]
			assert.Equal(t, c.want, x.ClickThrough)
			for _, r := range tl.Refs() {
				assert.Equal(t, "impression", tl.Event(r).Type, "only the impression is scheduled")
			}
			for _, e := range x.Events {
				assert.NotEqual(t, "clickThrough", e.Type, "the landing page is no beacon")
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for typ, want := range map[string]Kind{
		"impression": Timed, "creativeView": Timed, "progress": Timed, "breakEnd": Timed, "somethingNew": Timed,
		"pause": Action, "playerExpand": Action, "expand": Action, "collapse": Action,
		"skip": Manual, "clickTracking": Manual, "clickThrough": Manual, "error": Manual, "close": Manual,
	} {
		assert.Equal(t, want, KindOf(typ), typ)
	}
}

// TestRemergeFollowsChanges: a repeat poll that changes one time (or adds
// one thing) leaves the timeline exactly as a fresh merge of the new poll
// would: a merge that changes nothing skips the derived-state rebuild, so
// every change must be noticed.
func TestRemergeFollowsChanges(t *testing.T) {
	base := func() *tracking.Response {
		a := avail("b", 100, 30, 0,
			ad("a1", 100, 15, ev("1", "impression", 100, "https://x/i1"), ev("2", "midpoint", 107.5, "https://x/m1")),
			ad("a2", 115, 15, ev("3", "impression", 115, "https://x/i2")))
		a.AdBreakTrackingEvents = []tracking.TrackingEvent{
			ev("bs", "breakStart", 0, "https://x/bs"), ev("be", "breakEnd", 0, "https://x/be"), ev("bx", "custom", 0, "https://x/bx")}
		return resp(a, avail("c", 300, 10, 0, ad("c1", 300, 10, ev("4", "impression", 300, "https://x/i3"))))
	}
	for _, c := range []struct {
		name   string
		change func(r *tracking.Response)
	}{
		{"nothing", func(r *tracking.Response) {}},
		{"avail start", func(r *tracking.Response) { r.Avails[1].StartTime = d(290); r.Avails[1].Ads[0].StartTime = d(290) }},
		{"avail duration", func(r *tracking.Response) { r.Avails[0].Duration = d(40) }},
		{"ad duration past the avail", func(r *tracking.Response) { r.Avails[0].Ads[1].Duration = d(25) }},
		{"event time", func(r *tracking.Response) { r.Avails[0].Ads[0].TrackingEvents[1].StartTime = d(108) }},
		{"break event gets a time", func(r *tracking.Response) { r.Avails[0].AdBreakTrackingEvents[2].StartTime = d(110) }},
		{"new event", func(r *tracking.Response) {
			r.Avails[0].Ads[1].TrackingEvents = append(r.Avails[0].Ads[1].TrackingEvents, ev("5", "complete", 130, "https://x/c2"))
		}},
		{"new ad", func(r *tracking.Response) {
			r.Avails[1].Ads = append(r.Avails[1].Ads, ad("c2", 310, 5, ev("6", "impression", 310, "https://x/i4")))
		}},
		{"avails out of order", func(r *tracking.Response) { r.Avails[0], r.Avails[1] = r.Avails[1], r.Avails[0] }},
	} {
		t.Run(c.name, func(t *testing.T) {
			tl := New()
			tl.Merge(base())
			r := base()
			c.change(r)
			tl.Merge(r)
			fresh := New()
			fresh.Merge(r)
			assert.Equal(t, describe(fresh), describe(tl))
		})
	}
}

// describe renders what the engine reads from a timeline: avail and ad
// times and the ordered Timed events.
func describe(tl *Timeline) string {
	var b strings.Builder
	for _, a := range tl.Avails() {
		fmt.Fprintf(&b, "avail %s %g+%g=%g\n", a.ID, a.Start, a.Duration, a.End)
		for _, x := range a.Ads {
			fmt.Fprintf(&b, "  ad %s %g+%g=%g\n", x.ID, x.Start, x.Duration, x.End)
		}
	}
	for _, r := range tl.Refs() {
		e := tl.Event(r)
		fmt.Fprintf(&b, "ref %g %d/%d %s %s\n", r.At, r.Avail, r.Ad, e.Type, e.URL)
	}
	fmt.Fprintf(&b, "content(200)=%g\n", tl.ContentTime(200))
	return b.String()
}
