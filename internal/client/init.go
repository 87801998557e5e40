package client

import (
	"errors"
	"strings"

	"github.com/availkit/availkit/internal/errchain"
	"github.com/availkit/availkit/internal/session"
)

// ErrTimeout may be wrapped by a transport's error for a request that
// timed out; the Session reports it as session.KindTimeout.
var ErrTimeout = errors.New("client: request timed out")

// Init starts the session: it POSTs the session initialization (unless
// Config gave ManifestURL and TrackingURL), emits "ready" and calls done
// with the URLs, or emits "error" (source "init") and calls done with the
// error, which InitError keeps. done is called at most once and never
// after Destroy. Polling starts at the first ManifestLoaded, which may come
// before Init completes.
func (s *Session) Init(done func(InitResult, *ErrorDetail)) {
	if s.destroyed {
		return
	}
	if s.cfg.ManifestURL != "" && s.cfg.TrackingURL != "" {
		s.ready(s.cfg.ManifestURL, s.cfg.TrackingURL, done)
		return
	}
	if s.cfg.SessionInitURL == "" {
		s.initFailed(&session.Error{Kind: session.KindBadReply, Message: "sessionInitUrl (or manifestUrl and trackingUrl) is required"}, done)
		return
	}
	h := make(map[string]string, len(s.cfg.InitHeaders)+1)
	h["content-type"] = "application/json"
	for k, v := range s.cfg.InitHeaders {
		h[k] = v
	}
	req := Request{Method: "POST", URL: s.cfg.SessionInitURL, Headers: h, Body: string(session.BuildInitBody(s.cfg.Init)), Timeout: s.cfg.RequestTimeout}
	s.fetch(req, func(r Reply, err *session.Error) {
		answered := false
		once := func(res InitResult, e *ErrorDetail) { answered = true; done(res, e) }
		defer func() {
			// A bug while handling the reply must not leave the host's
			// init waiting: fail it, then let the bridge report the panic.
			if p := recover(); p != nil {
				if !answered {
					s.initFailed(errors.New("init: "+PanicText(p)), once)
				}
				panic(p)
			}
		}()
		done := once
		if err != nil {
			s.initFailed(err, done)
			return
		}
		m, t, perr := session.ParseInitReply(s.cfg.SessionInitURL, []byte(r.Body), r.Status)
		if perr != nil {
			s.initFailed(perr, done)
			return
		}
		s.ready(m, t, done)
	})
}

func (s *Session) ready(manifestURL, trackingURL string, done func(InitResult, *ErrorDetail)) {
	s.result = InitResult{ManifestURL: manifestURL, TrackingURL: trackingURL, SessionID: sessionIDOf(trackingURL)}
	s.startPoller(trackingURL)
	s.emit(EventReady, s.result)
	done(s.result, nil)
}

func (s *Session) initFailed(err error, done func(InitResult, *ErrorDetail)) {
	d := errorOf("init", err)
	s.initErr = &d
	s.emit(EventError, d)
	done(InitResult{}, &d)
}

// Result returns the URLs of a successful Init.
func (s *Session) Result() InitResult { return s.result }

// errorOf is the "error" detail of a failure of source.
func errorOf(source string, err error) ErrorDetail {
	if se, ok := errchain.As[*session.Error](err); ok {
		d := ErrorDetail{Kind: string(se.Kind), Source: source, Status: se.Status, Message: se.Error()}
		if se.Kind == session.KindHTTP || se.Kind == session.KindExpired {
			d.ServerMessage = se.Message // from the error body
		}
		return d
	}
	return ErrorDetail{Kind: KindInternal, Source: source, Message: err.Error()}
}

// classify turns a transport failure into a typed error.
func classify(err error) *session.Error {
	if se, ok := errchain.As[*session.Error](err); ok {
		return se
	}
	if errchain.Is(err, ErrTimeout) || strings.Contains(err.Error(), "timeout") {
		return &session.Error{Kind: session.KindTimeout, Message: err.Error()}
	}
	return &session.Error{Kind: session.KindNetwork, Message: err.Error()}
}

// fetch performs req through Deps.Fetch and calls done once with the reply
// or a typed error. A backup timer one second past req.Timeout reports a
// timeout if the transport never answers, so a host fetch that hangs
// cannot stall the single-flight poller. Nothing is called after Destroy.
func (s *Session) fetch(req Request, done func(Reply, *session.Error)) {
	s.seq++
	id := s.seq
	finished := false
	finish := func(r Reply, err error) {
		if finished {
			return
		}
		finished = true
		if cancel, ok := s.deadlines[id]; ok {
			delete(s.deadlines, id)
			cancel()
		}
		if s.destroyed {
			return
		}
		if err != nil {
			done(r, classify(err))
			return
		}
		// A body crosses as bytes, so the byte-order mark that fetch's
		// text() would drop is still there; JSON has no place for it.
		r.Body = strings.TrimPrefix(r.Body, "\ufeff")
		done(r, nil)
	}
	s.deadlines[id] = s.deps.After(req.Timeout+timeoutGrace, func() {
		delete(s.deadlines, id)
		finish(Reply{}, &session.Error{Kind: session.KindTimeout, Message: "no answer from " + req.URL})
	})
	defer func() {
		// A transport that panics has still failed this request: end it
		// (the poller must not stay in flight), then let the bridge
		// report the bug.
		if r := recover(); r != nil {
			finish(Reply{}, &session.Error{Kind: session.KindNetwork, Message: "transport: " + PanicText(r)})
			panic(r)
		}
	}()
	s.deps.Fetch(req, finish)
}
