package beacon

import (
	"errors"

	"github.com/availkit/availkit/internal/errchain"
	"github.com/availkit/availkit/internal/httpurl"
)

// Allowed reports whether u may be requested as a beacon: an absolute http
// or https URL with a host and without user credentials. Anything else
// (about:blank impressions, javascript:, data:, relative paths) is never
// dispatched; credentials are refused because fetch rejects such URLs and
// they would leak to the ad server. Control characters, spaces and
// backslashes (which browsers read as "/") are refused rather than guessed
// at. The check is hand-written because net/url would pull fmt and reflect
// into the wasm build.
func Allowed(u string) bool {
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return false
		}
	}
	return httpurl.IsAbsolute(u)
}

// Key names one beacon URL of one tracking event.
//
// Its identity, which dedupe compares, is {AvailID, AdID, EventID (the
// EventType when there is none), EventType, Index}: eventId alone is not
// unique (all quartiles of an HLS ad segment share it), and one event may
// list several URLs, told apart by their position Index. URL is not part of
// it: a later poll may list the same event with another URL (a server-side
// cachebuster, a re-signed link), and an event already counted must not be
// counted again.
type Key struct {
	AvailID, AdID, EventID, EventType string
	// URL is the beacon URL as listed (macros unexpanded), for the report.
	URL string
	// Index is the URL's position among the URLs of its event.
	Index int
	// PlayerOnly marks an event MediaTailor cannot fire, whatever its type:
	// one a VPAID creative reports, a companion's or an overlay's. It is
	// sent in server reporting mode too. Not part of the identity.
	PlayerOnly bool
}

// ident is the part of a Key that dedupe compares, less the avail, which
// selects the per-avail set.
type ident struct {
	adID, eventID, eventType string
	index                    int
}

func identOf(k Key) ident {
	id := k.EventID
	if id == "" {
		id = k.EventType
	}
	return ident{adID: k.AdID, eventID: id, eventType: k.EventType, index: k.Index}
}

// Set is a set of Key identities, grouped by avail so that forgetting an
// avail drops its whole group (and the memory of its map) at once. The zero
// value is ready to use.
type Set struct {
	m map[string]map[ident]struct{}
	n int
}

// Add inserts k's identity and reports whether it was new.
func (s *Set) Add(k Key) bool {
	if s.m == nil {
		s.m = make(map[string]map[ident]struct{})
	}
	g := s.m[k.AvailID]
	if g == nil {
		g = make(map[ident]struct{}, 16)
		s.m[k.AvailID] = g
	}
	id := identOf(k)
	if _, ok := g[id]; ok {
		return false
	}
	g[id] = struct{}{}
	s.n++
	return true
}

// Has reports whether k's identity is in the set.
func (s *Set) Has(k Key) bool {
	_, ok := s.m[k.AvailID][identOf(k)]
	return ok
}

// Len returns the number of identities.
func (s *Set) Len() int { return s.n }

// Avails returns the number of avails with at least one identity.
func (s *Set) Avails() int { return len(s.m) }

// Bytes estimates the memory the set holds: strings, map entries and the
// per-avail maps. It is what a session's dedupe costs; tests use it to show
// the set stops growing once pruned avails are forgotten.
func (s *Set) Bytes() int {
	const entry = 8 * 9 // ident (3 string headers + int) plus map overhead per slot
	n := 0
	for avail, g := range s.m {
		n += len(avail) + 16 + 48 // key string, header, map header
		for id := range g {
			n += entry + len(id.adID) + len(id.eventID) + len(id.eventType)
		}
	}
	return n
}

// DeleteAvail forgets every identity of availID; callers prune avails that
// left the live window so the set does not grow for the whole session.
func (s *Set) DeleteAvail(availID string) {
	if g, ok := s.m[availID]; ok {
		s.n -= len(g)
		delete(s.m, availID)
	}
}

// ErrNotAllowed is reported for a URL that Allowed refuses.
var ErrNotAllowed = errors.New("beacon: URL not allowed (http/https without credentials only)")

// ErrNoRetry may be wrapped by a sender's error to mark a failure that a
// retry cannot fix.
var ErrNoRetry = errors.New("beacon: permanent failure")

// FiredBy values of Result.
const (
	// FiredByPlayer: the Dispatcher sent the beacon.
	FiredByPlayer = "player"
	// FiredByServer: MediaTailor fires this beacon itself (reportingMode
	// "server"); the Dispatcher did not send it and reports it so the host
	// still sees every event of the ad.
	FiredByServer = "server"
)

// Result reports the outcome of one beacon.
type Result struct {
	_   [0]func() // not comparable: the core then carries no generated == for it
	Key Key
	// URL is the expanded URL that was requested (or, for FiredByServer,
	// would have been).
	URL string
	// Err is nil on success, else the last error (ErrNotAllowed, or the
	// sender's error after the retry).
	Err error
	// Attempts is the number of requests made: 0 (refused or server's), 1
	// or 2.
	Attempts int
	// FiredBy is FiredByPlayer or FiredByServer.
	FiredBy string
}

// Dispatcher fires beacons by the counting rules of RuleOf: a Once event at
// most once per Key identity, any other event on every call. A failed
// attempt is retried once; a success never is.
//
// With server reporting on (SetServerReporting), the events MediaTailor
// fires itself in reportingMode "server" (Rule.Server) are not sent but
// reported to onResult with FiredBy "server", once per identity; a Key
// marked PlayerOnly (VPAID, companion, overlay) is sent all the same.
//
// Send must start the request and later call done exactly once, with nil on
// success or the network error; it may call done synchronously. Under wasm,
// done is called from a JS promise callback, so Dispatcher needs no
// goroutines and is not safe for concurrent use.
type Dispatcher struct {
	send     func(url string, done func(err error))
	onResult func(Result)
	seen     Set
	pending  int
	server   bool
	delay    func(retry func())
}

// NewDispatcher returns a Dispatcher using send for requests and reporting
// every final outcome to onResult (which may be nil).
func NewDispatcher(send func(url string, done func(err error)), onResult func(Result)) *Dispatcher {
	return &Dispatcher{send: send, onResult: onResult}
}

// SetServerReporting tells the Dispatcher that the session was initialised
// with reportingMode "server", so MediaTailor fires its share of the beacons.
func (d *Dispatcher) SetServerReporting(on bool) { d.server = on }

// SetRetryDelay makes the one retry of a failed beacon wait: delay must
// call retry once, later (the caller's timer), or never when the session
// ends first. Without it the retry is immediate, which a beacon host that
// just refused a connection rarely survives.
func (d *Dispatcher) SetRetryDelay(delay func(retry func())) { d.delay = delay }

// ServerReporting reports whether server reporting is on.
func (d *Dispatcher) ServerReporting() bool { return d.server }

// Fire requests expanded (k.URL after macro expansion) unless k's event is
// counted once and its identity was fired before. It reports whether a
// request was started; refused URLs are reported to onResult with
// ErrNotAllowed and count as fired, and so do the server's events in server
// reporting mode (FiredBy "server").
func (d *Dispatcher) Fire(k Key, expanded string) bool {
	r := RuleOf(k.EventType)
	if r.Once && !d.seen.Add(k) {
		return false
	}
	if d.server && r.Server && !k.PlayerOnly {
		d.report(Result{Key: k, URL: expanded, FiredBy: FiredByServer})
		return false
	}
	if !Allowed(expanded) {
		d.report(Result{Key: k, URL: expanded, Err: ErrNotAllowed, FiredBy: FiredByPlayer})
		return false
	}
	d.pending++
	d.attempt(k, expanded, 1)
	return true
}

func (d *Dispatcher) attempt(k Key, u string, n int) {
	called := false
	d.send(u, func(err error) {
		if called {
			return // a sender that answers twice must not double the retry
		}
		called = true
		if err != nil && n == 1 && !errchain.Is(err, ErrNoRetry) {
			if d.delay != nil {
				d.delay(func() { d.attempt(k, u, 2) })
			} else {
				d.attempt(k, u, 2)
			}
			return
		}
		d.pending--
		d.report(Result{Key: k, URL: u, Err: err, Attempts: n, FiredBy: FiredByPlayer})
	})
}

func (d *Dispatcher) report(r Result) {
	if d.onResult != nil {
		d.onResult(r)
	}
}

// Pending returns the number of beacons whose outcome is not known yet.
func (d *Dispatcher) Pending() int { return d.pending }

// Fired reports whether k's identity was fired (or refused, or left to the
// server) already. Events that are not counted once are never remembered.
func (d *Dispatcher) Fired(k Key) bool { return d.seen.Has(k) }

// Forget drops the dedupe state of availID (see Set.DeleteAvail).
func (d *Dispatcher) Forget(availID string) { d.seen.DeleteAvail(availID) }

// Remembered returns the number of identities and avails the dedupe holds
// and an estimate of their bytes (Set.Bytes).
func (d *Dispatcher) Remembered() (keys, avails, bytes int) {
	return d.seen.Len(), d.seen.Avails(), d.seen.Bytes()
}
