package engine

import (
	"github.com/availkit/availkit/internal/beacon"
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
	_    [0]func() // not comparable: the core then carries no generated == for it
	Kind ActionKind
	// Name is the event name for ActionEvent ("adstart", ...), the eventType
	// for ActionBeacon and the reason for ActionSeek ("snap", "resume",
	// "skip", "jump", "vpaid").
	Name string

	AvailID string
	AdID    string
	// Beacon: the tracking event and its raw URL (macros unexpanded, the
	// newest poll's); URLIndex is the URL's position among the event's
	// URLs, part of its dedupe identity (see BeaconKey).
	EventID   string
	EventType string
	URL       string
	URLIndex  int
	// PlayerOnly marks a beacon MediaTailor never fires, even in server
	// reporting mode (a VPAID ad's): see beacon.Key.PlayerOnly.
	PlayerOnly bool
	// Scheduled is the event's time in session seconds (-1 for actions).
	Scheduled float64
	// Playhead is the session playhead at dispatch; AdPlayhead the time
	// since the ad's start (0 outside an ad).
	Playhead   float64
	AdPlayhead float64
	Position   BreakPosition

	// Event detail: ad index (1-based) and count in the break, ad or break
	// duration, skip offset from the ad start (-1: not skippable). A beacon
	// carries them too, with the break's duration, for the macros
	// ([PODSEQUENCE], [BREAKMAXDURATION], [INVENTORYSTATE]), and so Ad,
	// VPAID and ClickThrough ([ASSETURI], [CLICKTYPE]).
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

// BeaconKey returns the dedupe key of a Beacon action for
// beacon.Dispatcher.Fire: its identity is the avail, ad, event id, type and
// URL position, so an event already fired is not fired again when a later
// poll changed its URL.
func (a *Action) BeaconKey() beacon.Key {
	return beacon.Key{AvailID: a.AvailID, AdID: a.AdID, EventID: a.EventID, EventType: a.EventType, URL: a.URL, Index: a.URLIndex, PlayerOnly: a.PlayerOnly}
}
