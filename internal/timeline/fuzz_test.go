package timeline

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
)

// FuzzMerge merges random polls (avails and ads reappearing with other
// times, durations dropping to 0, out of order, prunes in between) and
// checks the invariants the engine relies on: avails sorted and not
// overlapping, durations never back to 0 once known, fired flags kept,
// refs sorted and pointing at Timed events, Find consistent, a repeat of
// the same poll adding nothing.
func FuzzMerge(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{200, 10, 0, 5, 200, 10, 0, 0, 9, 9, 250, 3})
	f.Fuzz(func(t *testing.T, b []byte) {
		tl := New()
		known := map[string]float64{}
		fired := map[string]bool{}
		for len(b) >= 4 {
			op, x, y, z := b[0], b[1], b[2], b[3]
			b = b[4:]
			if op >= 250 {
				tl.Prune(float64(x))
				for id := range known {
					if tl.Find(id) < 0 {
						delete(known, id)
					}
				}
				continue
			}
			id := fmt.Sprint(op % 8)
			a := tracking.Avail{AvailID: id, StartTime: d(float64(x)), Duration: d(float64(y % 40)), AdMarkerDuration: d(float64(z % 3 * 10))}
			for k := 0; k < int(z%4); k++ {
				s := float64(x) + float64(k)*5
				a.Ads = append(a.Ads, ad(fmt.Sprint(k), s, 5, ev("e", "impression", s, "https://x/"+id+fmt.Sprint(k)), ev("e", "complete", s+5, "https://x/c")))
			}
			tl.Merge(resp(a))
			if st := tl.Merge(resp(a)); st.NewAvails+st.NewAds+st.NewEvents != 0 {
				t.Fatalf("the same poll merged twice added %+v", st)
			}
			// Mark everything fired, as an engine playing through would.
			for i := range tl.Avails() {
				av := &tl.Avails()[i]
				for k := range av.Ads {
					for j := range av.Ads[k].Events {
						av.Ads[k].Events[j].Fired = true
						fired[av.ID+"|"+av.Ads[k].ID+"|"+av.Ads[k].Events[j].URL] = true
					}
				}
			}
			avs := tl.Avails()
			for i := range avs {
				av := &avs[i]
				if tl.Find(av.ID) != i {
					t.Fatalf("Find(%s) = %d, want %d", av.ID, tl.Find(av.ID), i)
				}
				if i > 0 && (av.Start < avs[i-1].Start || avs[i-1].End > av.Start+1e-9) {
					t.Fatalf("avails out of order or overlapping at %d", i)
				}
				if prev, ok := known[av.ID]; ok && prev > 0 && av.Duration == 0 && (i+1 == len(avs) || avs[i+1].Start > av.Start) {
					t.Fatalf("avail %s duration back to 0", av.ID)
				}
				known[av.ID] = av.Duration
				for k := range av.Ads {
					for _, e := range av.Ads[k].Events {
						if !e.Fired && fired[av.ID+"|"+av.Ads[k].ID+"|"+e.URL] {
							t.Fatalf("fired flag lost for %s", e.URL)
						}
					}
				}
			}
			refs := tl.Refs()
			for i, r := range refs {
				if i > 0 && r.At < refs[i-1].At {
					t.Fatal("refs not sorted")
				}
				if tl.Event(r).Kind != Timed {
					t.Fatal("ref to a non-Timed event")
				}
			}
			checkTimed(t, tl)
		}
	})
}

// FuzzOrdinals: the ordinals handed out while merging an event list (a
// signature, then a scan or a map of counts) equal the plain definition
// (ordinal: the URLs listed before for the same eventId and eventType)
// for lists of any length and any repeats, equal-length eventIds included.
func FuzzOrdinals(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 0, 0, 1, 5, 5, 5})
	f.Add(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 10))
	f.Fuzz(func(t *testing.T, b []byte) {
		types := []string{"impression", "progress", "complete", "start"}
		src := make([]tracking.TrackingEvent, len(b))
		for i, x := range b {
			urls := make([]string, x%3)
			if x%5 == 0 && len(urls) > 0 {
				urls[0] = "" // empty URLs are not counted
			}
			for k := range urls {
				if urls[k] == "" && !(x%5 == 0 && k == 0) {
					urls[k] = "https://b.test/" + fmt.Sprint(i, k)
				}
			}
			src[i] = tracking.TrackingEvent{EventID: fmt.Sprintf("e%03d", x%64), EventType: types[x%4], BeaconURLs: urls}
		}
		var o ordinals
		for i := range src {
			if got, want := o.next(src, i), ordinal(src, i); got != want {
				t.Fatalf("event %d: ordinal %d, want %d", i, got, want)
			}
		}
	})
}
