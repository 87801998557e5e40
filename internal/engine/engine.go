// Package engine is the ad-break state machine of availkit. It is fed the
// merged tracking timeline and, on every frame, the playhead, the wall clock
// and the player flags; it answers with actions (fire this beacon, emit this
// event, seek there) that the caller performs. It does no I/O and reads no
// clock of its own.
//
// Beacons follow the HTML "missed cues" rule: a Timed event fires when
// continuous playback crosses its time and is dropped when a seek crosses it.
// Playback from prev to ph (session seconds) at wall times prevNow, now is
// continuous when no seek was reported in between, the player is not seeking
// and
//
//	-0.1 <= ph-prev <= max(1, 2*r*wall + 0.25)
//
// where r is the playback rate set by SetRate (at least 1) and wall the
// seconds since the previous update, or, when the playhead held still while
// playing (a screen clock waiting for a late frame), since it last moved, at
// most 2 s more. That tolerates 4 Hz timeupdate at any rate, frame drops,
// a starved decoder and the small backward jitter between a player's clocks.
//
// Decisions worth knowing:
//
//   - Impression, start and the other Timed events of an ad are held while
//     the ad has not rendered (paused before first play) and fire once it
//     plays; action events (pause, mute, fullscreen, ...) fire on each edge
//     of Flags during a rendered ad, and resume only after a pause; rewind
//     fires when the viewer seeks back inside the ad that plays (a seek
//     the policy lets through). Which events count once and which on every
//     change is the core's table, beacon.RuleOf; a Beacon action's
//     BeaconKey is its dedupe identity for beacon.Dispatcher.
//   - Impression and creativeView count the first frame shown (IAB), so an
//     ad entered in its middle (a seek back into it, a bookmark) fires them
//     once it renders; its start and quartiles before the landing point
//     stay dropped.
//   - A long continuous step (a background tab's slow timers, a long
//     frame) is played through every ad and break boundary it crosses:
//     the host gets adbreakstart/adstart/adend/adbreakend in order and the
//     break is watched, as with frame-by-frame playback.
//   - Landing within 0.5 s of an ad's start (a snap-back, a skip to the next
//     ad, playback from 0) counts as starting that ad: its start events are
//     due. Landing later in an ad drops the events before the landing point.
//   - An unfilled avail (0 s, no ads, no adMarkerDuration) is not a break:
//     no snap-back, no marker, no adbreakstart; its breakStart/breakEnd fire
//     when playback crosses it. An avail with 0 duration but an
//     adMarkerDuration is a break of the marker's length, since the stream
//     carries the break before its ads are known (live).
//   - Live breaks fill in over polls: tracking events that arrive after
//     continuous playback crossed their time fire on the next Update, late
//     but once (their Scheduled time tells).
//   - Overlay (non-linear) avails are announced once by a "nonlinear"
//     event when the playhead is in their slot; the overlay renders them
//     and fires their tracking events itself.
//   - adprogress is throttled by the engine (Config.ProgressInterval of ad
//     time, 0.25 s by default) so the host gets a steady countdown without
//     polling UI; UI is still available at any time.
//   - Seek origin decides nothing about policy except OriginStart, which
//     never snaps, and OriginGap forward by less than GapJump, which is
//     the player jumping a buffer hole: continuous playback, never refused
//     or snapped. A user's OriginNative seek of any size keeps the rules. A seek the engine itself asked for (snap, resume, skip,
//     jump, vpaid) always passes. Scrub previews must not be reported.
//
// An Engine is not safe for concurrent use.
package engine

import (
	"math"

	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

// Config configures an Engine. Its zero value is strict but quiet: policy
// last, watched breaks replayed, no upcoming notice, no adprogress; use
// DefaultConfig for the recommended settings.
type Config struct {
	NoSkip Policy
	// JumpWatched seeks over a break already watched when playback enters
	// it again.
	JumpWatched bool
	// Live disables snap-back unless LiveSnapBack is set.
	Live         bool
	LiveSnapBack bool
	// UpcomingLead is how long before an unwatched break adbreakupcoming is
	// emitted, in seconds; 0 disables it.
	UpcomingLead float64
	// ProgressInterval is the minimum ad playhead advance between two
	// adprogress events, in seconds; 0 disables them.
	ProgressInterval float64
	// Logf, when set, receives transition logs (debug level).
	Logf func(format string, args ...any)
}

// DefaultConfig returns the recommended configuration.
func DefaultConfig() Config {
	return Config{NoSkip: PolicyLast, JumpWatched: true, UpcomingLead: 5, ProgressInterval: 0.25}
}

// anchor holds, after a landing at the very start of an ad (or break),
// the ad whose events between its start (lo) and the landing point (hi)
// are still due: a snap-back or a skip lands a little after the ad's start
// and must not lose its impression and start.
type anchor struct {
	_         [0]func() // not comparable: the core then carries no generated == for it
	on        bool
	lo, hi    float64
	avail, ad int  // positions, re-found by id after a merge or prune
	brk       bool // the break's own breakStart is due too
	availID   string
	adID      string
}

// snap holds the seeks the engine asked for and what follows them.
type snap struct {
	// expect is the target of the pending Seek action or snap; a landing
	// within startTol of it is the engine's own, not the viewer's.
	expect   float64
	expectOK bool
	// at is the wall time (ms) the snap started, NaN until the first
	// Update after it.
	at float64
	// resume is where playback continues after the snapped break(s).
	resume   float64
	resumeOK bool
	// queue (PolicyAll) holds the starts of the avails still to play.
	queue []float64
}

// Engine is the ad-break state machine.
type Engine struct {
	cfg Config
	tl  *timeline.Timeline

	state State
	avail int // current avail index, -1 when none
	ad    int // current ad index within avail, -1 when none
	// cur is the avail cursor: the first avail ending after the last
	// playhead; nlCur the same over overlay avails.
	cur, nlCur int
	// availID and adID re-find the position after a merge or prune.
	availID, adID string

	hasPrev bool
	prevPH  float64
	prevNow float64
	// moveNow is the wall time the playhead last moved (or was paused,
	// seeking, or first seen); see classify.
	moveNow   float64
	prevFlags Flags
	// rate is the playback rate from SetRate, >= 1 (0 before: read as 1).
	rate float64
	// windowStart is the live window's seekable start at the last Prune.
	windowStart float64
	// disc is set by Seek and by our own Seek actions: the next Update is a
	// landing, not continuous playback.
	disc bool

	// next is the index into Refs of the first event not yet considered;
	// contFrom is where the current continuous run started.
	next     int
	contFrom float64
	anchor   anchor

	rendered  bool // current ad rendered
	impressed bool // current ad's impression handled
	// breakSent and adSent say the current break's adbreakstart and the
	// current ad's adstart went out: they wait for the ad to render
	// (announce), and an end goes out only after its start.
	breakSent bool
	adSent    bool
	// crossTo is the playhead a long step is heading for while cross
	// handles its intermediate positions, -Inf otherwise.
	crossTo      float64
	pauseSent    bool
	skippableOut bool
	progressAt   float64

	snap snap

	duration float64
	actions  []Action
	status   Status
}

// New returns an engine with an empty timeline.
func New(cfg Config) *Engine {
	return &Engine{
		cfg:     cfg,
		tl:      timeline.New(),
		avail:   -1,
		ad:      -1,
		actions: make([]Action, 0, 64),
		snap:    snap{resume: -1},
		crossTo: math.Inf(-1),
	}
}

// Timeline returns the engine's timeline for read access (markers, content
// time). Callers must not merge into it directly; use Engine.Merge.
func (e *Engine) Timeline() *timeline.Timeline { return e.tl }

// State returns the current state.
func (e *Engine) State() State { return e.state }

// SetRate tells the engine the player's playback rate (1 when never set).
// At 4× a 4 Hz timeupdate moves the playhead a full second per tick; the
// rate widens the continuous-step bound so such steps are still playback,
// not seeks that drop the beacons they cross. Rates below 1 keep the 1×
// bound.
func (e *Engine) SetRate(r float64) {
	if !(r > 1) || math.IsInf(r, 0) {
		r = 1
	}
	e.rate = r
}

// Rate returns the playback rate SetRate was given, at least 1.
func (e *Engine) Rate() float64 { return max(e.rate, 1) }

// SetDuration gives the session's total duration (VOD), used only to tell a
// post-roll from a mid-roll; 0 means unknown.
func (e *Engine) SetDuration(d float64) { e.duration = d }

// Merge adds a tracking response to the timeline, keeping fired and watched
// state. Events that arrive late for a part of the timeline already crossed
// by the current continuous run fire on the next Update (live breaks fill in
// while they play).
func (e *Engine) Merge(r *tracking.Response) timeline.MergeStats {
	st := e.tl.Merge(r)
	e.remap()
	return st
}

// Prune drops avails that end at or before seekableStart, but never one
// the last playhead has not played past: a live player a little behind its
// window (hls.js lags the seekable start by a segment or two) is still
// playing that break, and its remaining beacons (breakEnd, complete) must
// fire. A break left behind for good ends when the player jumps forward.
func (e *Engine) Prune(seekableStart float64) int {
	n, _ := e.PruneIDs(seekableStart, nil)
	return n
}

// PruneIDs is Prune that also appends to dst the ids of the avails it
// dropped (linear and overlay): the caller forgets their beacon dedupe
// state with beacon.Dispatcher.Forget, so a 24-hour live session holds only
// what its window holds.
func (e *Engine) PruneIDs(seekableStart float64, dst []string) (int, []string) {
	e.windowStart = seekableStart
	if e.hasPrev && seekableStart > e.prevPH {
		seekableStart = e.prevPH
	}
	if inBreak(e.state) && e.avail >= 0 && e.tl.Avails()[e.avail].End <= seekableStart {
		// The break we are in leaves the window (a stalled live player):
		// close it while it can still be named, so the host's ad UI ends.
		e.setState(StateContent)
	}
	n, dst := e.tl.PruneIDs(seekableStart, dst)
	if n > 0 {
		e.remap()
	}
	return n, dst
}

// remap re-finds indices after the timeline changed.
func (e *Engine) remap() {
	e.cur = e.tl.Locate(e.prevPH)
	e.nlCur = 0
	e.avail, e.ad = e.find(e.availID, e.adID)
	if e.avail < 0 && e.state != StateContent && e.state != StateSnapback {
		// The avail we were in was pruned: nothing to close.
		e.setState(StateContent)
	}
	if e.anchor.on {
		e.anchor.avail, e.anchor.ad = e.find(e.anchor.availID, e.anchor.adID)
		if e.anchor.avail < 0 {
			e.anchor.on = false
		}
	}
	if e.anchor.on {
		e.next = e.tl.FirstRefFrom(e.anchor.lo)
	} else {
		e.next = e.tl.FirstRefAfter(e.contFrom)
	}
}

func (e *Engine) find(availID, adID string) (int, int) {
	if availID == "" {
		return -1, -1
	}
	ai := e.tl.Find(availID)
	if ai < 0 || adID == "" {
		return ai, -1
	}
	ads := e.tl.Avails()[ai].Ads
	for k := range ads {
		if ads[k].ID == adID {
			return ai, k
		}
	}
	return ai, -1
}

// Drain appends the pending actions to dst, in order, and clears them.
func (e *Engine) Drain(dst []Action) []Action {
	dst = append(dst, e.actions...)
	clear(e.actions)
	e.actions = e.actions[:0]
	e.status &^= StatusActions | StatusSeek
	return dst
}

// Markers appends the seek-bar markers to dst.
func (e *Engine) Markers(dst []timeline.Marker) []timeline.Marker { return e.tl.Markers(dst) }

// ContentTime converts session time to ad-free content time.
func (e *Engine) ContentTime(t float64) float64 { return e.tl.ContentTime(t) }

// StreamTime converts ad-free content time to session time.
func (e *Engine) StreamTime(c float64) float64 { return e.tl.StreamTime(c) }

func (e *Engine) logf(format string, args ...any) {
	if e.cfg.Logf != nil {
		e.cfg.Logf(format, args...)
	}
}

func (e *Engine) position(a *timeline.Avail) BreakPosition {
	if !e.cfg.Live && a.Start <= startTol {
		return PositionPreroll
	}
	if e.duration > 0 && a.End >= e.duration-startTol {
		return PositionPostroll
	}
	return PositionMidroll
}

func (e *Engine) snapEnabled() bool {
	if e.cfg.NoSkip == PolicyOff {
		return false
	}
	return !e.cfg.Live || e.cfg.LiveSnapBack
}

const (
	// startTol is how close to an ad's start a landing still counts as
	// starting the ad (its impression and start are due), and how close to a
	// target a seek counts as the one the engine asked for.
	startTol = 0.5
	// eps absorbs float rounding between tracking times and playheads.
	eps = 1e-6
	// jitter is the largest backward step still taken as continuous play.
	jitter = 0.1
)

func abs(x float64) float64 { return math.Abs(x) }
