package engine

import (
	"runtime"
	"strconv"
	"testing"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// liveWindow renders the tracking response a live session gets at stream
// time now: every break whose start lies in the window [now-window, now+30]
// (one 30 s break of two 15 s ads every 120 s), freshly built as a decode
// would.
func liveWindow(now, window float64) *tracking.Response {
	r := &tracking.Response{}
	first := 120 * float64(int((now-window)/120))
	for s := first; s <= now+30; s += 120 {
		if s < 120 {
			continue
		}
		id := strconv.Itoa(int(s))
		a := tracking.Avail{AvailID: id, StartTime: dur(s), Duration: dur(30)}
		a.AdBreakTrackingEvents = []tracking.TrackingEvent{
			{EventID: id + "-bs", EventType: "breakStart", StartTime: dur(s), BeaconURLs: []string{url(id, "", "breakStart")}},
			{EventID: id + "-be", EventType: "breakEnd", StartTime: dur(s + 30), BeaconURLs: []string{url(id, "", "breakEnd")}},
		}
		a.Ads = []tracking.Ad{stdAd(id, id+"-1", s, 15), stdAd(id, id+"-2", s+15, 15)}
		r.Avails = append(r.Avails, a)
	}
	return r
}

// TestLive24h plays a 24-hour live session on a fast fake clock: a poll
// every 6 s merges the window, prunes what left it and forgets the pruned
// avails' dedupe keys. The bytes held by the timeline and the dedupe set
// must stop growing once the window is full, and every ad must count its
// impression exactly once.
func TestLive24h(t *testing.T) {
	const (
		window  = 300.0 // seekable window (s)
		latency = 10.0  // playhead behind the live edge (s)
		step    = 0.5   // frame step of the fake clock (s)
	)
	cfg := DefaultConfig()
	cfg.Live = true
	e := New(cfg)
	// impressions counts per ad of the window; a pruned avail's ads are
	// checked and dropped, so the test's own bookkeeping does not grow the
	// heap it measures.
	impressions := map[string]int{}
	counted := 0
	d := beacon.NewDispatcher(func(_ string, done func(error)) { done(nil) }, func(r beacon.Result) {
		if r.Key.EventType == "impression" {
			impressions[r.Key.AdID]++
		}
	})
	settle := func(avail string) {
		for _, ad := range []string{avail + "-1", avail + "-2"} {
			assert.Equal(t, 1, impressions[ad], "impressions of %s", ad)
			delete(impressions, ad)
			counted++
		}
	}
	var buf []Action
	var ids []string
	type sample struct{ timeline, dedupe, keys int }
	var at1h sample
	var heap1h uint64
	var maxAfter1h sample
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	now := 1.7e12
	for edge := 0.0; edge <= 24*3600; edge += step {
		now += step * 1000
		if int(edge*2)%12 == 0 { // every 6 s
			e.Merge(liveWindow(edge, window))
			_, ids = e.PruneIDs(edge-window, ids[:0])
			for _, id := range ids {
				d.Forget(id)
				settle(id)
			}
		}
		if ph := edge - latency; ph >= 0 {
			e.Update(ph, now, FlagRendered)
			buf = e.Drain(buf[:0])
			for i := range buf {
				if buf[i].Kind == ActionBeacon {
					d.Fire(buf[i].BeaconKey(), buf[i].URL)
				}
			}
		}
		if int(edge*2)%1200 == 0 { // every 10 min
			keys, _, db := d.Remembered()
			s := sample{e.Timeline().Bytes(), db, keys}
			switch {
			case edge == 3600:
				at1h = s
				heap1h = heap()
			case edge > 3600:
				maxAfter1h.timeline = max(maxAfter1h.timeline, s.timeline)
				maxAfter1h.dedupe = max(maxAfter1h.dedupe, s.dedupe)
				maxAfter1h.keys = max(maxAfter1h.keys, s.keys)
			}
		}
	}
	keys, avails, db := d.Remembered()
	heap24h := heap()
	t.Logf("1 h: timeline %d B, dedupe %d B (%d keys); 24 h: timeline %d B, dedupe %d B (%d keys, %d avails); max after 1 h: timeline %d B, dedupe %d B",
		at1h.timeline, at1h.dedupe, at1h.keys, e.Timeline().Bytes(), db, keys, avails, maxAfter1h.timeline, maxAfter1h.dedupe)
	t.Logf("heap after GC: 1 h %d B, 24 h %d B", heap1h, heap24h)

	require.Positive(t, at1h.timeline)
	require.Positive(t, at1h.dedupe)
	assert.LessOrEqual(t, maxAfter1h.timeline, at1h.timeline*11/10, "timeline bytes stop growing")
	assert.LessOrEqual(t, maxAfter1h.dedupe, at1h.dedupe*11/10, "dedupe bytes stop growing")
	assert.LessOrEqual(t, avails, int(window)/120+2, "dedupe holds only the window's avails")
	// The heap is noisier (GC timing, runtime state): only a leak of more
	// than 64 KB over 23 h of polls fails it.
	assert.Less(t, int64(heap24h)-int64(heap1h), int64(64<<10), "heap stops growing")

	// Every ad of every break played in full counted one impression: the
	// pruned ones were settled as they left, the rest are settled here.
	for s := 120.0; s+30 <= 24*3600-latency; s += 120 {
		if id := strconv.Itoa(int(s)); e.Timeline().Find(id) >= 0 {
			settle(id)
		}
	}
	played := int(24*3600-latency-30) / 120 * 2 // two ads per break that ended before the last playhead
	assert.Equal(t, played, counted, "ads that played")
	assert.Empty(t, impressions, "no impression for an ad that did not play")
}
