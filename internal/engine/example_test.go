package engine_test

import (
	"fmt"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/tracking"
)

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// oneAd is a mid-roll at 10 s with one 4 s ad and its impression and
// quartile beacons and the pause and resume operations.
func oneAd() *tracking.Response {
	var evs []tracking.TrackingEvent
	for i, typ := range []string{"impression", "start", "firstQuartile", "midpoint", "thirdQuartile", "complete"} {
		at := 10 + []float64{0, 0, 1, 2, 3, 4}[i]
		evs = append(evs, tracking.TrackingEvent{EventID: fmt.Sprint(i), EventType: typ, StartTime: sec(at),
			BeaconURLs: []string{"https://ads.test/" + typ}})
	}
	for _, typ := range []string{"pause", "resume"} {
		evs = append(evs, tracking.TrackingEvent{EventID: "p", EventType: typ, BeaconURLs: []string{"https://ads.test/" + typ}})
	}
	return &tracking.Response{Avails: []tracking.Avail{{AvailID: "mid", StartTime: sec(10), Duration: sec(4),
		Ads: []tracking.Ad{{AdID: "a1", StartTime: sec(10), Duration: sec(4), TrackingEvents: evs}}}}}
}

// The caller feeds the playhead on every frame and performs the actions:
// beacons (through beacon.Dispatcher with Action.BeaconKey), host events
// and seeks.
func Example() {
	e := engine.New(engine.DefaultConfig())
	e.Merge(oneAd())
	now := 1.7e12
	var acts []engine.Action
	for ph := 9.0; ph <= 14.5; ph += 0.5 {
		now += 500
		flags := engine.FlagRendered
		if ph == 12 {
			flags |= engine.FlagPaused // the viewer pauses during the ad
		}
		if e.Update(ph, now, flags)&engine.StatusActions == 0 {
			continue
		}
		acts = e.Drain(acts[:0])
		for _, a := range acts {
			switch a.Kind {
			case engine.ActionBeacon:
				fmt.Printf("%4.1f beacon %s\n", ph, a.EventType)
			case engine.ActionEvent:
				if a.Name != "adprogress" {
					fmt.Printf("%4.1f event %s\n", ph, a.Name)
				}
			}
		}
	}
	// Output:
	//  9.0 event adbreakupcoming
	// 10.0 event adbreakstart
	// 10.0 event adstart
	// 10.0 beacon impression
	// 10.0 beacon start
	// 11.0 beacon firstQuartile
	// 12.0 beacon midpoint
	// 12.0 beacon pause
	// 12.5 beacon resume
	// 13.0 beacon thirdQuartile
	// 14.0 beacon complete
	// 14.0 event adend
	// 14.0 event adbreakend
}

// A forward seek over an unwatched break snaps back to it and resumes at
// the target once it has played (policy "last").
func ExampleEngine_Seek() {
	e := engine.New(engine.DefaultConfig())
	e.Merge(oneAd())
	e.Update(2, 1.7e12, engine.FlagRendered)
	d := e.Seek(2, 60, engine.OriginAPI)
	fmt.Printf("allow=%v to=%.0f resume=%.0f reason=%s\n", d.Allow, d.To, d.ResumeAt, d.Reason)
	// Output: allow=false to=10 resume=60 reason=snap
}
