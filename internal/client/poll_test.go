package client

import (
	"strconv"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func live(td time.Duration) ManifestInfo { return ManifestInfo{Live: true, TargetDuration: td} }

func TestPollStartsWithTheFirstManifest(t *testing.T) {
	t.Run("after init", func(t *testing.T) {
		w := adopted(t, nil)
		w.advance(time.Minute)
		assert.Empty(t, w.reqs, "MediaTailor decides ads when it serves the manifest: no poll before")
		w.manifest(ManifestInfo{Duration: 60})
		require.Len(t, w.reqs, 1)
		assert.Equal(t, "GET", w.reqs[0].Method)
		assert.Equal(t, trackingURL, w.reqs[0].URL)
		assert.Equal(t, DefaultMaxReplyBytes, w.reqs[0].MaxBytes)
	})
	t.Run("manifest before init completes", func(t *testing.T) {
		w := newWorld(t, Config{SessionInitURL: initURL})
		w.s.Init(func(InitResult, *ErrorDetail) {})
		w.manifest(live(2 * time.Second))
		require.Len(t, w.reqs, 1, "only the POST so far")
		w.answer(0, 200, `{"manifestUrl":"/m.m3u8","trackingUrl":"/v1/tracking/acct/origin/s-2"}`)
		require.Len(t, w.reqs, 2, "the remembered manifest starts polling")
		assert.Equal(t, "http://mt.test/v1/tracking/acct/origin/s-2", w.reqs[1].URL)
		assert.True(t, w.s.Live())
	})
}

func TestPollLiveIntervalAndSingleFlight(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(live(4 * time.Second))
	require.Len(t, w.reqs, 1)
	// The reply takes 3 s; pollNow and the interval meanwhile start nothing.
	w.advance(time.Second)
	w.s.PollNow()
	w.advance(2 * time.Second)
	require.Len(t, w.reqs, 1, "single-flight: one request at a time")
	w.answer(0, 200, trackingJSON(""))
	require.Len(t, w.reqs, 2, "the pollNow that came in flight runs right after")
	assert.Equal(t, 3*time.Second, w.reqs[1].At.Sub(t0))
	w.auto = func(Request) (Reply, error) { return Reply{Status: 200, Body: trackingJSON("")}, nil }
	w.answer(1, 200, trackingJSON(""))
	w.advance(9 * time.Second)
	assert.Equal(t, []time.Duration{0, 3 * time.Second, 7 * time.Second, 11 * time.Second}, w.requestTimes("/tracking/"),
		"then one poll per target duration after each reply")
	assert.Len(t, w.emitted(EventTrackingUpdate), len(w.reqs))
}

func TestPollBackoffAndErrorKinds(t *testing.T) {
	w := adopted(t, nil)
	// A 10 s interval: live retries are capped at it, and 1, 2, 4, 8 s stay
	// under (session.TestPollerBackoff checks the cap).
	w.manifest(live(10 * time.Second))
	fail := []func(i int){
		func(i int) { w.answer(i, 500, `{"message":"internal"}`) },
		func(i int) { w.fail(i, errRefused) },
		func(i int) { w.answer(i, 200, `{"avails":[`) },
		func(i int) { w.advance(DefaultRequestTimeout + timeoutGrace) },
	}
	for i, f := range fail {
		require.Len(t, w.reqs, i+1)
		f(i)
		// With Rand at 0 the jittered backoff is half of 1 s, 2 s, 4 s …
		w.advance(time.Duration(1<<i) * time.Second / 2)
	}
	require.Len(t, w.reqs, 5)
	var kinds []string
	for _, e := range w.emitted(EventError) {
		kinds = append(kinds, field(t, e, "kind")+"/"+field(t, e, "source"))
	}
	assert.Equal(t, []string{"http/tracking", "network/tracking", "badjson/tracking", "timeout/tracking"}, kinds)
	got := w.requestTimes("/tracking/")
	gaps := []time.Duration{}
	for i := 1; i < len(got); i++ {
		gaps = append(gaps, got[i]-got[i-1])
	}
	assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, DefaultRequestTimeout + timeoutGrace + 4*time.Second}, gaps,
		"exponential backoff after each failure")
	w.answer(4, 200, trackingJSON(""))
	w.advance(10*time.Second - time.Millisecond)
	assert.Len(t, w.reqs, 5, "a success returns to the live interval")
	w.advance(time.Millisecond)
	assert.Len(t, w.reqs, 6, "a success returns to the live interval")
}

func TestPollExpiredSessionStops(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(live(2 * time.Second))
	w.answer(0, 410, `{"message":"session expired"}`)
	w.advance(time.Hour)
	assert.Len(t, w.reqs, 1, "an expired session is never polled again")
	assert.Equal(t, []string{`{"kind":"expired","source":"tracking","status":410,"message":"session: expired 410: session expired","serverMessage":"session expired"}`}, w.emitted(EventError))
	assert.Equal(t, 0, w.pending())
}

func TestPollPauseAware(t *testing.T) {
	t.Run("live slows down while paused", func(t *testing.T) {
		w := adopted(t, nil)
		w.auto = func(Request) (Reply, error) { return Reply{Status: 200, Body: trackingJSON("")}, nil }
		w.manifest(live(2 * time.Second))
		w.s.Update(0, 0, engine.FlagPaused)
		w.s.Flush() // the pause reaches the poller on flush: Update starts no timer
		w.advance(12 * time.Second)
		assert.Equal(t, []time.Duration{0, 6 * time.Second, 12 * time.Second}, w.requestTimes("/tracking/"), "3× the interval")
		w.s.Update(0, 0, 0)
		w.s.Flush()
		w.advance(4 * time.Second)
		assert.Equal(t, []time.Duration{0, 6 * time.Second, 12 * time.Second, 14 * time.Second, 16 * time.Second}, w.requestTimes("/tracking/"))
	})
	t.Run("VOD retries wait for play", func(t *testing.T) {
		w := adopted(t, nil)
		w.manifest(ManifestInfo{Duration: 60})
		st := w.s.Update(0, 0, engine.FlagPaused)
		assert.NotZero(t, st&engine.StatusActions, "a pause change asks for a flush")
		w.s.Flush()
		w.fail(0, errRefused)
		w.advance(time.Minute)
		assert.Len(t, w.reqs, 1, "no retry while paused")
		w.s.Update(0, 0, 0)
		w.s.Flush()
		w.advance(0)
		assert.Len(t, w.reqs, 2, "retried on play")
	})
}

func TestPollPagination(t *testing.T) {
	tests := []struct {
		name string
		mode session.TokenMode
		want []string
	}{
		{"pagination", session.TokenPagination, []string{trackingURL, trackingURL + "?nextToken=t%2B1", trackingURL}},
		{"full", session.TokenFull, []string{trackingURL, trackingURL, trackingURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := adopted(t, func(c *Config) { c.TokenMode = tt.mode })
			w.manifest(live(2 * time.Second))
			body0 := trackingJSON("t+1", availJSON("a1", 10, 6, 0))
			w.answer(0, 200, body0)
			w.advance(2 * time.Second)
			w.answer(1, 200, trackingJSON("", availJSON("a2", 30, 6, 0)))
			w.advance(2 * time.Second)
			var urls []string
			for _, r := range w.reqs {
				urls = append(urls, r.URL)
			}
			assert.Equal(t, tt.want, urls, "the token of a reply rides on the next poll; a reply without one asks for the full window")
			ups := w.emitted(EventTrackingUpdate)
			require.Len(t, ups, 2)
			assert.JSONEq(t, `{"avails":1,"newAvails":1,"newAds":1,"newEvents":2,"pruned":0,"nextToken":"t+1","bytes":`+strconv.Itoa(len(body0))+`}`, ups[0])
			assert.Contains(t, ups[1], `"avails":2,"newAvails":1`, "pages merge into one timeline")
		})
	}
}

// TestPollSurvivesPanics: a panic while a poll is handled (here in the
// host's emit or fetch binding) propagates to the bridge, which reports it,
// and polling goes on.
func TestPollSurvivesPanics(t *testing.T) {
	w := adopted(t, nil)
	w.manifest(live(2 * time.Second))
	w.emitPanics = EventTrackingUpdate
	assert.PanicsWithValue(t, "emit bug", func() { w.answer(0, 200, trackingJSON("")) })
	w.fetchPanics = true
	assert.PanicsWithValue(t, "fetch bug", func() { w.advance(time.Second) }, "the backoff retry after the failed poll")
	assert.Len(t, w.reqs, 2)
	w.advance(2 * time.Second)
	require.Len(t, w.reqs, 3, "still polling")
	w.answer(2, 200, trackingJSON("", availJSON("a1", 10, 6, 0)))
	assert.Len(t, w.emitted(EventTrackingUpdate), 1)
	assert.Equal(t, []string{"network/tracking"}, func() (out []string) {
		for _, e := range w.emitted(EventError) {
			out = append(out, field(t, e, "kind")+"/"+field(t, e, "source"))
		}
		return out
	}(), "the panicking transport counts as a failed request")
}

// TestRepliesWithAByteOrderMark: a body crosses from the transport as its
// bytes, so a reply that starts with a UTF-8 byte-order mark (which
// fetch's text() would have dropped) must still be read, both as the init
// reply and as a tracking reply.
func TestRepliesWithAByteOrderMark(t *testing.T) {
	const bom = "\ufeff"
	w := newWorld(t, Config{SessionInitURL: initURL})
	var initErr *ErrorDetail
	w.s.Init(func(_ InitResult, e *ErrorDetail) { initErr = e })
	w.answer(0, 200, bom+`{"manifestUrl":"/m.m3u8","trackingUrl":"/v1/tracking/acct/origin/s-2"}`)
	require.Nil(t, initErr)
	w.manifest(ManifestInfo{Duration: 60})
	require.Len(t, w.reqs, 2)
	w.answer(1, 200, bom+trackingJSON("", availJSON("a1", 10, 6, 0)))
	assert.Empty(t, w.emitted(EventError))
	ups := w.emitted(EventTrackingUpdate)
	require.Len(t, ups, 1)
	assert.Contains(t, ups[0], `"avails":1,"newAvails":1`)
}
