package client

import (
	"cmp"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/timeline"
)

// Ad statistics for the host and QA tools: what each beacon type did, what
// each ad did and how long sending took. Counts of outcomes accumulate for
// the life of the session; what is scheduled and what a seek passed over
// is read off the timeline, so on live it covers the current window.

// maxAdStats bounds the per-ad list (a 24 h live session plays thousands
// of ads); the totals still count every ad.
const maxAdStats = 200

// latencySamples is how many recent beacon send times the percentiles use.
const latencySamples = 256

// EventStats counts one beacon event type. Scheduled and SkippedBySeek
// count timed beacons (one per URL) of the timeline; the others count
// every beacon sent of that type.
type EventStats struct {
	Scheduled, Fired, Failed, Server, SkippedBySeek int
}

// AdStats is what one ad did: it started playing, was skipped, failed,
// and how many seconds of it played.
type AdStats struct {
	_                        [0]func() // not comparable: the core then carries no generated == for it
	AvailID, AdID            string
	Played, Skipped, Errored bool
	Watched                  float64
}

// stats is a Session's accumulating part.
type stats struct {
	events  map[string]*EventStats
	ads     []AdStats
	cur     int // index in ads of the ad playing, -1 when none
	dropped int // ads dropped from the list (maxAdStats)
	total   AdStats
	nAds    struct{ played, skipped, errored int }
	lat     [latencySamples]clock.Duration
	nLat    int
	sumLat  clock.Duration
	maxLat  clock.Duration
}

func (st *stats) event(typ string) *EventStats {
	if st.events == nil {
		st.events = map[string]*EventStats{}
	}
	e := st.events[typ]
	if e == nil {
		e = &EventStats{}
		st.events[typ] = e
	}
	return e
}

// result counts a beacon's final outcome.
func (st *stats) result(r beacon.Result) {
	e := st.event(r.Key.EventType)
	switch {
	case r.FiredBy == beacon.FiredByServer:
		e.Server++
	case r.Err != nil:
		e.Failed++
	default:
		e.Fired++
	}
}

// latency records how long one beacon request took (the retry included).
func (st *stats) latency(d clock.Duration) {
	st.lat[st.nLat%latencySamples] = d
	st.nLat++
	st.sumLat += d
	st.maxLat = max(st.maxLat, d)
}

// adEvent follows the ad events of a flush: adstart opens an ad's record,
// adend closes it, error marks it.
func (st *stats) adEvent(a *engine.Action) {
	switch a.Name {
	case "adstart":
		if i := st.find(a.AvailID, a.AdID); i >= 0 {
			st.cur = i // a seek back into an ad already seen
			return
		}
		if len(st.ads) == maxAdStats {
			st.ads = st.ads[:copy(st.ads, st.ads[1:])]
			st.dropped++
		}
		st.ads = append(st.ads, AdStats{AvailID: a.AvailID, AdID: a.AdID, Played: true})
		st.cur = len(st.ads) - 1
		st.nAds.played++
	case "adend":
		if i := st.find(a.AvailID, a.AdID); i >= 0 && a.Skipped && !st.ads[i].Skipped {
			st.ads[i].Skipped = true
			st.nAds.skipped++
		}
		st.cur = -1
	case "error":
		if i := st.find(a.AvailID, a.AdID); i >= 0 && a.AdID != "" && !st.ads[i].Errored {
			st.ads[i].Errored = true
			st.nAds.errored++
		}
	}
}

func (st *stats) find(availID, adID string) int {
	for i := len(st.ads) - 1; i >= 0; i-- {
		if st.ads[i].AvailID == availID && st.ads[i].AdID == adID {
			return i
		}
	}
	return -1
}

// watchSlack (s) is how far a playhead step may exceed the wall clock
// times the rate and still be playback: timestamps of the playhead and of
// the update are not taken at the same instant.
const watchSlack = 0.1

// watch adds continuous playback from prev to ph, over elapsed seconds of
// wall clock at rate, to the playing ad. It is on the per-frame path: no
// allocation.
func (st *stats) watch(prev, ph, elapsed, rate float64, f engine.Flags, inAd bool) {
	if !inAd || st.cur < 0 || f&(engine.FlagPaused|engine.FlagSeeking) != 0 {
		return
	}
	// A step longer than the wall clock allows is a jump (a Skip to the
	// ad's end, a seek the player reports without seeking), and one longer
	// than a few seconds a seek or a stall: neither is viewing.
	if d := ph - prev; d > 0 && d < 3 && d <= elapsed*rate+watchSlack {
		st.ads[st.cur].Watched += d
		st.total.Watched += d
	}
}

// Stats returns the session's ad statistics as JSON:
//
//	{"events":{"impression":{"scheduled":…,"fired":…,"failed":…,"server":…,"skippedBySeek":…},…},
//	 "ads":[{"availId","adId","played","skipped","errored","watched"},…],
//	 "totals":{"ads","played","skipped","errored","watched"},
//	 "latency":{"count","meanMs","p50Ms","p95Ms","maxMs"}}
//
// ads lists the last 200 ads; totals count them all.
func (s *Session) Stats() string {
	st := &s.stats
	ev := map[string]EventStats{}
	for k, v := range st.events {
		ev[k] = *v
	}
	s.timelineCounts(ev)
	w := jsonw.NewWriter(nil)
	w.BeginObject()
	w.Key("events")
	w.BeginObject()
	keys := make([]string, 0, len(ev))
	for k := range ev {
		keys = append(keys, k)
	}
	sortSmall(keys)
	for _, k := range keys {
		e := ev[k]
		w.Key(k)
		w.BeginObject()
		w.IntField("scheduled", e.Scheduled)
		w.IntField("fired", e.Fired)
		w.IntField("failed", e.Failed)
		w.IntField("server", e.Server)
		w.IntField("skippedBySeek", e.SkippedBySeek)
		w.EndObject()
	}
	w.EndObject()
	w.Key("ads")
	w.BeginArray()
	for _, a := range st.ads {
		w.BeginObject()
		w.StrField("availId", a.AvailID)
		w.StrField("adId", a.AdID)
		w.BoolField("played", a.Played)
		w.BoolField("skipped", a.Skipped)
		w.BoolField("errored", a.Errored)
		w.NumField("watched", round3(a.Watched))
		w.EndObject()
	}
	w.EndArray()
	w.Key("totals")
	w.BeginObject()
	w.IntField("ads", len(st.ads)+st.dropped)
	w.IntField("played", st.nAds.played)
	w.IntField("skipped", st.nAds.skipped)
	w.IntField("errored", st.nAds.errored)
	w.NumField("watched", round3(st.total.Watched))
	w.EndObject()
	w.Key("latency")
	w.BeginObject()
	n := min(st.nLat, latencySamples)
	w.IntField("count", st.nLat)
	if n > 0 {
		sorted := append([]clock.Duration(nil), st.lat[:n]...)
		sortSmall(sorted)
		w.NumField("meanMs", ms(st.sumLat/clock.Duration(st.nLat)))
		w.NumField("p50Ms", ms(sorted[n/2]))
		w.NumField("p95Ms", ms(sorted[min(n-1, n*95/100)]))
		w.NumField("maxMs", ms(st.maxLat))
	}
	w.EndObject()
	w.EndObject()
	return string(w.Bytes())
}

// timelineCounts adds the timed beacons of the timeline: scheduled, and
// skipped by a seek (behind the playhead, never fired, in an ad the viewer
// did not skip; a VPAID unit reports its own).
func (s *Session) timelineCounts(ev map[string]EventStats) {
	ph := s.ph
	count := func(e *timeline.Event, passed bool) {
		if e.Kind != timeline.Timed {
			return
		}
		c := ev[e.Type]
		c.Scheduled++
		if passed && !e.Fired && e.At < ph-0.5 {
			c.SkippedBySeek++
		}
		ev[e.Type] = c
	}
	avails := s.eng.Timeline().Avails()
	for i := range avails {
		a := &avails[i]
		for j := range a.Break {
			count(&a.Break[j], true)
		}
		for k := range a.Ads {
			ad := &a.Ads[k]
			for j := range ad.Events {
				count(&ad.Events[j], !ad.Skipped && ad.VPAID == nil)
			}
		}
	}
}

func ms(d clock.Duration) float64 { return round3(float64(d) / float64(clock.Millisecond)) }

func round3(f float64) float64 { return float64(int64(f*1000+0.5)) / 1000 }

// sortSmall sorts the few event names and latency samples of a stats
// report. An insertion sort: slices.Sort instantiates pdqsort per element
// type, about 4 KB (brotli) of the plugin's wasm for these two lists.
func sortSmall[T cmp.Ordered](s []T) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
