package main

import (
	"errors"
	"strings"
	"syscall/js"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/session"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/availkit/availkit/wasm/jsconv"
)

// pollState is the tracking poll loop of a session: session.Poller decides
// when, a one-shot setTimeout wakes us, a goroutine awaits the fetch.
type pollState struct {
	p      *session.Poller
	timer  int // pending timer id, 0 when none
	paused bool
	// pauseDirty is set by ak_update when the paused flag changed; flush
	// applies it, since the export must not start timers.
	pauseDirty                          bool
	manifestURL, trackingURL, sessionID string
}

// fetchInit is the init argument of hooks.fetch.
type fetchInit struct {
	Method  string
	Headers map[string]string
	Body    string
}

func (s *instance) timeout() time.Duration {
	if s.cfg.RequestTimeout > 0 {
		return time.Duration(s.cfg.RequestTimeout * float64(time.Second))
	}
	return 10 * time.Second
}

// fetch performs one request through hooks.fetch. It blocks: call it from a
// goroutine. Failures before a status are *session.Error of kind network or
// timeout; the Go-side deadline backs up the JS one so a host-supplied fetch
// that never settles cannot stall the single-flight poller.
func (s *instance) fetch(url string, init fetchInit) (fetchReply, error) {
	h := make(map[string]any, len(init.Headers))
	for k, v := range init.Headers {
		h[k] = v
	}
	p, err := s.invoke(s.hooks.Fetch, url, map[string]any{
		"method": init.Method, "headers": h, "body": init.Body,
		"timeoutMs": float64(s.timeout() / time.Millisecond),
	})
	if err != nil {
		return fetchReply{}, &session.Error{Kind: session.KindNetwork, Message: err.Error()}
	}
	v, err := s.await(p, s.timeout()+time.Second)
	var r fetchReply
	switch {
	case errors.Is(err, errDestroyed):
		return r, err
	case errors.Is(err, errTimeout):
		return r, &session.Error{Kind: session.KindTimeout, Message: url}
	case err != nil:
		k := session.KindNetwork
		if strings.Contains(err.Error(), "timeout") {
			k = session.KindTimeout
		}
		return r, &session.Error{Kind: k, Message: err.Error()}
	}
	if err := jsconv.Decode(v, &r); err != nil {
		return r, &session.Error{Kind: session.KindNetwork, Message: "hooks.fetch: " + err.Error()}
	}
	return r, nil
}

// initPromise is the session object's init(): POST the session
// initialization (unless the host passed manifestUrl and trackingUrl from a
// server-side init), then start the poller.
func (s *instance) initPromise() js.Value {
	return newPromise(func() (any, error) {
		var m, t string
		if s.cfg.ManifestURL != "" && s.cfg.TrackingURL != "" {
			m, t = s.cfg.ManifestURL, s.cfg.TrackingURL
		} else {
			var err error
			m, t, err = s.initSession()
			if err != nil {
				if !errors.Is(err, errDestroyed) {
					s.emit("error", errorOf("init", err))
				}
				return nil, err
			}
		}
		if s.destroyed {
			return nil, errDestroyed
		}
		mode := session.TokenPagination
		if s.cfg.TrackingMode == "full" {
			mode = session.TokenFull
		}
		s.poll.p = session.NewPoller(t, session.PollConfig{
			Interval: time.Duration(s.cfg.PollInterval * float64(time.Second)),
			Rand:     s.rng.Float64,
			Mode:     mode,
		})
		s.poll.manifestURL, s.poll.trackingURL = m, t
		s.poll.sessionID = t[strings.LastIndexByte(t, '/')+1:]
		if i := strings.IndexAny(s.poll.sessionID, "?#"); i >= 0 {
			s.poll.sessionID = s.poll.sessionID[:i]
		}
		res := initResult{ManifestURL: m, TrackingURL: t, SessionID: s.poll.sessionID}
		s.emit("ready", res)
		return jsconv.ValueOf(res), nil
	})
}

func (s *instance) initSession() (manifestURL, trackingURL string, err error) {
	if s.cfg.SessionInitURL == "" {
		return "", "", &session.Error{Kind: session.KindBadReply, Message: "sessionInitUrl (or manifestUrl and trackingUrl) is required"}
	}
	opts := session.InitOptions{
		AdsParams:      s.cfg.AdsParams,
		OriginParams:   s.cfg.OriginParams,
		ManifestParams: s.cfg.ManifestParams,
		ReportingMode:  s.cfg.ReportingMode,
		Nonce:          s.cfg.Nonce,
		NonceKey:       s.cfg.NonceParam,
	}
	a := s.cfg.AvailSuppression
	opts.AvailSuppression = session.AvailSuppression{Mode: a.Mode, Value: a.Value, FillPolicy: a.FillPolicy}
	opts.OverlayAvails = s.cfg.OverlayAvails
	h := map[string]string{"content-type": "application/json"}
	for k, v := range s.cfg.SessionInitHeaders {
		h[k] = v
	}
	r, err := s.fetch(s.cfg.SessionInitURL, fetchInit{Method: "POST", Headers: h, Body: string(session.BuildInitBody(opts))})
	if err != nil {
		return "", "", err
	}
	return session.ParseInitReply(s.cfg.SessionInitURL, []byte(r.Text), r.Status)
}

func errorOf(source string, err error) errorDetail {
	var se *session.Error
	if errors.As(err, &se) {
		return errorDetail{Kind: string(se.Kind), Source: source, Status: se.Status, Message: se.Error()}
	}
	return errorDetail{Kind: "internal", Source: source, Message: err.Error()}
}

func (s *instance) manifestLoaded(m manifestInfo) {
	if m.Live && !s.ec.Live && (s.poll.p == nil || s.poll.p.Interval() == 0) {
		// The engine learns liveness only from the first manifest, before
		// the first poll fills it: rebuilding it then loses nothing.
		s.ec.Live = true
		s.eng = engine.New(s.ec)
		s.update = s.eng.Update
	}
	if m.Duration > 0 {
		s.eng.SetDuration(m.Duration)
	}
	if s.poll.p == nil {
		return
	}
	s.poll.p.ManifestLoaded(time.Now(), m.Live,
		time.Duration(m.TargetDuration*float64(time.Second)),
		time.Duration(m.MinimumUpdatePeriod*float64(time.Second)))
	s.schedulePoll()
}

// wakePoll is pollNow(): a poll as soon as possible.
func (s *instance) wakePoll() {
	if s.poll.p == nil {
		return
	}
	s.poll.p.Request(time.Now())
	s.schedulePoll()
}

// applyPause forwards a play/pause change seen by ak_update to the poller.
func (s *instance) applyPause() {
	if !s.poll.pauseDirty {
		return
	}
	s.poll.pauseDirty = false
	if s.poll.p != nil {
		s.poll.p.SetPaused(time.Now(), s.flags&engine.FlagPaused != 0)
		s.schedulePoll()
	}
}

// schedulePoll re-arms the poll timer from the poller's plan.
func (s *instance) schedulePoll() {
	if s.destroyed || s.poll.p == nil {
		return
	}
	if s.poll.timer != 0 {
		s.tm.stop(s.poll.timer)
		s.poll.timer = 0
	}
	wait, ok := s.poll.p.NextPoll(time.Now())
	if !ok {
		return
	}
	s.poll.timer = s.tm.after(float64(wait)/float64(time.Millisecond), func() {
		s.poll.timer = 0
		if s.destroyed {
			return
		}
		if !s.poll.p.Begin(time.Now()) {
			s.schedulePoll()
			return
		}
		go s.pollOnce(s.poll.p.URL())
	})
}

// pollOnce fetches, decodes and merges one tracking response. Failures are
// reported as `error` events and retried by the poller; playback goes on.
func (s *instance) pollOnce(url string) {
	r, err := s.fetch(url, fetchInit{Method: "GET"})
	if errors.Is(err, errDestroyed) || s.destroyed {
		return
	}
	ok := false
	switch {
	case err != nil:
		s.emit("error", errorOf("tracking", err))
	case session.TrackingError(r.Status, []byte(r.Text)) != nil:
		te := session.TrackingError(r.Status, []byte(r.Text))
		s.emit("error", errorOf("tracking", te))
		if te.Kind == session.KindExpired {
			s.poll.p.Stop()
		}
	default:
		resp, derr := tracking.Decode([]byte(r.Text))
		if derr != nil {
			s.emit("error", errorOf("tracking", &session.Error{Kind: session.KindBadJSON, Status: r.Status, Message: derr.Error()}))
			break
		}
		st := s.eng.Merge(resp)
		s.poll.p.SetNextToken(resp.NextToken)
		ok = true
		s.emit("trackingupdate", trackingUpdateDetail{
			Avails: st.Avails, NewAvails: st.NewAvails, NewAds: st.NewAds, NewEvents: st.NewEvents,
			NextToken: resp.NextToken, Bytes: len(r.Text), Raw: r.Text,
		})
	}
	if s.destroyed {
		return
	}
	s.poll.p.OnResult(time.Now(), ok)
	s.schedulePoll()
}
