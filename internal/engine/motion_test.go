package engine

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The playhead as players really report it: a few ms behind after a pause,
// one long step from a background tab, held still by a starved decoder,
// just below 0 before the first frame. Each must read as the playback it is.

// TestJitterKeepsEdges: a pause reported with the playhead a few ms behind
// the previous one (players' clocks disagree) is still a pause of the ad.
func TestJitterKeepsEdges(t *testing.T) {
	for _, c := range []struct {
		name string
		back float64
		want int
	}{{"same time", 0, 1}, {"20 ms back", 0.02, 1}, {"2 s back is a seek", 2, 0}} {
		t.Run(c.name, func(t *testing.T) {
			e := New(DefaultConfig())
			e.Merge(grid(1, 1)) // ad 30-40 with a pause event
			e.Update(29.8, 0, FlagRendered)
			e.Update(30.2, 400, FlagRendered)
			e.Update(34, 4200, FlagRendered)
			e.Drain(nil)
			e.Update(34-c.back, 4250, FlagRendered|FlagPaused)
			n := 0
			for _, a := range e.Drain(nil) {
				if a.EventType == "pause" {
					n++
				}
			}
			assert.Equal(t, c.want, n)
		})
	}
}

// TestLongStepAfterSnap: a snap-back under policy first whose break is left
// by one long continuous step (background tab). Breaks the step plays
// through get their events; the resume seek is asked only when the step
// ended before the target, never back to a target already passed.
func TestLongStepAfterSnap(t *testing.T) {
	for _, c := range []struct {
		name   string
		to     float64
		breaks int
		seeks  string
	}{
		{"step ends past the target", 210, 3, ""},
		{"step ends before the target", 120, 2, "resume:200"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.NoSkip = PolicyFirst
			e := New(cfg)
			e.Merge(grid(3, 1)) // 10 s breaks at 30, 100, 170
			e.Update(1, 0, FlagRendered)
			d := e.Seek(1, 200, OriginAPI)
			require.Equal(t, 30.0, d.To)
			require.Equal(t, 200.0, d.ResumeAt)
			e.Update(30, 100, FlagRendered)
			e.Update(30.5, 600, FlagRendered)
			e.Update(c.to, 600+1000*(c.to-30.5), FlagRendered)
			var seeks []string
			starts, ends := 0, 0
			for _, a := range e.Drain(nil) {
				switch {
				case a.Kind == ActionSeek:
					seeks = append(seeks, fmt.Sprintf("%s:%g", a.Name, a.To))
				case a.Name == "adbreakstart":
					starts++
				case a.Name == "adbreakend":
					ends++
				}
			}
			assert.Equal(t, c.seeks, strings.Join(seeks, " "))
			assert.Equal(t, c.breaks, starts, "adbreakstart")
			assert.Equal(t, c.breaks, ends, "adbreakend")
			for i, m := range e.Markers(nil) {
				assert.Equal(t, i < c.breaks, m.Watched, m.AvailID)
			}
		})
	}
}

// TestHeldPlayhead: a playhead that holds still while playing (the screen
// clock waiting on a starved decoder) and then catches up in one step has
// played through what it crossed; one held by a pause has not, and neither
// has a catch-up longer than maxHold allows.
func TestHeldPlayhead(t *testing.T) {
	cases := []struct {
		name  string
		held  float64 // wall seconds the playhead holds at 10.5, ticking at 4 Hz
		to    float64 // where it lands 250 ms after the last held tick
		flags Flags   // flags while held
		fire  bool
	}{
		{"held 1.2 s by the picture, then 1.4 s ahead", 1.2, 11.9, 0, true},
		{"held 1 s, then 0.6 s ahead", 1, 11.1, 0, true},
		{"paused 1.2 s, then 1.4 s ahead: a seek", 1.2, 11.9, FlagPaused, false},
		{"held 10 s, then 8 s ahead: beyond maxHold, a seek", 10, 18.5, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &tracking.Response{Avails: []tracking.Avail{{AvailID: "a", StartTime: dur(0), Duration: dur(40)}}}
			ad := stdAd("a", "x", 0, 40)
			ad.TrackingEvents = append(ad.TrackingEvents, tracking.TrackingEvent{EventID: "q", EventType: "progress", StartTime: dur(11), BeaconURLs: []string{"https://b.test/p11"}})
			r.Avails[0].Ads = []tracking.Ad{ad}
			e := New(Config{NoSkip: PolicyOff})
			e.Merge(r)
			now := 1000.0
			for ph := 10.0; ph <= 10.5; ph += 0.25 {
				e.Update(ph, now, FlagRendered)
				now += 250
			}
			for w := 0.0; w < c.held; w += 0.25 {
				e.Update(10.5, now, FlagRendered|c.flags)
				now += 250
			}
			e.Drain(nil)
			e.Update(c.to, now, FlagRendered)
			assert.Equal(t, c.fire, beaconFired(e.Drain(nil), "progress"))
		})
	}
}

// TestJitterAtBreakStart: a playhead that steps back a few frames across
// the start of a break it is playing (hls.js VOD at startup reports
// −0.067 s after 0.04 s) is clock jitter: the break neither ends nor
// starts again, and its events fire once.
func TestJitterAtBreakStart(t *testing.T) {
	for _, c := range []struct {
		name  string
		steps []float64
	}{
		{"pre-roll at 0", []float64{0, 0.04, -0.067, 0.02, 0.3}},
		{"mid-roll at 30", []float64{29.8, 30.05, 29.96, 30.1, 30.4}},
	} {
		t.Run(c.name, func(t *testing.T) {
			start := c.steps[1]
			start = math.Floor(start)
			r := &tracking.Response{Avails: []tracking.Avail{{AvailID: "a", StartTime: dur(start), Duration: dur(10)}}}
			r.Avails[0].Ads = []tracking.Ad{stdAd("a", "x", start, 10)}
			e := New(Config{NoSkip: PolicyOff})
			e.Merge(r)
			now := 1000.0
			var got []string
			for _, ph := range c.steps {
				e.Update(ph, now, FlagRendered)
				now += 40
				for _, a := range e.Drain(nil) {
					if a.Kind == ActionEvent || a.EventType == "impression" {
						got = append(got, a.Name)
					}
				}
			}
			assert.Equal(t, []string{"adbreakstart", "adstart", "impression"}, got)
		})
	}
	// The screen clock holds just below 0 until the pre-roll's first frame
	// is on screen: nothing of the pre-roll is due before it.
	t.Run("held below 0 before the first frame", func(t *testing.T) {
		r := &tracking.Response{Avails: []tracking.Avail{{AvailID: "a", StartTime: dur(0), Duration: dur(10)}}}
		r.Avails[0].Ads = []tracking.Ad{stdAd("a", "x", 0, 10)}
		e := New(Config{NoSkip: PolicyOff})
		e.Merge(r)
		e.Update(-0.0002, 1000, FlagRendered)
		e.Update(-0.0002, 1040, FlagRendered)
		assert.Empty(t, e.Drain(nil))
		e.Update(0, 1080, FlagRendered)
		assert.NotEmpty(t, e.Drain(nil))
	})
}
