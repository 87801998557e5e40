package timeline

import (
	"fmt"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSlabTake: every list gets exactly the capacity it asked for; a slab
// is as large as what the merge took so far (so one ad costs one list and a
// large poll doubles up to the limit), spare left over serves the next
// merge, and filling a list past its capacity never writes into another.
func TestSlabTake(t *testing.T) {
	const reset = -1
	for _, c := range []struct {
		name  string
		limit int
		takes []int // reset: a new Merge
		slabs []int // sizes of the slabs made, in order
	}{
		{"one ad", 4096, []int{8}, []int{8}},
		{"pod of four", 4096, []int{8, 8, 8, 8}, []int{8, 8, 16}},
		{"doubling up to the limit", 32, []int{8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8}, []int{8, 8, 16, 32, 32}},
		{"list above the limit", 32, []int{8, 8, 100, 8}, []int{8, 8, 100, 32}},
		{"empty lists take nothing", 4096, []int{0, 8, 0}, []int{8}},
		{"spare serves the next merge", 4096, []int{8, 8, 8, reset, 8}, []int{8, 8, 16}},
		{"a new merge starts small", 4096, []int{8, 8, 8, 8, reset, 8, 8}, []int{8, 8, 16, 8, 8}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s slab[int]
			var slabs []int
			var lists [][]int
			for _, n := range c.takes {
				if n == reset {
					s.reset()
					continue
				}
				had := len(s.spare)
				l := s.take(n, c.limit)
				require.NotNil(t, l)
				require.Equal(t, 0, len(l))
				require.Equal(t, n, cap(l))
				if n > had {
					slabs = append(slabs, len(s.spare)+n)
				}
				lists = append(lists, l)
			}
			assert.Equal(t, c.slabs, slabs)
			for i := range lists {
				for len(lists[i]) < cap(lists[i]) {
					lists[i] = append(lists[i], i)
				}
			}
			for i := range lists {
				_ = append(lists[i], -i) // past capacity: a copy, not the neighbour
			}
			for i, l := range lists {
				for _, v := range l {
					require.Equal(t, i, v, "list %d", i)
				}
			}
		})
	}
}

// TestMergeGrowsSlabLists: lists made by one poll share a slab; a later
// poll that adds events to one ad (or to the break) or adds an ad leaves
// every other list as it was: the result is the one the second poll alone
// gives.
func TestMergeGrowsSlabLists(t *testing.T) {
	evs := func(adID string, at float64, types ...string) []tracking.TrackingEvent {
		var out []tracking.TrackingEvent
		for i, typ := range types {
			out = append(out, ev(fmt.Sprint(i), typ, at+float64(i), "https://a.test/"+adID+"/"+typ))
		}
		return out
	}
	first := func() *tracking.Response {
		a := avail("a", 10, 40, 0,
			ad("x", 10, 20, evs("x", 10, "impression", "start")...),
			ad("y", 30, 20, evs("y", 30, "impression", "start")...))
		a.AdBreakTrackingEvents = []tracking.TrackingEvent{ev("b", "breakStart", 0, "https://a.test/bs")}
		b := avail("b", 100, 20, 0, ad("z", 100, 20, evs("z", 100, "impression")...))
		return resp(a, b)
	}
	for _, c := range []struct {
		name   string
		change func(r *tracking.Response)
	}{
		{"first ad gains events", func(r *tracking.Response) {
			r.Avails[0].Ads[0].TrackingEvents = evs("x", 10, "impression", "start", "midpoint", "complete")
		}},
		{"last ad gains events", func(r *tracking.Response) {
			r.Avails[0].Ads[1].TrackingEvents = evs("y", 30, "impression", "start", "complete")
		}},
		{"break gains events", func(r *tracking.Response) {
			r.Avails[0].AdBreakTrackingEvents = append(r.Avails[0].AdBreakTrackingEvents, ev("e", "breakEnd", 0, "https://a.test/be"))
		}},
		{"avail gains an ad", func(r *tracking.Response) {
			r.Avails[0].Ads = append(r.Avails[0].Ads, ad("w", 50, 10, evs("w", 50, "impression")...))
		}},
		{"next avail gains events", func(r *tracking.Response) {
			r.Avails[1].Ads[0].TrackingEvents = evs("z", 100, "impression", "start")
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			second := first()
			c.change(second)
			tl := New()
			tl.Merge(first())
			before := describe(tl)
			tl.Merge(second)

			// Reference: the second poll alone, which lists all the first
			// did; its lists are made at their final size and never grow.
			ref := New()
			ref.Merge(second)
			assert.Equal(t, describe(ref), describe(tl))
			assert.NotEqual(t, before, describe(tl), "the change shows")
			for i, a := range tl.Avails() {
				for k, x := range a.Ads {
					assert.Equal(t, ref.Avails()[i].Ads[k].Events, x.Events, "avail %s ad %s", a.ID, x.ID)
				}
				assert.Equal(t, ref.Avails()[i].Break, a.Break, "avail %s break", a.ID)
			}
		})
	}
}
