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

// checkTimed fails unless each avail's count of Timed events (which sizes
// refs) is what its lists hold and every one of them has its Ref.
func checkTimed(t testing.TB, tl *Timeline) {
	t.Helper()
	n := 0
	for i := range tl.Avails() {
		a := &tl.Avails()[i]
		want := 0
		for _, e := range a.Break {
			if e.Kind == Timed {
				want++
			}
		}
		for k := range a.Ads {
			for _, e := range a.Ads[k].Events {
				if e.Kind == Timed {
					want++
				}
			}
		}
		if int(a.timed) != want {
			t.Fatalf("avail %s counts %d Timed events, holds %d", a.ID, a.timed, want)
		}
		n += want
	}
	if len(tl.Refs()) != n {
		t.Fatalf("%d refs for %d Timed events", len(tl.Refs()), n)
	}
}

// TestRefsSizedByCount: the refs of a first merge are allocated at their
// final size from the counts merge keeps, and the counts follow later
// polls (new events of every kind, break events, reordered ads) and Prune.
func TestRefsSizedByCount(t *testing.T) {
	brk := func(a tracking.Avail, evs ...tracking.TrackingEvent) tracking.Avail {
		a.AdBreakTrackingEvents = evs
		return a
	}
	first := resp(
		brk(avail("a", 10, 20, 0,
			ad("x", 10, 10, ev("1", "impression", 10, "https://t/x1"), ev("2", "pause", 0, "https://t/xp"), ev("3", "complete", 20, "https://t/xc")),
			ad("y", 20, 10, ev("1", "impression", 20, "https://t/y1", "https://t/y1b"), ev("4", "clickTracking", 0, "https://t/yc"))),
			ev("b1", "breakStart", 0, "https://t/bs"), ev("b2", "breakEnd", 0, "https://t/be"), ev("b3", "error", 0, "https://t/err")),
		avail("b", 100, 10, 0, ad("z", 100, 10, ev("1", "impression", 100, "https://t/z1"))),
	)
	for _, c := range []struct {
		name  string
		polls []*tracking.Response
		prune float64 // Prune after the polls when > 0
		refs  int
	}{
		{"first poll", []*tracking.Response{first}, 0, 7},
		{"repeat poll", []*tracking.Response{first, first}, 0, 7},
		{"new timed, action and manual events", []*tracking.Response{first, resp(
			avail("a", 10, 20, 0, ad("x", 10, 10, ev("5", "midpoint", 15, "https://t/xm"), ev("6", "mute", 0, "https://t/xu"), ev("7", "skip", 0, "https://t/xs"))))}, 0, 8},
		{"new break event", []*tracking.Response{first, resp(
			brk(avail("a", 10, 20, 0), ev("b4", "breakEnd", 0, "https://t/be2")))}, 0, 8},
		{"ads listed out of order", []*tracking.Response{resp(
			avail("c", 10, 20, 0, ad("y", 20, 10, ev("1", "impression", 20, "https://t/y")), ad("x", 10, 10, ev("1", "impression", 10, "https://t/x"), ev("2", "complete", 9, "https://t/xc"))),
			avail("a", 0, 5, 0, ad("w", 0, 5, ev("1", "impression", 0, "https://t/w"))))}, 0, 4},
		{"pruned avail", []*tracking.Response{first}, 50, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			tl := New()
			for i, r := range c.polls {
				tl.Merge(r)
				if i == 0 {
					assert.Equal(t, len(tl.Refs()), cap(tl.Refs()), "first merge: refs at their final size")
				}
				checkTimed(t, tl)
			}
			if c.prune > 0 {
				tl.Prune(c.prune)
				checkTimed(t, tl)
			}
			assert.Len(t, tl.Refs(), c.refs)
		})
	}
}
