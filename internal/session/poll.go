package session

import (
	"strings"

	"github.com/availkit/availkit/internal/clock"
)

// TokenMode says how the poller uses nextToken.
type TokenMode uint8

const (
	// TokenPagination sends the last nextToken so MediaTailor returns only
	// what is new (the AWS SDK's default adTrackingUpdateMode).
	TokenPagination TokenMode = iota
	// TokenFull always asks for the full window.
	TokenFull
)

// PollConfig tunes a Poller. Zero fields take the documented defaults.
type PollConfig struct {
	// Interval, when positive, replaces the live interval derived from the
	// manifest (still clamped to [MinInterval, MaxInterval]).
	Interval clock.Duration
	// MinInterval and MaxInterval clamp the live interval: 2 s and 10 s.
	MinInterval, MaxInterval clock.Duration
	// PausedFactor multiplies the live interval while paused (default 3):
	// the window still moves, but nothing is played that needs fresh data.
	PausedFactor int
	// BackoffBase and BackoffMax bound the retry delay after failures:
	// BackoffBase·2^(n-1) for the n-th consecutive failure, capped at
	// BackoffMax (defaults 1 s and 30 s), then jittered into [d/2, d).
	// Live streams cap it at the live interval too: an ad that starts while
	// the endpoint is down is listed by the first poll after it recovers,
	// and a 30 s wait let whole ads play untracked; retrying no faster than
	// healthy polling adds no load during an outage.
	BackoffBase, BackoffMax clock.Duration
	// Rand returns a number in [0, 1) for jitter; nil means no jitter
	// (the full delay).
	Rand func() float64
	// Mode selects nextToken paging (default) or full responses.
	Mode TokenMode
}

// defaultLiveInterval is used when the manifest gives neither a target
// duration nor a minimumUpdatePeriod (Bitmovin's Android integration polls
// every 4 s while playing).
const defaultLiveInterval = 4 * clock.Second

// Poller schedules tracking requests. It is a pure state machine: it never
// reads a clock or starts a timer. The caller
//
//   - reports the first media manifest with ManifestLoaded (polling starts
//     only then: MediaTailor decides ads when it serves the manifest);
//   - asks NextPoll for the delay to arm a timer with, and on expiry calls
//     Begin, which refuses while a request is in flight (single-flight);
//   - fetches URL, then reports OnResult exactly once per successful Begin
//     (the fetch bridge must time out and report failure rather than hang),
//     and passes the decoded nextToken to SetNextToken;
//   - reports pause/play with SetPaused, and explicit refresh needs (seek,
//     pollNow) with Request.
//
// Live: a poll every interval after each success. VOD: one poll after the
// manifest, then only on Request. Failures back off exponentially with
// jitter. While paused, live polls slow down and VOD failure retries wait
// for play; explicit requests still run. Stop ends polling for good (for
// example on an expired session).
type Poller struct {
	cfg     PollConfig
	baseURL string
	token   string

	started, live, paused, stopped bool
	inflight                       bool
	again                          bool // Request arrived while in flight
	retryOnPlay                    bool // VOD retry deferred by pause
	failures                       int
	interval                       clock.Duration

	next    clock.Time
	hasNext bool
	lastEnd clock.Time
}

// NewPoller returns a Poller for trackingURL (absolute, as returned by
// ParseInitReply).
func NewPoller(trackingURL string, cfg PollConfig) *Poller {
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = 2 * clock.Second
	}
	if cfg.MaxInterval <= 0 {
		cfg.MaxInterval = 10 * clock.Second
	}
	if cfg.MaxInterval < cfg.MinInterval {
		cfg.MaxInterval = cfg.MinInterval
	}
	if cfg.PausedFactor <= 0 {
		cfg.PausedFactor = 3
	}
	if cfg.BackoffBase <= 0 {
		cfg.BackoffBase = clock.Second
	}
	if cfg.BackoffMax <= 0 {
		cfg.BackoffMax = 30 * clock.Second
	}
	return &Poller{cfg: cfg, baseURL: trackingURL}
}

// ManifestLoaded reports a (re)loaded media manifest. The first call starts
// polling at once; later calls only update the live interval. For HLS pass
// the target duration, for DASH the minimumUpdatePeriod (0 when absent).
func (p *Poller) ManifestLoaded(now clock.Time, live bool, targetDuration, minimumUpdatePeriod clock.Duration) {
	wasLive := p.live
	p.live = live
	iv := p.cfg.Interval
	if iv <= 0 {
		iv = targetDuration
	}
	if iv <= 0 {
		iv = minimumUpdatePeriod
	}
	if iv <= 0 {
		iv = defaultLiveInterval
	}
	p.interval = min(max(iv, p.cfg.MinInterval), p.cfg.MaxInterval)
	if !p.started {
		p.started = true
		p.schedule(now)
		return
	}
	if p.live && p.hasNext && p.failures == 0 && !p.lastEnd.IsZero() {
		p.schedule(p.lastEnd.Add(p.liveInterval()))
	}
	if p.live && !wasLive && !p.hasNext && !p.inflight && !p.stopped && !p.retryOnPlay {
		// A stream first taken for VOD (polled once, then idle) turns out
		// live: poll at the live pace from now on.
		next := p.lastEnd.Add(p.liveInterval())
		if next.Before(now) {
			next = now
		}
		p.schedule(next)
	}
}

// Interval returns the current live poll interval (0 before the first
// manifest).
func (p *Poller) Interval() clock.Duration { return p.interval }

func (p *Poller) liveInterval() clock.Duration {
	if p.paused {
		return p.interval * clock.Duration(p.cfg.PausedFactor)
	}
	return p.interval
}

func (p *Poller) schedule(t clock.Time) { p.next, p.hasNext = t, true }

// Request asks for a poll as soon as possible: now if idle, right after the
// current request if one is in flight. Before the first manifest it is a
// no-op, since the first manifest triggers a poll anyway.
func (p *Poller) Request(now clock.Time) {
	if !p.started || p.stopped {
		return
	}
	if p.inflight {
		p.again = true
		return
	}
	p.retryOnPlay = false
	if !p.hasNext || p.next.After(now) {
		p.schedule(now)
	}
}

// NextPoll returns how long to wait before calling Begin; ok is false when
// no poll is planned (not started, in flight, VOD idle, or stopped).
func (p *Poller) NextPoll(now clock.Time) (wait clock.Duration, ok bool) {
	if !p.started || p.stopped || p.inflight || !p.hasNext {
		return 0, false
	}
	if d := p.next.Sub(now); d > 0 {
		return d, true
	}
	return 0, true
}

// Begin starts a poll if one is due and none is in flight, and reports
// whether the caller should now fetch URL.
func (p *Poller) Begin(now clock.Time) bool {
	if !p.started || p.stopped || p.inflight || !p.hasNext || p.next.After(now) {
		return false
	}
	p.inflight, p.hasNext = true, false
	return true
}

// InFlight reports whether a poll is waiting for OnResult.
func (p *Poller) InFlight() bool { return p.inflight }

// OnResult ends the poll started by Begin. ok means a tracking response was
// received and decoded.
func (p *Poller) OnResult(now clock.Time, ok bool) {
	if !p.inflight {
		return
	}
	p.inflight = false
	p.lastEnd = now
	if p.stopped {
		return
	}
	if ok {
		p.failures = 0
		switch {
		case p.again:
			p.schedule(now)
		case p.live:
			p.schedule(now.Add(p.liveInterval()))
		}
		p.again = false
		return
	}
	p.again = false
	p.failures++
	// A token the server no longer honours (expired after 24 h) would fail
	// forever; a full response is always safe to merge.
	p.token = ""
	if !p.live && p.paused {
		p.retryOnPlay = true
		return
	}
	p.schedule(now.Add(p.Backoff()))
}

// Failures returns the number of consecutive failed polls.
func (p *Poller) Failures() int { return p.failures }

// Backoff returns the delay before the next retry after the current run of
// failures (0 when there is none).
func (p *Poller) Backoff() clock.Duration {
	if p.failures == 0 {
		return 0
	}
	d := p.cfg.BackoffBase
	for i := 1; i < p.failures && d < p.cfg.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, p.cfg.BackoffMax)
	if p.live && p.interval > 0 {
		d = min(d, p.liveInterval())
	}
	if p.cfg.Rand != nil {
		r := p.cfg.Rand()
		if r < 0 || r >= 1 {
			r = 0
		}
		d = d/2 + clock.Duration(r*float64(d/2))
	}
	return d
}

// SetPaused reports that playback paused or resumed.
func (p *Poller) SetPaused(now clock.Time, paused bool) {
	if p.paused == paused {
		return
	}
	p.paused = paused
	if !p.started || p.stopped || p.inflight {
		return
	}
	switch {
	case p.live && p.hasNext && p.failures == 0 && !p.lastEnd.IsZero():
		next := p.lastEnd.Add(p.liveInterval())
		if next.Before(now) {
			next = now
		}
		p.schedule(next)
	case !p.live && paused && p.hasNext && p.failures > 0:
		p.hasNext, p.retryOnPlay = false, true
	case !p.live && !paused && p.retryOnPlay:
		p.retryOnPlay = false
		p.schedule(now)
	}
}

// Stop ends polling; nothing is scheduled afterwards.
func (p *Poller) Stop() { p.stopped, p.hasNext = true, false }

// SetNextToken records the nextToken of the latest response ("" for absent
// or null, which makes the next poll a full one).
func (p *Poller) SetNextToken(token string) {
	if p.cfg.Mode == TokenPagination {
		p.token = token
	}
}

// URL returns the tracking URL for the next poll: in pagination mode with a
// known token, the token is added as the nextToken query parameter. The
// real service writes its token already URL-encoded ("…XzE%3D"), so a token
// that is a valid encoded query value goes back as sent: escaping it again
// would turn %3D into %253D and the service would not read its own token.
// Any other token is query-escaped.
func (p *Poller) URL() string {
	if p.cfg.Mode != TokenPagination || p.token == "" {
		return p.baseURL
	}
	u := p.baseURL
	frag := ""
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u, frag = u[:i], u[i:]
	}
	sep := "?"
	if strings.IndexByte(u, '?') >= 0 {
		sep = "&"
		if strings.HasSuffix(u, "?") || strings.HasSuffix(u, "&") {
			sep = ""
		}
	}
	tok := p.token
	if !queryEncoded(tok) {
		tok = queryEscape(tok)
	}
	return u + sep + "nextToken=" + tok + frag
}

// queryEncoded reports whether s can stand as a query value unchanged:
// only unreserved characters and %XX escapes (no "+", "=", "&", "/").
func queryEncoded(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~':
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// queryEscape escapes s for a query value the way url.QueryEscape does
// (space as "+"), which is what servers built on net/url decode.
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~':
			b = append(b, c)
		case c == ' ':
			b = append(b, '+')
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}
