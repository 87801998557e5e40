// Package timeline merges successive MediaTailor tracking responses into one
// ordered list of ad avails that the engine reads on every frame.
//
// Live breaks arrive incomplete: an avail may first appear with a zero
// duration and no ads, then gain ads and tracking events over later polls.
// Merge therefore never replaces what is known; it adds to it, keyed by
// availId, adId and (eventId, eventType, position of the URL), never by the
// URL text: a poll that re-signs a URL updates the event, which keeps its
// Fired flag. Fired flags and the watched state live inside the timeline so
// a merge keeps them. How each event type is triggered comes from the
// core's counting table, beacon.RuleOf.
//
// Times are float64 seconds of session time, converted once at merge from the
// model's clock.Duration values. Read access (Avails, Refs, Locate) does not
// allocate.
//
// A Timeline is not safe for concurrent use.
package timeline

import (
	"slices"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/tracking"
)

// Kind says how the engine triggers a tracking event.
type Kind uint8

const (
	// Timed events fire once when continuous playback crosses their time
	// (impression, start, quartiles, complete, progress, creativeView,
	// breakStart, breakEnd and any event type this package does not know).
	Timed Kind = iota
	// Action events fire on every real change of player state during an ad
	// (pause, resume, mute, unmute, playerExpand, playerCollapse and the
	// VAST 3 fullscreen/exitFullscreen/expand/collapse).
	Action
	// Manual events fire only on an explicit call (skip, clickTracking,
	// error, closeLinear, otherAdInteraction, ...).
	Manual
)

// KindOf classifies a VAST/MediaTailor eventType by the core's counting
// table (beacon.RuleOf): time events are scheduled, player events follow
// the player's state changes, the rest wait for an explicit call.
func KindOf(eventType string) Kind {
	switch beacon.RuleOf(eventType).Trigger {
	case beacon.TriggerPlayer:
		return Action
	case beacon.TriggerCall:
		return Manual
	}
	return Timed
}

// Event is one beacon URL of one tracking event. A tracking event with three
// beaconUrls becomes three Events, told apart by Index. Its identity within
// its ad is {ID, Type, Index}, never the URL: a later poll that lists the
// event with a changed URL updates URL and keeps Fired.
type Event struct {
	_    [0]func() // not comparable: the core then carries no generated == for it
	ID   string    // eventId
	Type string    // eventType
	URL  string    // raw, macros unexpanded, the newest poll's
	At   float64
	// Index is the URL's position among the URLs listed for this eventId
	// and eventType in the ad (or break), the beacon.Key Index.
	Index int32
	Kind  Kind
	// Fired is set by the engine for Timed events; Merge keeps it.
	Fired bool
	// atEnd: a break event placed at the break's end by finish (breakEnd,
	// or one that came without a startTime), so it follows the end.
	atEnd bool
}

// Ad is one linear ad of an avail.
type Ad struct {
	ID       string
	Start    float64
	Duration float64
	End      float64
	// Skip is the time after Start at which the ad may be skipped, or -1 when
	// it is not skippable.
	Skip float64
	// ClickThrough is the landing page (beaconUrls[0] of the clickThrough
	// event), "" when none or when it is not an http(s) URL: the page opens
	// it, so a javascript: or data: URL must never get that far.
	ClickThrough string
	// VPAID is the ad's VPAID media file, nil when it has none.
	VPAID  *tracking.MediaFile
	Events []Event
	// Source is the most recent model of the ad (companions, verifications,
	// adParameters) for the host; the engine does not read it per frame.
	Source *tracking.Ad
	// Skipped is engine state: the viewer skipped the ad, so its remaining
	// timed events never fire.
	Skipped bool
	// Errored is engine state: the ad's error beacons went out (once per ad).
	Errored bool

	evIndex map[evKey]int32 // only for ads with many events
}

// Avail is one ad break.
type Avail struct {
	_  [0]func() // not comparable: the core then carries no generated == for it
	ID string
	// Start and Duration are as known so far: Duration is the avail's
	// duration, or adMarkerDuration while that is still 0, and never shrinks
	// to 0 once known. It also covers every ad, so an avail whose ads run past
	// its announced duration is as long as its ads.
	Start    float64
	Duration float64
	End      float64
	Ads      []Ad
	// Break holds the adBreakTrackingEvents (breakStart, breakEnd, error).
	// breakStart and breakEnd are placed at Start and End whatever startTime
	// they came with: a live break's breakEnd is often sent while the
	// avail's duration is still 0, which would put it at the break's start.
	Break []Event
	// Watched is set by the engine when the break has been played to its end;
	// it survives merges.
	Watched bool
	// Announced is engine state: adbreakupcoming was emitted.
	Announced bool
	// Errored is engine state: the break's error beacons went out; their
	// dedupe key has no ad, so they go out once per break.
	Errored bool
	// timed counts the Timed events of Break and Ads (their Refs), kept by
	// merge as it adds events so finish sizes refs without reading them.
	timed int32

	adIndex    map[string]int  // only for avails with many ads
	breakIndex map[evKey]int32 // only for breaks with many events
	// declared is the duration as merged (own, else marker); Duration is
	// derived from it by finish (stretched over the ads, trimmed at the
	// next avail).
	declared float64
}

// NonLinear is one overlay avail (Response.NonLinearAvails). The engine
// announces it once when playback reaches it; rendering and its beacons are
// the overlay's job.
type NonLinear struct {
	_     [0]func() // not comparable: the core then carries no generated == for it
	ID    string
	Start float64
	// Duration is the avail's duration, else the longest nonLinearAd
	// duration or minSuggestedDuration, else 0 (unknown: the overlay
	// decides).
	Duration float64
	Source   *tracking.Avail
	Shown    bool
}

// End is the end of the overlay's slot; an unknown duration counts as a
// short window so a playhead passing by still reaches it.
func (n *NonLinear) End() float64 { return n.Start + max(n.Duration, 1) }

// Ref points at one Event: Avails()[Avail].Ads[Ad].Events[Event], or
// Avails()[Avail].Break[Event] when Ad is -1.
type Ref struct {
	At    float64
	Avail int32
	Ad    int32
	Event int32
}

// MergeStats reports what a Merge changed.
type MergeStats struct {
	NewAvails, NewAds, NewEvents int
	// Ignored counts avails dropped by an earlier Prune and sent again.
	Ignored int
	// Avails is the number of avails after the merge.
	Avails int
}

// Timeline is the merged list of avails.
type Timeline struct {
	avails []Avail
	index  map[string]int // availId → position in avails
	// pruned remembers the ids Prune dropped so that a late response still
	// listing them cannot bring them back with their beacons unfired.
	// Ids are kept for PruneMemory seconds of stream time behind the
	// window; past that, behind (the highest Prune) keeps an avail out when
	// it ends before the window anyway, so the set stays bounded on a
	// 24-hour live session.
	pruned  map[string]float64
	behind  float64
	nl      []NonLinear
	nlIndex map[string]int
	refs    []Ref     // Timed events sorted by At
	cum     []float64 // cum[i] = total Duration of avails[:i]
	// dirty says a merge changed something finish derives from (a time, a
	// new avail, ad or event). A repeat poll that changes nothing skips
	// finish: its passes over every event are what a steady live poll of a
	// large timeline would otherwise spend its time on (memory-bound).
	dirty bool

	// pairs is Merge's scratch for the URL counts of a large event list
	// (ordinals).
	pairs pairCounts
	// evSlab and adSlab hold the initial lists of new ads and avails.
	evSlab slab[Event]
	adSlab slab[Ad]
}

// New returns an empty timeline.
func New() *Timeline {
	return &Timeline{index: make(map[string]int), pruned: make(map[string]float64)}
}

// Avails returns the avails ordered by Start. The slice and its elements
// stay valid until the next Merge or Prune; callers may set Fired, Watched,
// Announced and Skipped but must not change times or ids.
func (t *Timeline) Avails() []Avail { return t.avails }

// Refs returns every Timed event ordered by time; ties keep avail order, and
// within an avail breakStart, then the ads in order, then breakEnd. Valid
// until the next Merge or Prune.
func (t *Timeline) Refs() []Ref { return t.refs }

// Event returns the event r points at.
func (t *Timeline) Event(r Ref) *Event {
	a := &t.avails[r.Avail]
	if r.Ad < 0 {
		return &a.Break[r.Event]
	}
	return &a.Ads[r.Ad].Events[r.Event]
}

func secs(d clock.Duration) float64 { return d.Seconds() }

// adMapThreshold is the pod size above which an avail keeps a map from adId
// to index; below it a linear scan is cheaper than hashing and keeps merge
// free of per-avail allocations.
const adMapThreshold = 16

// Merge adds the avails of r to the timeline (linear ones and, separately,
// NonLinearAvails). It is linear in the size of the timeline plus the
// response when avails arrive in start order (the usual case); otherwise one
// sort is added.
func (t *Timeline) Merge(r *tracking.Response) MergeStats {
	var st MergeStats
	if r == nil {
		st.Avails = len(t.avails)
		return st
	}
	t.evSlab.reset()
	t.adSlab.reset()
	if len(t.avails) == 0 {
		t.avails = slices.Grow(t.avails, len(r.Avails))
		if len(t.index) == 0 {
			t.index = make(map[string]int, len(r.Avails))
		}
	}
	// next is where the avail after the last one merged sits: a repeat
	// poll lists the avails in the timeline's order, so comparing one id
	// there replaces hashing it into the index (on a large timeline a
	// cache miss on the map for every avail of every poll).
	next := 0
	for i := range r.Avails {
		src := &r.Avails[i]
		pos, ok := next, next < len(t.avails) && t.avails[next].ID == src.AvailID
		if !ok {
			pos, ok = t.index[src.AvailID]
		}
		if !ok {
			if t.gone(src) {
				st.Ignored++
				continue
			}
			t.avails = append(t.avails, Avail{ID: src.AvailID, Start: secs(src.StartTime)})
			pos = len(t.avails) - 1
			t.index[src.AvailID] = pos
			st.NewAvails++
			t.dirty = true
		}
		t.mergeAvail(&t.avails[pos], src, &st)
		next = pos + 1
	}
	for i := range r.NonLinearAvails {
		t.mergeNonLinear(&r.NonLinearAvails[i])
		t.dirty = true
	}
	if t.dirty {
		t.finish()
		t.dirty = false
	}
	st.Avails = len(t.avails)
	return st
}

// NonLinear returns the overlay avails ordered by start; valid until the
// next Merge or Prune. Callers may set Shown.
func (t *Timeline) NonLinear() []NonLinear { return t.nl }

// Find returns the position of the avail with the given id, or -1.
func (t *Timeline) Find(availID string) int {
	if i, ok := t.index[availID]; ok {
		return i
	}
	return -1
}
