package engine

import (
	"math"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
)

// hostile are the numbers a page or a broken player may pass the engine:
// NaN, the infinities, the extremes of float64, negatives and -0.
var hostile = []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1e300, -1e300, math.MaxFloat64, -5, math.Copysign(0, -1),
	5e-324, 1 << 53, 9.5, 30, 31.25, 60, 61}

// FuzzDecodeMergeEngine runs the whole path a tracking reply takes in the
// core, tracking.Decode → Engine.Merge → Update/Seek/Skip, on any reply
// text (seeded with hostile numbers: 1e300 and negative times and
// durations, huge event counts, overflowing ISO durations) and playheads,
// rates, clocks and durations taken from hostile. Invariants: no panic, no
// state beacon twice per dedupe key, no beacon before its time (past the
// furthest finite playhead the engine was given), no seek to a
// non-finite or negative time.
func FuzzDecodeMergeEngine(f *testing.F) {
	ev := func(typ, at string) string {
		return `{"eventId":"` + typ + at + `","eventType":"` + typ + `","startTimeInSeconds":` + at + `,"beaconUrls":["https://b.test/` + typ + `"]}`
	}
	ad := func(id, start, dur string, evs ...string) string {
		s := `{"adId":"` + id + `","startTimeInSeconds":` + start + `,"durationInSeconds":` + dur + `,"skipOffset":"00:00:02","trackingEvents":[`
		for i, e := range evs {
			if i > 0 {
				s += ","
			}
			s += e
		}
		return s + `]}`
	}
	for _, body := range []string{
		`{"avails":[{"availId":"a","startTimeInSeconds":30,"durationInSeconds":10,"ads":[` +
			ad("x", "30", "10", ev("impression", "30"), ev("start", "30"), ev("firstQuartile", "32.5"), ev("complete", "40")) + `]}]}`,
		`{"avails":[{"availId":"h","startTimeInSeconds":1e300,"durationInSeconds":-5,"ads":[` +
			ad("y", "1e300", "1e308", ev("impression", "-1e300"), ev("complete", "1.7976931348623157e308")) + `]},` +
			`{"availId":"z","startTimeInSeconds":-0,"durationInSeconds":5e-324,"duration":"PT2562047H47M16.854775807S","ads":[` +
			ad("z", "0", "0", ev("impression", "0"), ev("midpoint", "-0")) + `]}]}`,
		`{"avails":[{"availId":"d","startTime":"PT30S","duration":"-PT5S","ads":[{"adId":"p","duration":"PT9999999999H"}]}],` +
			`"nonLinearAvails":[{"availId":"n","startTimeInSeconds":1e300,"durationInSeconds":1e300,"nonLinearAdsList":[{"nonLinearAdList":[{"height":2000,"width":-1}]}]}]}`,
		`{"avails":[{"availId":"m","startTimeInSeconds":10,"durationInSeconds":6,"ads":[` +
			ad("m", "10", "6", ev("impression", "10"), ev("impression", "10"), ev("progress", "1e15"), ev("progress", "11"), ev("complete", "16")) + `]}]}`,
	} {
		f.Add(body, []byte{0, 1, 2, 3, 4, 10, 10, 11, 12, 13, 13, 14, 5, 6, 7, 8, 9})
		f.Add(body, []byte{20, 21, 22, 23, 40, 41, 42, 43, 60, 61, 62, 63, 80, 81, 100, 101, 120, 140, 160})
	}
	f.Fuzz(func(t *testing.T, body string, ops []byte) {
		r, err := tracking.Decode([]byte(body))
		if err != nil {
			return
		}
		// A reply may list the same event twice (two <Impression>s with one
		// URL): each listing fires once, never more.
		listed := map[string]int{}
		count := func(evs []tracking.TrackingEvent) {
			for _, ev := range evs {
				for _, u := range ev.BeaconURLs {
					listed[ev.EventID+"|"+ev.EventType+"|"+u]++
				}
			}
		}
		for _, avs := range [][]tracking.Avail{r.Avails, r.NonLinearAvails} {
			for _, a := range avs {
				count(a.AdBreakTrackingEvents)
				for _, ad := range a.Ads {
					count(ad.TrackingEvents)
				}
				for _, nl := range a.NonLinearAdsList {
					count(nl.TrackingEvents)
				}
			}
		}
		e := New(DefaultConfig())
		e.Merge(r)
		var (
			ph, now = 0.0, 1e12
			reached = 0.0 // the furthest finite playhead given
			flags   Flags
			buf     []Action
			fired   = map[string]int{}
		)
		give := func(p float64) {
			if !math.IsNaN(p) && !math.IsInf(p, 0) && p > reached {
				reached = p
			}
		}
		check := func() {
			buf = e.Drain(buf[:0])
			for _, a := range buf {
				switch a.Kind {
				case ActionSeek:
					if !(a.To >= 0) || math.IsInf(a.To, 0) {
						t.Fatalf("seek to %v", a.To)
					}
					ph = a.To
					give(ph)
				case ActionBeacon:
					if a.Scheduled > reached+1e-6 {
						t.Fatalf("%s beacon scheduled at %v fired with the playhead never past %v", a.EventType, a.Scheduled, reached)
					}
					if !stateEvent[a.EventType] || a.EventType == "error" {
						continue
					}
					key := a.EventID + "|" + a.EventType + "|" + a.URL
					if fired[key]++; fired[key] > listed[key] {
						t.Fatalf("beacon fired %d times, listed %d: %s", fired[key], listed[key], key)
					}
				}
			}
		}
		for _, op := range ops {
			x := hostile[int(op)%len(hostile)]
			switch op / 20 {
			case 0: // play on a little (finite steps)
				ph += float64(op%20) * 0.25
				now += float64(op%20)*250 + 1
				give(ph)
				e.Update(ph, now, flags)
			case 1: // a hostile playhead
				ph = x
				give(ph)
				e.Update(ph, now, flags)
			case 2: // a hostile clock
				now = x
				e.Update(ph, now, flags)
			case 3: // a hostile seek target
				dec := e.Seek(ph, x, SeekOrigin(op%4))
				if dec.Allow {
					ph = x
				} else {
					ph = dec.To
				}
				give(ph)
				e.Update(ph, now, flags|FlagSeeking)
			case 4:
				e.SetRate(x)
				e.Update(ph, now, flags)
			case 5:
				e.SetDuration(x)
				e.Update(ph, now, flags)
			case 6:
				e.Skip(ph, now)
			case 7:
				flags ^= Flags(1) << (op % 4)
				e.Update(ph, now, flags)
			case 8:
				e.Merge(r)
				e.Prune(x)
			case 9:
				e.VPAIDEvent(vpaidNames[int(op)%len(vpaidNames)], ph)
				e.Error(int(op), ph, now)
			default:
				e.UI(x)
				e.NextEventIn(x)
				e.ContentTime(x)
				e.StreamTime(x)
				e.Markers(nil)
			}
			check()
		}
	})
}
