package engine

import (
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
)

// names lists the events and beacons of actions as "event adstart x" /
// "beacon impression x", in order.
func names(actions []Action) []string {
	var out []string
	for _, a := range actions {
		switch a.Kind {
		case ActionEvent:
			if a.Name == "adprogress" {
				continue
			}
			out = append(out, "event "+a.Name+" "+a.AdID)
		case ActionBeacon:
			out = append(out, "beacon "+a.EventType+" "+a.AdID)
		}
	}
	return out
}

// TestAnnounceWithFirstFrame: adbreakstart and adstart go out on the update
// that sees the ad rendered, with its breakStart, impression and start,
// never while the screen clock holds inside the ad before its first frame
// (a player reports currentTime 0.004 before it shows the pre-roll).
func TestAnnounceWithFirstFrame(t *testing.T) {
	r := &tracking.Response{Avails: []tracking.Avail{{AvailID: "pre", StartTime: dur(0), Duration: dur(14),
		AdBreakTrackingEvents: []tracking.TrackingEvent{{EventType: "breakStart", BeaconURLs: []string{url("pre", "", "breakStart")}}}}}}
	r.Avails[0].Ads = []tracking.Ad{stdAd("pre", "a", 0, 6), stdAd("pre", "b", 6, 8)}
	e := New(DefaultConfig())
	e.Merge(r)
	now := 1000.0
	// Playing, no frame yet: the clock holds at 0.0041 over many updates.
	for i := 0; i < 5; i++ {
		e.Update(0.0041, now, 0)
		now += 16
		assert.Empty(t, names(e.Drain(nil)), "before the first frame")
	}
	e.Update(0.0041, now, FlagRendered)
	assert.Equal(t, []string{"event adbreakstart ", "event adstart a", "beacon breakStart ",
		"beacon impression a", "beacon start a"}, names(e.Drain(nil)), "the first frame")

	// Ad to ad with a clock a microsecond short of the boundary: the next
	// ad's start and its beacons leave together, after the first ad's end.
	for ph := 0.25; ph < 5.9; ph += 0.25 {
		now += 250
		e.Update(ph, now, FlagRendered)
	}
	e.Drain(nil)
	now += 250
	e.Update(5.9999995, now, FlagRendered)
	got := strings.Join(names(e.Drain(nil)), ", ")
	assert.Equal(t, "beacon complete a, event adend a, event adstart b, beacon impression b, beacon start b", got)
}
