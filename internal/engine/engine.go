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
//	-0.1 <= ph-prev <= max(1, 2*r*(now-prevNow)/1000 + 0.25)
//
// where r is the playback rate set by SetRate (at least 1), which tolerates
// 4 Hz timeupdate at any rate, frame drops and the small backward jitter
// between a player's clocks.
//
// Decisions worth knowing:
//
//   - Impression, start and the other Timed events of an ad are held while
//     the ad has not rendered (paused before first play) and fire once it
//     plays; action events (pause, mute, fullscreen, ...) fire on each edge
//     of Flags during a rendered ad, and resume only after a pause.
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

// Policy says what a forward seek over unwatched avails does.
type Policy uint8

const (
	// PolicyLast plays the last unwatched avail crossed, then resumes at the
	// seek target.
	PolicyLast Policy = iota
	// PolicyFirst plays the first unwatched avail crossed.
	PolicyFirst
	// PolicyAll plays every unwatched avail crossed, in order.
	PolicyAll
	// PolicyOff lets every seek through and never refuses a seek in an ad.
	PolicyOff
)

var policyNames = [...]string{"last", "first", "all", "off"}

func (p Policy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return "unknown"
}

// ParsePolicy maps "last", "first", "all" and "off" to a Policy; "" is
// PolicyLast.
func ParsePolicy(s string) (Policy, bool) {
	if s == "" {
		return PolicyLast, true
	}
	for i, n := range policyNames {
		if n == s {
			return Policy(i), true
		}
	}
	return PolicyLast, false
}

// Flags are the player states passed to Update.
type Flags uint32

const (
	FlagPaused Flags = 1 << iota
	FlagMuted
	FlagFullscreen
	FlagSeeking
	FlagEnded
	// FlagRendered means the player has shown a frame since playback
	// started; without it the engine waits for the playhead to advance.
	FlagRendered
)

// Status bits returned by Update.
type Status int32

const (
	// StatusActions means Drain has something.
	StatusActions Status = 1 << iota
	// StatusInAd means the playhead is inside an ad break being played.
	StatusInAd
	// StatusNear means something is scheduled within NearWindow seconds:
	// the caller should drive Update from the frame clock.
	StatusNear
	// StatusSeek means a Seek action is pending in Drain.
	StatusSeek
)

// NearWindow is the horizon of StatusNear in seconds.
const NearWindow = 0.5

// GapJump is the longest forward OriginGap seek (s) taken for a player
// jumping a buffer hole; a longer one is read as OriginNative. Stitched streams have holes
// of a few tens of ms at asset boundaries; user seeks (keys, seek bar) move
// by seconds. It matches the largest step Update still reads as continuous.
const GapJump = 1.0

// SeekOrigin says who asked for a seek.
type SeekOrigin uint8

const (
	// OriginAPI is a seek the plugin's own UI or API is about to perform:
	// the decision says where to go instead.
	OriginAPI SeekOrigin = iota
	// OriginNative is a seek the player already started (native controls,
	// keys): the decision says where to correct it to.
	OriginNative
	// OriginStart is the initial or bookmark position; it never snaps back.
	OriginStart
	// OriginGap is a seek the player made on its own to step over a hole
	// in its buffer (hls.js and dash.js gap controllers, a stall nudge):
	// the caller saw it start at a hole or while the element was waiting
	// for data. Forward by less than GapJump it is playback, not a seek.
	OriginGap
)

// State is the position of the state machine.
type State uint8

const (
	// StateContent: playing content, no break near.
	StateContent State = iota
	// StateUpcoming: an unwatched break starts within Config.UpcomingLead.
	StateUpcoming
	// StateBreak: inside a break but not inside an ad (slate, gap, or a
	// live break whose ads are not known yet).
	StateBreak
	// StateAd: inside an ad.
	StateAd
	// StateSnapback: a seek was redirected to a break the player has not
	// reached yet.
	StateSnapback
	// StateJumping: inside a watched break, a Seek to its end is pending.
	StateJumping
)

var stateNames = [...]string{"content", "upcoming", "break", "ad", "snapback", "jumping"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// BreakPosition is the VAST [BREAKPOSITION] value.
type BreakPosition uint8

const (
	PositionPreroll  BreakPosition = 1
	PositionMidroll  BreakPosition = 2
	PositionPostroll BreakPosition = 3
)

func (p BreakPosition) String() string {
	switch p {
	case PositionPreroll:
		return "preroll"
	case PositionPostroll:
		return "postroll"
	}
	return "midroll"
}

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

// ActionKind tells the three kinds of Action apart.
type ActionKind uint8

const (
	ActionBeacon ActionKind = iota
	ActionEvent
	ActionSeek
)

// Action is one thing the caller must do. Fields not meaningful for a kind
// are zero. It is flat so that the action buffer never allocates.
type Action struct {
	Kind ActionKind
	// Name is the event name for ActionEvent ("adstart", ...), the eventType
	// for ActionBeacon and the reason for ActionSeek ("snap", "resume",
	// "skip", "jump", "vpaid").
	Name string

	AvailID string
	AdID    string
	// Beacon: the tracking event and its raw URL (macros unexpanded).
	EventID   string
	EventType string
	URL       string
	// Scheduled is the event's time in session seconds (-1 for actions).
	Scheduled float64
	// Playhead is the session playhead at dispatch; AdPlayhead the time
	// since the ad's start (0 outside an ad).
	Playhead   float64
	AdPlayhead float64
	Position   BreakPosition

	// Event detail: ad index (1-based) and count in the break, ad or break
	// duration, skip offset from the ad start (-1: not skippable).
	Index, Count int
	Duration     float64
	SkipOffset   float64
	// Remaining is the break's remaining time (adprogress).
	Remaining float64
	Skipped   bool
	// Message is the error text of an "error" event.
	Message string
	// ErrorCode is the VAST error code of an "error" event and of the
	// error beacons it fired (the [ERRORCODE] macro), 0 otherwise.
	ErrorCode int
	// HasVPAID tells, on adbreakupcoming and adbreakstart, that an ad of the
	// break is a VPAID ad, so the host can warm up its creative frame.
	HasVPAID bool
	// Ad is the ad's tracking model (companions, adParameters,
	// clickThrough) for adstart; VPAID its VPAID media file, if any.
	Ad    *tracking.Ad
	VPAID *tracking.MediaFile
	// ClickThrough is the landing page of the ad, "" when none.
	ClickThrough string
	// NonLinear is the overlay avail of a "nonlinear" event (its
	// nonLinearAdsList); Duration is its slot, 0 when unknown.
	NonLinear *tracking.Avail

	// Seek and snapback: From, To and ResumeAt (-1: none).
	From, To, ResumeAt float64
}

// SeekDecision is the answer to Seek.
type SeekDecision struct {
	// Allow is true when the requested position stands. When false, To is
	// where the player must go instead (the current position for a refused
	// seek, a break start for a snap-back).
	Allow bool
	To    float64
	// ResumeAt is where playback continues after the snapped break(s), -1
	// when none. The engine emits the matching Seek action itself.
	ResumeAt float64
	// Reason is "", "refused" or "snap".
	Reason string
}

// UIState is what an ad overlay shows.
type UIState struct {
	State   State
	InAd    bool
	AvailID string
	AdID    string
	// AdIndex is 1-based; AdCount the number of ads known in the break.
	AdIndex, AdCount int
	AdDuration       float64
	AdPlayhead       float64
	AdRemaining      float64
	BreakRemaining   float64
	Skippable        bool
	// SkipIn is the time until Skip is allowed, -1 when the ad is not
	// skippable, 0 when it is skippable now.
	SkipIn       float64
	ClickThrough bool
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

	hasPrev   bool
	prevPH    float64
	prevNow   float64
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
	// anchor: after landing at the very start of an ad, that ad's events
	// between its start and the landing point are still due.
	anchor                  bool
	anchorLo, anchorHi      float64
	anchorAvail, anchorAd   int
	anchorBreak             bool
	anchorAvailID, anchorID string

	rendered  bool // current ad rendered
	impressed bool // current ad's impression handled
	// crossTo is the playhead a long step is heading for while cross
	// handles its intermediate positions, -Inf otherwise.
	crossTo      float64
	pauseSent    bool
	skippableOut bool
	progressAt   float64

	// internal seeks: expect is the target of a Seek action or snap the
	// engine asked for.
	expect   float64
	expectOK bool
	snapAt   float64 // wall ms when the snap started
	resume   float64
	resumeOK bool
	queue    []float64 // PolicyAll: starts of the avails still to play

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
		resume:  -1,
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
	e.windowStart = seekableStart
	if e.hasPrev && seekableStart > e.prevPH {
		seekableStart = e.prevPH
	}
	if inBreak(e.state) && e.avail >= 0 && e.tl.Avails()[e.avail].End <= seekableStart {
		// The break we are in leaves the window (a stalled live player):
		// close it while it can still be named, so the host's ad UI ends.
		e.setState(StateContent)
	}
	n := e.tl.Prune(seekableStart)
	if n > 0 {
		e.remap()
	}
	return n
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
	if e.anchor {
		e.anchorAvail, e.anchorAd = e.find(e.anchorAvailID, e.anchorID)
		if e.anchorAvail < 0 {
			e.anchor = false
		}
	}
	if e.anchor {
		e.next = e.tl.FirstRefFrom(e.anchorLo)
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
