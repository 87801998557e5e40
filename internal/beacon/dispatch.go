package beacon

import (
	"errors"
	"github.com/availkit/availkit/internal/httpurl"
	"strings"
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
	var rest string
	switch {
	case hasPrefixFold(u, "http://"):
		rest = u[7:]
	case hasPrefixFold(u, "https://"):
		rest = u[8:]
	default:
		return false
	}
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c == 0x7f || c == '\\' {
			return false
		}
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	return httpurl.ValidAuthority(rest[:end])
}

// hasPrefixFold is an ASCII-only strings.HasPrefix ignoring case; the
// Unicode folding of strings.EqualFold costs tables in the wasm build.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}

// Key identifies one beacon for dedupe. eventId alone is not unique (all
// quartiles of an HLS ad segment share it), and one event may list several
// URLs, so the URL (as sent, before macro expansion) is part of the key.
type Key struct {
	AvailID, AdID, EventID, EventType, URL string
}

// Set is a set of Keys. The zero value is ready to use.
type Set struct {
	m map[Key]struct{}
}

// Add inserts k and reports whether it was new.
func (s *Set) Add(k Key) bool {
	if s.m == nil {
		s.m = make(map[Key]struct{})
	}
	if _, ok := s.m[k]; ok {
		return false
	}
	s.m[k] = struct{}{}
	return true
}

// Has reports whether k is in the set.
func (s *Set) Has(k Key) bool {
	_, ok := s.m[k]
	return ok
}

// Len returns the number of keys.
func (s *Set) Len() int { return len(s.m) }

// DeleteAvail forgets every key of availID; callers prune avails that left
// the live window so the set does not grow for the whole session.
func (s *Set) DeleteAvail(availID string) {
	for k := range s.m {
		if k.AvailID == availID {
			delete(s.m, k)
		}
	}
}

// ErrNotAllowed is reported for a URL that Allowed refuses.
var ErrNotAllowed = errors.New("beacon: URL not allowed (http/https without credentials only)")

// ErrNoRetry may be wrapped by a sender's error to mark a failure that a
// retry cannot fix.
var ErrNoRetry = errors.New("beacon: permanent failure")

// Result reports the outcome of one beacon.
type Result struct {
	Key Key
	// URL is the expanded URL that was requested.
	URL string
	// Err is nil on success, else the last error (ErrNotAllowed, or the
	// sender's error after the retry).
	Err error
	// Attempts is the number of requests made: 0 (refused), 1 or 2.
	Attempts int
}

// Dispatcher fires each beacon at most once per Key, retrying once after a
// failed attempt and never after a success.
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
}

// NewDispatcher returns a Dispatcher using send for requests and reporting
// every final outcome to onResult (which may be nil).
func NewDispatcher(send func(url string, done func(err error)), onResult func(Result)) *Dispatcher {
	return &Dispatcher{send: send, onResult: onResult}
}

// Fire requests expanded (k.URL after macro expansion) unless k was fired
// before. It reports whether a request was started; refused URLs are
// reported to onResult with ErrNotAllowed and count as fired.
func (d *Dispatcher) Fire(k Key, expanded string) bool {
	if !d.seen.Add(k) {
		return false
	}
	if !Allowed(expanded) {
		d.report(Result{Key: k, URL: expanded, Err: ErrNotAllowed})
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
		if err != nil && n == 1 && !errors.Is(err, ErrNoRetry) {
			d.attempt(k, u, 2)
			return
		}
		d.pending--
		d.report(Result{Key: k, URL: u, Err: err, Attempts: n})
	})
}

func (d *Dispatcher) report(r Result) {
	if d.onResult != nil {
		d.onResult(r)
	}
}

// Pending returns the number of beacons whose outcome is not known yet.
func (d *Dispatcher) Pending() int { return d.pending }

// Fired reports whether k was fired (or refused) already.
func (d *Dispatcher) Fired(k Key) bool { return d.seen.Has(k) }

// Forget drops the dedupe state of availID (see Set.DeleteAvail).
func (d *Dispatcher) Forget(availID string) { d.seen.DeleteAvail(availID) }
