package timeline

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigReply renders the reply of bench/bigreply.mjs (issue 15): avails of
// one ad, each with an impression, progress events and a complete, one
// beacon URL each. With shared set every event of an ad has the ad's
// eventId, as some ad servers send it, so each type's events are told
// apart by position alone.
func bigReply(avails, perAd int, shared bool) []byte {
	var b strings.Builder
	b.WriteString(`{"avails":[`)
	for i := 0; i < avails; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		id := "a" + strconv.Itoa(i)
		start := strconv.Itoa(10 + i*30)
		b.WriteString(`{"availId":"` + id + `","startTimeInSeconds":` + start + `,"durationInSeconds":10,"ads":[{"adId":"` + id + `-ad","startTimeInSeconds":` + start + `,"durationInSeconds":10,"trackingEvents":[`)
		for k := 0; k < perAd; k++ {
			if k > 0 {
				b.WriteByte(',')
			}
			typ := "progress"
			switch k {
			case 0:
				typ = "impression"
			case perAd - 1:
				typ = "complete"
			}
			at := strconv.FormatFloat(float64(10+i*30)+float64(10*k)/float64(perAd), 'f', 2, 64)
			eid := id + "-" + strconv.Itoa(k)
			if shared {
				eid = id + "-ad"
			}
			b.WriteString(`{"eventId":"` + eid + `","eventType":"` + typ + `","startTimeInSeconds":` + at +
				`,"beaconUrls":["https://b.example/` + id + `/` + typ + `?n=` + strconv.Itoa(k) + `"]}`)
		}
		b.WriteString(`]}]}`)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// refEvents is a straightforward statement of what one ad's events become:
// one Event per non-empty URL, indexed by the URLs listed before it for the
// same eventId and eventType (counted by scanning), the clickThrough left
// out, ordered by time with ties in listing order.
func refEvents(ad *tracking.Ad) []Event {
	var out []Event
	for i, ev := range ad.TrackingEvents {
		if ev.EventType == "clickThrough" {
			continue
		}
		index := int32(0)
		for _, p := range ad.TrackingEvents[:i] {
			if p.EventID == ev.EventID && p.EventType == ev.EventType {
				for _, u := range p.BeaconURLs {
					if u != "" {
						index++
					}
				}
			}
		}
		at := ad.StartTime.Seconds()
		if ev.StartTime != 0 {
			at = ev.StartTime.Seconds()
		}
		for _, u := range ev.BeaconURLs {
			if u != "" {
				out = append(out, Event{ID: ev.EventID, Type: ev.EventType, URL: u, At: at, Index: index, Kind: KindOf(ev.EventType)})
				index++
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Event) int {
		switch {
		case a.At < b.At:
			return -1
		case a.At > b.At:
			return 1
		}
		return 0
	})
	return out
}

// TestBigReply: a 20,000-event reply merges into the timeline a plain
// reading of the rules gives (every beacon, its identity, time and kind,
// and the schedule in time order), whether eventIds are unique or shared
// by an ad's events; a repeat poll adds nothing; and merged a few avails at
// a time it gives the same timeline as merged at once.
func TestBigReply(t *testing.T) {
	for _, shared := range []bool{false, true} {
		t.Run("shared="+strconv.FormatBool(shared), func(t *testing.T) {
			r, err := tracking.Decode(bigReply(20, 1000, shared))
			require.NoError(t, err)
			tl := New()
			st := tl.Merge(r)
			assert.Equal(t, MergeStats{NewAvails: 20, NewAds: 20, NewEvents: 20000, Avails: 20}, st)

			var refs []string
			for i := range r.Avails {
				want := refEvents(&r.Avails[i].Ads[0])
				got := tl.Avails()[i].Ads[0].Events
				require.Equal(t, len(want), len(got), "avail %d", i)
				for j := range want {
					if !reflect.DeepEqual(want[j], got[j]) {
						t.Fatalf("avail %d event %d:\n got %+v\nwant %+v", i, j, got[j], want[j])
					}
					refs = append(refs, want[j].URL)
				}
			}
			var gotRefs []string
			for _, ref := range tl.Refs() {
				gotRefs = append(gotRefs, tl.Event(ref).URL)
			}
			assert.Equal(t, refs, gotRefs, "the schedule")

			again, err := tracking.Decode(bigReply(20, 1000, shared))
			require.NoError(t, err)
			assert.Equal(t, MergeStats{Avails: 20}, tl.Merge(again), "a repeat poll adds nothing")

			parts := New()
			var sum MergeStats
			for i := 0; i < len(r.Avails); i += 3 {
				p := parts.Merge(&tracking.Response{Avails: r.Avails[i:min(i+3, len(r.Avails))]})
				sum.NewAvails += p.NewAvails
				sum.NewAds += p.NewAds
				sum.NewEvents += p.NewEvents
				sum.Avails = p.Avails
			}
			assert.Equal(t, st, sum)
			assert.Equal(t, describe(tl), describe(parts), "merged in parts")
		})
	}
}

// BenchmarkDecodeBigReply and BenchmarkMergeBigReply split the cost of the
// reply of bench/bigreply.mjs. Under GOOS=js GOARCH=wasm (go_js_wasm_exec)
// they approximate the plugin's main-thread cost.
func BenchmarkDecodeBigReply(b *testing.B) {
	data := bigReply(20, 1000, false)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tracking.Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMergeBigReply(b *testing.B) {
	r, err := tracking.Decode(bigReply(20, 1000, false))
	require.NoError(b, err)
	b.ReportAllocs()
	for b.Loop() {
		New().Merge(r)
	}
}
