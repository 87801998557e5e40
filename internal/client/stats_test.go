package client

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type statsJSON struct {
	Events map[string]EventStats `json:"events"`
	Ads    []struct {
		AvailID, AdID            string
		Played, Skipped, Errored bool
		Watched                  float64
	} `json:"ads"`
	Totals struct {
		Ads, Played, Skipped, Errored int
		Watched                       float64
	} `json:"totals"`
	Latency struct {
		Count                       int
		MeanMs, P50Ms, P95Ms, MaxMs float64
	} `json:"latency"`
}

func readStats(t *testing.T, s *Session) statsJSON {
	t.Helper()
	var st statsJSON
	require.NoError(t, jsonUnmarshal(s.Stats(), &st))
	return st
}

// TestStats plays one ad to its end, pauses in it, skips a second break by
// a seek and fails one beacon: each shows in the statistics.
func TestStats(t *testing.T) {
	w := adopted(t, func(c *Config) { c.Engine.NoSkip = engine.PolicyOff })
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, trackingJSON("", withPause(availJSON("mid", 10, 6, 1), "mid"), availJSON("late", 40, 10, 0)))
	w.play(9.5, 12, 0.25, 0)
	w.play(12, 14, 0.25, engine.FlagPaused) // two paused seconds are not watched
	w.sendErr = errors.New("offline")
	w.play(14, 14, 0.25, 0)         // resume: its beacon fails
	w.advance(2 * BeaconRetryDelay) // and so does its retry
	w.sendErr = nil
	w.play(14.25, 17, 0.25, 0)
	w.play(60, 61, 0.25, 0) // a seek over the late break

	st := readStats(t, w.s)
	// The late break's impression and complete were passed over by the seek.
	assert.Equal(t, EventStats{Scheduled: 2, Fired: 1, SkippedBySeek: 1}, st.Events["impression"])
	assert.Equal(t, EventStats{Scheduled: 2, Fired: 1, SkippedBySeek: 1}, st.Events["complete"])
	assert.Equal(t, EventStats{Scheduled: 1, Fired: 1}, st.Events["progress-0"])
	assert.Equal(t, EventStats{Fired: 1}, st.Events["pause"], "an action is not scheduled")
	assert.Equal(t, EventStats{Failed: 1}, st.Events["resume"], "one failure after the retry")
	require.Len(t, st.Ads, 1, "the late ad never played")
	ad := st.Ads[0]
	assert.Equal(t, "mid-1", ad.AdID)
	assert.True(t, ad.Played)
	assert.False(t, ad.Skipped)
	assert.InDelta(t, 4, ad.Watched, 0.3, "6 s ad, 2 s of it paused")
	assert.Equal(t, 1, st.Totals.Played)
}

// TestStatsSkippedAdAndServerShare: a skipped ad is marked skipped and
// its later beacons are not "skipped by seek"; in server reporting mode
// MediaTailor's share counts as server.
func TestStatsSkippedAdAndServerShare(t *testing.T) {
	skippable := strings.Replace(availJSON("mid", 10, 6, 0), `"durationInSeconds":6,"trackingEvents"`, `"durationInSeconds":6,"skipOffset":"00:00:02","trackingEvents"`, 1)
	w := adopted(t, func(c *Config) { c.Init.ReportingMode = "server" })
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, trackingJSON("", skippable))
	w.play(9.5, 13, 0.25, 0)
	require.True(t, w.s.Skip())
	w.s.Flush()
	w.play(16, 18, 0.25, 0)
	st := readStats(t, w.s)
	assert.Equal(t, EventStats{Scheduled: 1, Server: 1}, st.Events["impression"])
	assert.Equal(t, EventStats{Scheduled: 1}, st.Events["complete"], "a skipped ad's complete is not skipped by seek")
	require.Len(t, st.Ads, 1)
	assert.True(t, st.Ads[0].Skipped)
	assert.Equal(t, 1, st.Totals.Skipped)
}

// TestStatsLatency times each beacon request from send to its outcome.
func TestStatsLatency(t *testing.T) {
	w := adopted(t, nil)
	var pending []func(error)
	w.s.deps.Send = func(u string, done func(error)) { pending = append(pending, done) }
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, trackingJSON("", availJSON("mid", 10, 6, 0)))
	w.play(9.5, 10, 0.25, 0)
	require.Len(t, pending, 1, "the impression is in flight")
	w.now = w.now.Add(120 * time.Millisecond)
	pending[0](nil)
	st := readStats(t, w.s)
	assert.Equal(t, 1, st.Latency.Count)
	assert.InDelta(t, 120, st.Latency.MaxMs, 0.001)
	assert.InDelta(t, 120, st.Latency.P50Ms, 0.001)
	assert.Equal(t, EventStats{Scheduled: 1, Fired: 1}, st.Events["impression"])
}

// TestStatsUpdateDoesNotAllocate: watching time is counted on the
// per-frame path.
func TestStatsUpdateDoesNotAllocate(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(ManifestInfo{Duration: 120})
	w.answer(0, 200, trackingJSON("", availJSON("mid", 10, 60, 0)))
	w.play(9.5, 11, 0.25, 0)
	ph := 11.0
	allocs := testing.AllocsPerRun(100, func() {
		ph += 0.01
		w.s.Update(ph, 0, engine.FlagRendered)
	})
	assert.Zero(t, allocs)
	assert.Positive(t, readStats(t, w.s).Ads[0].Watched)
}

// TestStatsLatencyPercentiles: the median and the 95th percentile come
// from the samples in order, whatever order the requests ended in, and the
// events are listed by name.
func TestStatsLatencyPercentiles(t *testing.T) {
	w := adopted(t, nil)
	ms := []int{90, 10, 50, 70, 30, 20, 100, 40, 80, 60}
	for _, m := range ms {
		w.s.stats.latency(time.Duration(m) * time.Millisecond)
	}
	for _, typ := range []string{"start", "complete", "impression"} {
		w.s.stats.event(typ)
	}
	raw := w.s.Stats()
	st := readStats(t, w.s)
	assert.Equal(t, len(ms), st.Latency.Count)
	assert.InDelta(t, 60, st.Latency.P50Ms, 0.001, "sorted[5] of 10")
	assert.InDelta(t, 100, st.Latency.P95Ms, 0.001, "sorted[9] of 10")
	assert.InDelta(t, 55, st.Latency.MeanMs, 0.001)
	c, i, s := strings.Index(raw, `"complete"`), strings.Index(raw, `"impression"`), strings.Index(raw, `"start"`)
	assert.True(t, c >= 0 && c < i && i < s, "events by name: %s", raw)
}

// TestStatsWatched: only playback counts as watched, at the rate the host
// reports; a jump the wall clock cannot account for does not (a Skip to
// the ad's end reported as a plain playhead step).
func TestStatsWatched(t *testing.T) {
	skippable := strings.Replace(availJSON("mid", 10, 8, 0), `"durationInSeconds":8,"trackingEvents"`, `"durationInSeconds":8,"skipOffset":"00:00:02","trackingEvents"`, 1)
	// step plays from..to in steps of dp seconds of playhead, each taking
	// dw seconds of wall clock.
	step := func(w *world, from, to, dp, dw float64) {
		for ph := from; ph <= to+1e-9; ph += dp {
			w.now = w.now.Add(time.Duration(dw * float64(time.Second)))
			if w.s.Update(ph, float64(w.now.UnixMilli()), engine.FlagRendered)&engine.StatusActions != 0 {
				w.s.Flush()
			}
		}
	}
	tests := []struct {
		name string
		run  func(w *world)
		want float64
	}{
		{"played through at 1×", func(w *world) { step(w, 9.5, 19, 0.25, 0.25) }, 8},
		{"skipped at 13: the jump to 18 is not watched", func(w *world) {
			step(w, 9.5, 13, 0.25, 0.25)
			require.True(t, w.s.Skip())
			w.s.Flush()
			step(w, 18, 19, 0.25, 0.25)
		}, 3},
		{"at 4×, told the rate", func(w *world) {
			w.s.SetRate(4)
			step(w, 9, 19, 1, 0.25)
		}, 8},
		{"a 2 s step in 0.25 s of wall clock at 1×", func(w *world) {
			step(w, 9.5, 12, 0.25, 0.25)
			step(w, 14, 19, 0.25, 0.25)
		}, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := adopted(t, func(c *Config) { c.Engine.NoSkip = engine.PolicyOff })
			w.manifest(ManifestInfo{Duration: 120})
			w.answer(0, 200, trackingJSON("", skippable))
			tt.run(w)
			st := readStats(t, w.s)
			require.Len(t, st.Ads, 1)
			assert.InDelta(t, tt.want, st.Ads[0].Watched, 0.3)
		})
	}
}
