package client

import (
	"fmt"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const initURL = "http://mt.test/v1/session/acct/origin/live/index.m3u8"

func TestInitSuccess(t *testing.T) {
	w := newWorld(t, Config{
		SessionInitURL: initURL,
		Init:           session.InitOptions{AdsParams: map[string]string{"deviceType": "web"}},
		InitHeaders:    map[string]string{"x-api-key": "k"},
	})
	w.auto = func(Request) (Reply, error) {
		return Reply{Status: 200, Body: `{"manifestUrl":"/v1/master/acct/origin/live/index.m3u8?aws.sessionId=s-9","trackingUrl":"/v1/tracking/acct/origin/s-9"}`}, nil
	}
	var got InitResult
	calls := 0
	w.s.Init(func(r InitResult, err *ErrorDetail) {
		require.Nil(t, err)
		got = r
		calls++
	})
	require.Len(t, w.reqs, 1)
	r := w.reqs[0]
	assert.Equal(t, "POST", r.Method)
	assert.Equal(t, initURL, r.URL)
	assert.JSONEq(t, `{"adsParams":{"deviceType":"web"}}`, r.Body)
	assert.Equal(t, map[string]string{"content-type": "application/json", "x-api-key": "k"}, r.Headers)
	assert.Equal(t, DefaultRequestTimeout, r.Timeout)

	assert.Equal(t, 1, calls)
	assert.Equal(t, InitResult{
		ManifestURL: "http://mt.test/v1/master/acct/origin/live/index.m3u8?aws.sessionId=s-9",
		TrackingURL: "http://mt.test/v1/tracking/acct/origin/s-9",
		SessionID:   "s-9",
	}, got)
	assert.Equal(t, []string{`{"manifestUrl":"http://mt.test/v1/master/acct/origin/live/index.m3u8?aws.sessionId=s-9","trackingUrl":"http://mt.test/v1/tracking/acct/origin/s-9","sessionId":"s-9"}`}, w.emitted(EventReady))
	assert.Nil(t, w.s.InitError())
	assert.Equal(t, 0, w.pending(), "the request's backup timer is cancelled")
}

func TestInitAdoptsServerSideSession(t *testing.T) {
	w := adopted(t, nil)
	assert.Empty(t, w.reqs, "no POST for a session made server-side")
	assert.Equal(t, []string{`{"manifestUrl":"http://cdn.test/m.m3u8","trackingUrl":"` + trackingURL + `","sessionId":"sess-1"}`}, w.emitted(EventReady))
}

// TestInitErrors covers every kind of session.Error an init can end with:
// the error event, the done callback and InitError (after Destroy too) all
// carry kind, status and MediaTailor's message.
func TestInitErrors(t *testing.T) {
	tests := []struct {
		name   string
		cfg    Config
		answer func(w *world)
		want   ErrorDetail
	}{
		{
			name:   "network",
			answer: func(w *world) { w.fail(0, errRefused) },
			want:   ErrorDetail{Kind: "network", Source: "init", Message: "session: network: connection refused"},
		},
		{
			name:   "transport timeout",
			answer: func(w *world) { w.fail(0, fmt.Errorf("after 10 s: %w", ErrTimeout)) },
			want:   ErrorDetail{Kind: "timeout", Source: "init", Message: "session: timeout: after 10 s: client: request timed out"},
		},
		{
			name:   "transport never answers",
			answer: func(w *world) { w.advance(DefaultRequestTimeout + timeoutGrace) },
			want:   ErrorDetail{Kind: "timeout", Source: "init", Message: "session: timeout: no answer from " + initURL},
		},
		{
			name:   "http with MediaTailor's message",
			answer: func(w *world) { w.answer(0, 403, `{"message":"Playback configuration not found"}`) },
			want: ErrorDetail{Kind: "http", Source: "init", Status: 403,
				Message: "session: http 403: Playback configuration not found", ServerMessage: "Playback configuration not found"},
		},
		{
			name:   "badjson",
			answer: func(w *world) { w.answer(0, 200, `<html>`) },
			want:   ErrorDetail{Kind: "badjson", Source: "init", Status: 200},
		},
		{
			name:   "badreply",
			answer: func(w *world) { w.answer(0, 200, `{"manifestUrl":"/m.m3u8"}`) },
			want:   ErrorDetail{Kind: "badreply", Source: "init", Status: 200, Message: "session: badreply 200: trackingUrl missing in session reply"},
		},
		{
			name: "no init URL",
			cfg:  Config{SessionInitURL: ""},
			want: ErrorDetail{Kind: "badreply", Source: "init", Message: "session: badreply: sessionInitUrl (or manifestUrl and trackingUrl) is required"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			if tt.answer != nil {
				cfg.SessionInitURL = initURL
			}
			w := newWorld(t, cfg)
			var got *ErrorDetail
			calls := 0
			w.s.Init(func(_ InitResult, err *ErrorDetail) { got = err; calls++ })
			if tt.answer != nil {
				require.Nil(t, got, "nothing before the reply")
				tt.answer(w)
			}
			require.Equal(t, 1, calls)
			require.NotNil(t, got)
			want := tt.want
			if want.Message == "" { // the decoder's wording is not ours to pin
				want.Message = got.Message
				assert.Contains(t, got.Message, "session: "+want.Kind)
			}
			assert.Equal(t, want, *got)
			errs := w.emitted(EventError)
			require.Len(t, errs, 1, "one error event")
			assert.Contains(t, errs[0], `"kind":"`+want.Kind+`","source":"init","status":`)
			assert.Empty(t, w.emitted(EventReady))

			w.s.Destroy()
			require.NotNil(t, w.s.InitError(), "kept after destroy for the host's rejection")
			assert.Equal(t, want, *w.s.InitError())
			assert.Equal(t, 0, w.pending(), "no timer left")
			// A late answer after a deadline changes nothing.
			if len(w.reqs) > 0 {
				w.answer(0, 200, `{}`)
			}
			assert.Equal(t, 1, calls)
		})
	}
}

func TestInitDestroyedWhileInFlight(t *testing.T) {
	w := newWorld(t, Config{SessionInitURL: initURL})
	calls := 0
	w.s.Init(func(InitResult, *ErrorDetail) { calls++ })
	w.s.Destroy()
	assert.Equal(t, 0, w.pending(), "the backup timer is cancelled")
	w.answer(0, 200, `{"manifestUrl":"/m","trackingUrl":"/t/s"}`)
	w.advance(time.Minute)
	assert.Equal(t, 0, calls, "done is never called after Destroy")
	assert.Empty(t, w.events)
}

// TestInitPanicStillAnswers: a panic while the init reply is handled (here
// in the host's emit binding) fails the init with an internal error before
// it propagates to the bridge, so createSession never hangs.
func TestInitPanicStillAnswers(t *testing.T) {
	w := newWorld(t, Config{SessionInitURL: initURL})
	var got *ErrorDetail
	calls := 0
	w.s.Init(func(_ InitResult, err *ErrorDetail) { got = err; calls++ })
	w.emitPanics = EventReady
	assert.PanicsWithValue(t, "emit bug", func() { w.answer(0, 200, `{"manifestUrl":"/m","trackingUrl":"/t/s"}`) })
	require.Equal(t, 1, calls)
	require.NotNil(t, got)
	assert.Equal(t, ErrorDetail{Kind: "internal", Source: "init", Message: "init: emit bug"}, *got)
}
