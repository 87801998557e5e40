package timeline_test

import (
	"fmt"
	"time"

	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

func sec(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// A live break fills in over polls: Merge adds what is new and keeps what
// the engine marked (Fired, Watched); Prune drops what left the window.
func ExampleTimeline_Merge() {
	tl := timeline.New()
	// Poll 1: the break is announced by its marker only.
	tl.Merge(&tracking.Response{Avails: []tracking.Avail{
		{AvailID: "b1", StartTime: sec(100), AdMarkerDuration: sec(30)},
	}})
	fmt.Printf("%s %.0f+%.0f ads=%d\n", tl.Avails()[0].ID, tl.Avails()[0].Start, tl.Avails()[0].Duration, len(tl.Avails()[0].Ads))
	// Poll 2: its first ad and impression arrive.
	st := tl.Merge(&tracking.Response{Avails: []tracking.Avail{{
		AvailID: "b1", StartTime: sec(100), AdMarkerDuration: sec(30),
		Ads: []tracking.Ad{{AdID: "a1", StartTime: sec(100), Duration: sec(15), TrackingEvents: []tracking.TrackingEvent{
			{EventID: "1", EventType: "impression", StartTime: sec(100), BeaconURLs: []string{"https://ads.test/imp"}},
		}}},
	}}})
	fmt.Println("new ads", st.NewAds, "new events", st.NewEvents)
	for _, r := range tl.Refs() {
		fmt.Printf("scheduled %s at %.0f\n", tl.Event(r).Type, r.At)
	}
	fmt.Println("pruned", tl.Prune(130))
	// Output:
	// b1 100+30 ads=0
	// new ads 1 new events 1
	// scheduled impression at 100
	// pruned 1
}

// Markers and content time give an ad-free seek bar.
func ExampleTimeline_ContentTime() {
	tl := timeline.New()
	tl.Merge(&tracking.Response{Avails: []tracking.Avail{
		{AvailID: "pre", StartTime: 0, Duration: sec(10)},
		{AvailID: "mid", StartTime: sec(40), Duration: sec(20)},
	}})
	for _, m := range tl.Markers(nil) {
		fmt.Printf("marker %s %.0f+%.0f\n", m.AvailID, m.Start, m.Duration)
	}
	fmt.Printf("stream 70 = content %.0f\n", tl.ContentTime(70))
	fmt.Printf("content 30 = stream %.0f\n", tl.StreamTime(30))
	// Output:
	// marker pre 0+10
	// marker mid 40+20
	// stream 70 = content 40
	// content 30 = stream 40
}
