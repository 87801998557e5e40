package timeline

import (
	"fmt"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRepollChangedURL: an event's identity is {eventId, eventType,
// position}, so a re-poll that changes its URL (a re-signed link, a server
// cachebuster) updates the URL of the one event and keeps its Fired flag,
// for ads with few events (scan) and many (identity map).
func TestRepollChangedURL(t *testing.T) {
	for _, extra := range []int{0, 40} {
		t.Run(fmt.Sprintf("extra=%d", extra), func(t *testing.T) {
			poll := func(sig string) *tracking.Response {
				evs := []tracking.TrackingEvent{
					ev("1", "impression", 10, "https://a.test/imp?sig="+sig, "https://b.test/imp?sig="+sig),
					ev("2", "start", 10, "https://a.test/start?sig="+sig),
				}
				for i := 0; i < extra; i++ {
					evs = append(evs, ev(fmt.Sprint("p", i), "progress", 11, "https://a.test/p?sig="+sig))
				}
				if sig != "1" {
					// A later poll lists the events in another order.
					evs[0], evs[1] = evs[1], evs[0]
				}
				return resp(avail("a", 10, 10, 0, ad("x", 10, 10, evs...)))
			}
			tl := New()
			tl.Merge(poll("1"))
			x := &tl.Avails()[0].Ads[0]
			require.Len(t, x.Events, 3+extra)
			for j := range x.Events {
				if x.Events[j].Type == "impression" {
					x.Events[j].Fired = true
				}
			}
			st := tl.Merge(poll("2"))
			assert.Zero(t, st.NewEvents, "a changed URL is not a new event")
			x = &tl.Avails()[0].Ads[0]
			require.Len(t, x.Events, 3+extra)
			got := map[string]bool{}
			for _, e := range x.Events {
				if e.Type != "progress" {
					got[fmt.Sprintf("%s#%d %s", e.Type, e.Index, e.URL)] = e.Fired
				}
			}
			assert.Equal(t, map[string]bool{
				"impression#0 https://a.test/imp?sig=2": true,
				"impression#1 https://b.test/imp?sig=2": true,
				"start#0 https://a.test/start?sig=2":    false,
			}, got, "newest URLs, fired state kept")
		})
	}
}

// TestSameTypeWithoutID: an ad that lists one event type twice without an
// eventId keeps both beacons (their positions differ), and a repeat poll
// adds neither again.
func TestSameTypeWithoutID(t *testing.T) {
	r := resp(avail("a", 10, 10, 0, ad("x", 10, 10,
		ev("", "impression", 10, "https://a.test/i"),
		ev("", "impression", 10, "https://b.test/i"))))
	tl := New()
	tl.Merge(r)
	st := tl.Merge(r)
	assert.Zero(t, st.NewEvents)
	evs := tl.Avails()[0].Ads[0].Events
	require.Len(t, evs, 2)
	assert.Equal(t, "https://a.test/i", evs[0].URL)
	assert.EqualValues(t, 0, evs[0].Index)
	assert.Equal(t, "https://b.test/i", evs[1].URL)
	assert.EqualValues(t, 1, evs[1].Index)
}

// TestPruneMemoryBounded: a day of live polling with pruning keeps the
// timeline and its pruned-id memory bounded by the window, and an avail
// listed again after its id was forgotten still stays out (it lies behind
// the window).
func TestPruneMemoryBounded(t *testing.T) {
	tl := New()
	var at1h, peak int
	window := 120.0
	for now := 0.0; now <= 24*3600; now += 6 {
		var avails []tracking.Avail
		// Every poll lists the breaks of the window: one every 60 s.
		for s := 60 * float64(int((now-window)/60)); s <= now; s += 60 {
			if s < 0 {
				continue
			}
			id := fmt.Sprint("b", int(s))
			avails = append(avails, avail(id, s, 20, 0, ad(id+"-1", s, 20, ev("1", "impression", s, "https://a.test/"+id))))
		}
		tl.Merge(resp(avails...))
		tl.Prune(now - window)
		if now == 3600 {
			at1h = tl.Bytes()
		}
		if now > 3600 {
			peak = max(peak, tl.Bytes())
		}
	}
	t.Logf("timeline bytes: 1 h %d, peak after 1 h %d, 24 h %d; pruned ids %d", at1h, peak, tl.Bytes(), tl.PrunedIDs())
	assert.LessOrEqual(t, peak, at1h*11/10, "no growth after the first hour")
	assert.LessOrEqual(t, tl.PrunedIDs(), PruneMemory/60+4, "pruned ids kept for PruneMemory only")
	st := tl.Merge(resp(avail("b0", 0, 20, 0)))
	assert.Equal(t, 1, st.Ignored, "an avail from hours ago stays out")
}
