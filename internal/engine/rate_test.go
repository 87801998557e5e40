package engine

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// playAtRate plays grid(2, 2) from 0 to 200 s of session time with updates
// every ~250 ms of wall time (timeupdate's 4 Hz, with uneven spacing), the
// playhead moving rate times as fast, and returns the beacons in order.
// setRate says whether the engine is told the rate.
func playAtRate(rate float64, setRate bool) []string {
	e := New(DefaultConfig())
	if setRate {
		e.SetRate(rate)
	}
	e.Merge(grid(2, 2))
	walls := []float64{250, 262, 241, 275, 233, 258} // ms between ticks
	var got []string
	now, ph := 0.0, 0.0
	for i := 0; ph <= 200; i++ {
		e.Update(ph, now, FlagRendered)
		for _, a := range e.Drain(nil) {
			if a.Kind == ActionBeacon {
				got = append(got, a.AvailID+"/"+a.AdID+"/"+a.EventType)
			}
		}
		w := walls[i%len(walls)]
		now += w
		ph += rate * w / 1000
	}
	return got
}

// TestPlaybackRate: fast playback (QA runs, 2×–16× review) with the coarse
// 4 Hz timeupdate clock moves the playhead by one to four seconds per tick.
// Told the rate, the engine reads those steps as playback, so every beacon
// fires once and in order, as at 1× with fine ticks. Not told, the same
// steps look like seeks and the beacons they cross are dropped, which is
// what the rate is for.
func TestPlaybackRate(t *testing.T) {
	want := playAtRate(1, true)
	assert.Len(t, want, 2*(2+2*6), "grid(2, 2): breakStart/End plus 6 beacons per ad")
	for _, rate := range []float64{1, 1.5, 2, 4, 8, 16} {
		t.Run("told "+strconv.FormatFloat(rate, 'g', -1, 64)+"x", func(t *testing.T) {
			assert.Equal(t, want, playAtRate(rate, true))
		})
	}
	t.Run("not told at 4x", func(t *testing.T) {
		got := playAtRate(4, false)
		assert.Less(t, len(got), len(want), "a 4× run read as 1× should lose beacons; if not, SetRate is not needed")
	})
	t.Run("silly rates read as 1", func(t *testing.T) {
		for _, r := range []float64{0, -2, 0.5} {
			e := New(DefaultConfig())
			e.SetRate(r)
			assert.Equal(t, 1.0, e.rate, "rate %v", r)
		}
	})
}
