// Package client is one availkit session on injected side effects: it
// initialises the MediaTailor session, polls tracking, merges every reply
// into the engine's timeline, prunes what leaves a live window, expands
// macros and dispatches beacons, and hands the host typed events.
//
// It performs no I/O of its own. The host supplies a transport, a beacon
// sender, one-shot timers, a clock, a random source and an event sink
// (Deps); under wasm they are JavaScript bindings (package wasm), in tests
// they are fakes. Every callback runs on the caller's single thread: a
// Session is not safe for concurrent use and never starts a goroutine.
//
// Two paths reach it. The per-frame path, Update, is allocation-free and
// calls nothing of Deps: anything it produces (beacons, events, a seek) is
// performed by Flush, which the Status bits tell the host to call. Every
// other method may emit events at once (Deps.Emit) or, inside Flush, into
// the batch Flush returns.
package client

import (
	"math"
	"strings"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/session"
	"github.com/availkit/availkit/internal/timeline"
)

// Defaults of Config.
const (
	DefaultRequestTimeout = 10 * clock.Second
	// DefaultMaxReplyBytes caps a tracking reply. A reply under it is
	// decoded in steps (replyStep) between which the page runs, but it is
	// merged in one piece: the cap bounds that last step and the memory.
	DefaultMaxReplyBytes = 4 << 20
	// DefaultMaxEventsPerAd caps the tracking events of one ad (or one
	// break, or one overlay): a VAST ad has a few dozen.
	DefaultMaxEventsPerAd = 1000
)

// Config configures a Session.
type Config struct {
	// SessionInitURL is POSTed with Init as body, unless ManifestURL and
	// TrackingURL are both given (a session initialised server-side).
	SessionInitURL string
	Init           session.InitOptions
	InitHeaders    map[string]string
	ManifestURL    string
	TrackingURL    string
	// TokenMode, PollInterval: see session.PollConfig.
	TokenMode    session.TokenMode
	PollInterval clock.Duration
	// RequestTimeout bounds each request (0: DefaultRequestTimeout).
	RequestTimeout clock.Duration
	Engine         engine.Config
	// MaxReplyBytes and MaxEventsPerAd cap a tracking reply (0: the
	// defaults); a reply over a cap is refused with a "badreply" error and
	// playback goes on with what was merged before.
	MaxReplyBytes, MaxEventsPerAd int
	// RawTracking adds the reply body to trackingupdate as "raw", for QA
	// tools. Off, the body never crosses to the host.
	RawTracking bool
	// Macros are the session-wide macro values.
	Macros MacroValues
}

// Request is one HTTP request for Deps.Fetch.
type Request struct {
	Method, URL string
	Headers     map[string]string
	Body        string
	// Timeout is how long the transport should wait; the Session gives up
	// one second later on its own if done was not called by then.
	Timeout clock.Duration
	// MaxBytes is the largest body the Session accepts; a transport may stop
	// reading past it (the Session refuses the reply anyway).
	MaxBytes int
}

// Reply is the answer to a Request.
type Reply struct {
	Status int
	Body   string
}

// Deps are the side effects of a Session. Every func is required except
// Log.
type Deps struct {
	// Fetch starts req and calls done exactly once, possibly synchronously,
	// with the reply or the error that prevented one (wrap ErrTimeout for a
	// timeout, or return a *session.Error).
	Fetch func(req Request, done func(Reply, error))
	// Send starts a beacon GET and calls done once with its outcome.
	Send func(url string, done func(error))
	// After runs f once after d unless cancel is called first.
	After func(d clock.Duration, f func()) (cancel func())
	// Now is the wall clock.
	Now func() clock.Time
	// Rand returns uniformly random bits ([CACHEBUSTING], poll jitter).
	Rand func() uint64
	// Emit delivers an event outside Flush.
	Emit func(typ string, detail jsonw.Marshaler)
	// Log receives debug and warning lines; may be nil.
	Log func(level, msg string)
}

// Session is one client-side tracking session. Create it with New; call
// Destroy when done.
type Session struct {
	cfg  Config
	deps Deps
	eng  *engine.Engine
	disp *beacon.Dispatcher
	env  *beacon.Env

	destroyed bool
	initErr   *ErrorDetail
	result    InitResult

	poll pollState

	// flush state: events emitted while flushing go into batch, or into
	// early while Flush sends the beacons (spans say which action wrote
	// which part of it).
	flushing bool
	batch    []byte
	nBatch   int
	early    []byte
	toEarly  bool
	spans    []earlySpan
	acts     []engine.Action
	exp      []byte // macro expansion buffer
	reason   int    // [REASON] of the FireTracking call being dispatched
	marks    []timeline.Marker
	ids      []string // prune candidates

	// Player state as last reported by Update and SetPlayerSize.
	ph, nowMs     float64
	flags         engine.Flags
	width, height int
	vpaidMuted    bool
	vpaidExpanded bool
	click         clickPos

	stats stats
	pod   pod

	// panics recovered on the per-frame path, reported by the next Flush.
	panics []string
	// deadlines cancels the backup timers of requests in flight.
	deadlines map[int]func()
	seq       int
}

// New returns a Session. It reports a config error for an incomplete Deps.
func New(cfg Config, deps Deps) (*Session, error) {
	if deps.Fetch == nil || deps.Send == nil || deps.After == nil || deps.Now == nil || deps.Rand == nil || deps.Emit == nil {
		return nil, &ErrorDetail{Kind: KindConfig, Source: "host", Message: "client: Deps.Fetch, Send, After, Now, Rand and Emit are required"}
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxReplyBytes <= 0 {
		cfg.MaxReplyBytes = DefaultMaxReplyBytes
	}
	if cfg.MaxEventsPerAd <= 0 {
		cfg.MaxEventsPerAd = DefaultMaxEventsPerAd
	}
	s := &Session{cfg: cfg, deps: deps, eng: engine.New(cfg.Engine), deadlines: map[int]func(){}}
	s.disp = beacon.NewDispatcher(s.send, s.beaconResult)
	s.env = cfg.Macros.env()
	s.stats.cur = -1
	// In reportingMode "server" MediaTailor fires impression, quartiles and
	// break events itself; the player sending them too would count twice.
	s.disp.SetServerReporting(cfg.Init.ReportingMode == "server")
	s.disp.SetRetryDelay(s.retryLater)
	return s, nil
}

// BeaconRetryDelay is the shortest wait before a failed beacon is sent
// again; up to as much again is added at random, so beacons that failed
// together (a host down for a moment) do not retry together.
const BeaconRetryDelay = clock.Second

// retryLater is the Dispatcher's retry timer; a session destroyed
// meanwhile sends nothing more.
func (s *Session) retryLater(retry func()) {
	d := BeaconRetryDelay + clock.Duration(s.deps.Rand()%uint64(BeaconRetryDelay))
	s.deps.After(d, func() {
		if !s.destroyed {
			retry()
		}
	})
}

// Error makes ErrorDetail an error.
func (d *ErrorDetail) Error() string { return d.Message }

// Destroy stops every timer of the session; later callbacks of requests
// and beacons in flight are ignored and every method becomes a no-op.
// InitError stays readable.
func (s *Session) Destroy() {
	if s.destroyed {
		return
	}
	s.destroyed = true
	s.stopPollTimer()
	if s.poll.step != nil {
		s.poll.step()
		s.poll.step = nil
	}
	if s.poll.dec != nil {
		s.poll.dec.Close()
	}
	s.poll.reply, s.poll.dec = Reply{}, nil
	for id, cancel := range s.deadlines {
		delete(s.deadlines, id)
		cancel()
	}
}

// Destroyed reports whether Destroy was called.
func (s *Session) Destroyed() bool { return s.destroyed }

// InitError returns why Init failed, nil when it did not (or has not yet).
// It survives Destroy, so a host that tears the session down on failure can
// still report kind, status and MediaTailor's message.
func (s *Session) InitError() *ErrorDetail { return s.initErr }

// emit delivers an event: into the batch while Flush runs, else through
// Deps.Emit right away. Nothing is emitted after Destroy.
func (s *Session) emit(typ string, detail jsonw.Marshaler) {
	if s.destroyed {
		return
	}
	if s.flushing {
		s.appendEvent(typ, detail)
		return
	}
	s.deps.Emit(typ, detail)
}

func (s *Session) log(level, msg string) {
	if s.deps.Log != nil {
		s.deps.Log(level, msg)
	}
}

// Internal reports a recovered panic of where as an "internal" error event.
// The bridge calls it from every callback it recovers in.
func (s *Session) Internal(where string, r any) {
	s.emit(EventError, ErrorDetail{Kind: KindInternal, Source: "core", Message: where + ": " + PanicText(r)})
}

// DeferPanic records a panic recovered where events cannot be emitted (the
// per-frame exports); the next Flush reports it.
func (s *Session) DeferPanic(where string, r any) {
	s.panics = append(s.panics, where+": "+PanicText(r))
}

// PanicText is the message of a recovered panic value.
func PanicText(r any) string {
	switch r := r.(type) {
	case error:
		return r.Error()
	case string:
		return r
	}
	return "panic"
}

// ReportError emits an "error" event of kind for a problem the host found
// (a bad argument to a bridge method).
func (s *Session) ReportError(kind, source, msg string) {
	s.emit(EventError, ErrorDetail{Kind: kind, Source: source, Message: msg})
}

// Update is the per-frame call: the session playhead (s), the wall clock
// (ms since the epoch) and the player flags. It allocates nothing and calls
// no Deps; when the result has engine.StatusActions the host must call
// Flush.
func (s *Session) Update(ph, nowMs float64, f engine.Flags) engine.Status {
	if s.destroyed {
		return 0
	}
	if (f^s.flags)&engine.FlagPaused != 0 {
		s.poll.pauseDirty = true
	}
	s.stats.watch(s.ph, ph, (nowMs-s.nowMs)/1000, s.eng.Rate(), f, s.eng.State() == engine.StateAd)
	s.ph, s.nowMs, s.flags = ph, nowMs, f
	st := s.eng.Update(ph, nowMs, f)
	if s.poll.pauseDirty || len(s.panics) > 0 {
		st |= engine.StatusActions
	}
	return st
}

// NextEventIn returns the session seconds from ph to the next scheduled
// item, +Inf when none.
func (s *Session) NextEventIn(ph float64) float64 {
	if s.destroyed {
		return math.Inf(1)
	}
	return s.eng.NextEventIn(ph)
}

// Playhead returns the playhead of the last Update.
func (s *Session) Playhead() float64 { return s.ph }

// Live reports whether the session is treated as live.
func (s *Session) Live() bool { return s.eng.Live() }

// SetDuration gives the VOD duration (post-roll detection).
func (s *Session) SetDuration(d float64) { s.eng.SetDuration(d) }

// SetRate gives the playback rate.
func (s *Session) SetRate(r float64) { s.eng.SetRate(r) }

// SetPlayerSize gives [PLAYERSIZE].
func (s *Session) SetPlayerSize(w, h int) { s.width, s.height = w, h }

// Seek asks whether the player may move from from to to (see engine.Seek).
func (s *Session) Seek(from, to float64, origin engine.SeekOrigin) SeekResult {
	return SeekResult(s.eng.Seek(from, to, origin))
}

// Skip skips the current ad if it is skippable now.
func (s *Session) Skip() bool { return s.eng.Skip(s.ph, s.nowMs) }

// ClickThrough fires the current ad's clickTracking and returns its landing
// page, "" when there is none or it is not an http(s) URL.
func (s *Session) ClickThrough() string {
	u, ok := s.eng.ClickThrough(s.ph, s.nowMs)
	if !ok || !beacon.Allowed(u) {
		return ""
	}
	return u
}

// AdError reports that the current ad failed with VAST error code.
func (s *Session) AdError(code int) bool { return s.eng.Error(code, s.ph, s.nowMs) }

// VPAIDEvent forwards an event of the running VPAID creative.
func (s *Session) VPAIDEvent(name string) bool { return s.eng.VPAIDEvent(name, s.ph) }

// VPAIDError ends the running VPAID ad with VAST 901; reason says why
// (the error event's message is "vpaid: " and reason, or AdError).
func (s *Session) VPAIDError(reason string) bool { return s.eng.VPAIDError(reason, s.ph) }

// VPAIDVolume forwards the creative's volume; only a real mute⇄unmute
// change becomes a beacon. It reports whether one was due.
func (s *Session) VPAIDVolume(muted bool) bool {
	if muted == s.vpaidMuted {
		return false
	}
	s.vpaidMuted = muted
	return s.eng.VPAIDVolume(muted, s.ph)
}

// VPAIDExpanded forwards the creative's AdExpandedChange; only a real
// change becomes beacons. It reports whether one was due.
func (s *Session) VPAIDExpanded(expanded bool) bool {
	if expanded == s.vpaidExpanded {
		return false
	}
	s.vpaidExpanded = expanded
	return s.eng.VPAIDExpanded(expanded, s.ph)
}

// VPAIDStopped ends the running VPAID ad.
func (s *Session) VPAIDStopped() bool {
	s.vpaidExpanded = false // the next unit starts collapsed
	return s.eng.VPAIDStopped(s.ph)
}

// UI returns the overlay state at ph as JSON.
func (s *Session) UI(ph float64) string {
	u := uiJSON(s.eng.UI(ph))
	return string(jsonw.AppendJSON(nil, &u))
}

// Markers returns the seek-bar markers as JSON.
func (s *Session) Markers() string {
	s.marks = s.eng.Markers(s.marks[:0])
	return string(jsonw.AppendJSON(nil, markersJSON(s.marks)))
}

// ContentTime converts session time to ad-free content time; with no
// avail known yet the two are the same.
func (s *Session) ContentTime(t float64) float64 {
	if len(s.eng.Timeline().Avails()) == 0 {
		return t
	}
	return s.eng.ContentTime(t)
}

// StreamTime converts content time to session time.
func (s *Session) StreamTime(c float64) float64 {
	if len(s.eng.Timeline().Avails()) == 0 {
		return c
	}
	return s.eng.StreamTime(c)
}

// sessionIDOf is the last path segment of a tracking URL.
func sessionIDOf(trackingURL string) string {
	id := trackingURL[strings.LastIndexByte(trackingURL, '/')+1:]
	if i := strings.IndexAny(id, "?#"); i >= 0 {
		id = id[:i]
	}
	return id
}
