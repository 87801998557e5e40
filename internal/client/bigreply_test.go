package client

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

// bigReplyJSON is 20 avails of 1,000 events each (about 2.5 MB): the
// reply of issue 15, read in several steps.
func bigReplyJSON(bad bool) string {
	avails := make([]string, 20)
	for i := range avails {
		avails[i] = availJSON("a"+strconv.Itoa(i), float64(10+i*30), 10, 998)
	}
	if bad {
		avails[19] = strings.Replace(avails[19], `"durationInSeconds":10`, `"durationInSeconds":"10"`, 1)
	}
	return trackingJSON("", avails...)
}

// TestBigReplyInSteps: a reply larger than one step is decoded, then
// merged, in parts run from timers of 0 ms, so the host's thread is free in
// between; nothing is merged before all of it is read, trackingupdate comes
// once, after the last part, and the poll ends then. Played, its first
// break sends what the same avail sends when it comes in a reply small
// enough to be handled at once.
func TestBigReplyInSteps(t *testing.T) {
	body := bigReplyJSON(false)
	require.Greater(t, len(body), 8*replyStep)
	w := adopted(t, nil)
	w.manifest(live(2e9))
	require.Len(t, w.reqs, 1)

	timers := len(w.timers)
	w.reqs[0].done(Reply{Status: 200, Body: body}, nil)
	assert.Empty(t, w.emitted(EventTrackingUpdate), "not after the first step")
	assert.Zero(t, len(w.s.eng.Timeline().Avails()), "the timeline waits for the whole reply")
	partly := false
	for w.runOne() {
		n := len(w.s.eng.Timeline().Avails())
		if n > 0 && n < 20 {
			partly = true
			assert.Empty(t, w.emitted(EventTrackingUpdate), "no update before the last part")
		}
	}
	assert.True(t, partly, "merged in parts")
	// A decode step reads whole avails, at least one.
	assert.GreaterOrEqual(t, len(w.timers)-timers, min(20, len(body)/replyStep)-1+20000/mergeStep, "one timer a step")
	updates := w.emitted(EventTrackingUpdate)
	require.Len(t, updates, 1)
	assert.Equal(t, "20000", field(t, updates[0], "newEvents"))
	assert.Len(t, w.reqs, 1, "the poll in flight ended only with the update")
	w.advance(2e9)
	assert.Len(t, w.reqs, 2, "then polling goes on")

	small := adopted(t, nil)
	small.manifest(live(2e9))
	small.answer(0, 200, trackingJSON("", availJSON("a0", 10, 10, 998)))
	require.Len(t, small.emitted(EventTrackingUpdate), 1, "handled at once")

	for _, x := range []*world{w, small} {
		x.play(9, 21, 0.1, 0)
	}
	require.Len(t, w.beacons, 1000)
	assert.Equal(t, small.beacons, w.beacons)
}

// TestBigReplySteps: a reply that turns out bad in its last avail fails as
// one decoded at once does, and Destroy between steps stops the decoding.
func TestBigReplySteps(t *testing.T) {
	t.Run("bad at the end", func(t *testing.T) {
		w := adopted(t, nil)
		w.manifest(live(2e9))
		w.answer(0, 200, bigReplyJSON(true))
		errs := w.emitted(EventError)
		require.Len(t, errs, 1)
		assert.Equal(t, "badjson", field(t, errs[0], "kind"))
		assert.Contains(t, field(t, errs[0], "message"), "avails[19].durationInSeconds: expected number, got string")
		assert.Empty(t, w.emitted(EventTrackingUpdate))
		assert.Zero(t, len(w.s.eng.Timeline().Avails()), "nothing of it is merged")
		w.advance(2e9)
		assert.Len(t, w.reqs, 2, "the poller backs off and polls again")
	})
	t.Run("destroyed between steps", func(t *testing.T) {
		w := adopted(t, nil)
		w.manifest(live(2e9))
		w.reqs[0].done(Reply{Status: 200, Body: bigReplyJSON(false)}, nil)
		require.Positive(t, w.pending())
		w.s.Destroy()
		assert.Zero(t, w.pending(), "no step left")
		w.advance(10e9)
		assert.Equal(t, []string{"ready"}, w.types(), "no update, no error")
		assert.Len(t, w.reqs, 1)
	})
}

// runOne runs the earliest timer due now and reports whether there was one.
func (w *world) runOne() bool {
	var next *fakeTimer
	for _, tm := range w.timers {
		if !tm.dead && !tm.at.After(w.now) && (next == nil || tm.at.Before(next.at)) {
			next = tm
		}
	}
	if next == nil {
		return false
	}
	next.dead = true
	next.f()
	return true
}

// TestBigAvailInParts: one avail of 20 ads of 1,000 events is decoded and
// merged in parts too, a few ads a merge, and ends as the same timeline as
// the whole avail merged at once; played, it sends every beacon once.
func TestBigAvailInParts(t *testing.T) {
	ads := make([]string, 20)
	for k := range ads {
		ad := availJSON("x", float64(10+k*10), 10, 998)
		ads[k] = strings.Replace(ad[strings.Index(ad, `"ads":[`)+len(`"ads":[`):len(ad)-2], `"adId":"x-1"`, `"adId":"ad`+strconv.Itoa(k)+`"`, 1)
		ads[k] = strings.NewReplacer(`"eventId":"x-`, `"eventId":"ad`+strconv.Itoa(k)+`-`, `b.test/x/`, `b.test/ad`+strconv.Itoa(k)+`/`).Replace(ads[k])
	}
	body := `{"avails":[{"availId":"big","startTimeInSeconds":10,"durationInSeconds":200,` +
		`"adBreakTrackingEvents":[{"eventType":"breakStart","startTimeInSeconds":10,"beaconUrls":["http://b.test/bs"]}],` +
		`"ads":[` + strings.Join(ads, ",") + `]}]}`
	require.Greater(t, len(body), 8*replyStep)
	w := adopted(t, nil)
	w.manifest(live(2e9))
	w.reqs[0].done(Reply{Status: 200, Body: body}, nil)
	merges := 0
	for w.runOne() {
		if av := w.s.eng.Timeline().Avails(); len(av) == 1 && len(av[0].Ads) < 20 {
			merges++
			assert.Empty(t, w.emitted(EventTrackingUpdate), "no update before the last part")
		}
	}
	assert.GreaterOrEqual(t, merges, 20000/mergeStep-1, "merged a few ads at a time")
	updates := w.emitted(EventTrackingUpdate)
	require.Len(t, updates, 1)
	assert.Equal(t, "20001", field(t, updates[0], "newEvents"))

	r, err := tracking.Decode([]byte(body))
	require.NoError(t, err)
	whole := timeline.New()
	whole.Merge(r)
	assert.Equal(t, whole.Avails(), w.s.eng.Timeline().Avails(), "as if merged at once")

	w.play(9, 211, 0.1, 0)
	assert.Len(t, w.beacons, 20001)
	seen := map[string]bool{}
	for _, b := range w.beacons {
		assert.False(t, seen[b], "sent once: %s", b)
		seen[b] = true
	}
}
