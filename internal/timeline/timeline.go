// Package timeline merges successive MediaTailor tracking responses into one
// ordered list of ad avails that the engine reads on every frame.
//
// Live breaks arrive incomplete: an avail may first appear with a zero
// duration and no ads, then gain ads and tracking events over later polls.
// Merge therefore never replaces what is known; it adds to it, keyed by
// availId, adId and (eventId, eventType, beacon URL). Fired flags and the
// watched state live inside the timeline so a merge keeps them.
//
// Times are float64 seconds of session time, converted once at merge from the
// model's time.Duration values. Read access (Avails, Refs, Locate) does not
// allocate.
//
// A Timeline is not safe for concurrent use.
package timeline

import (
	"slices"
	"strings"
	"time"

	"github.com/availkit/availkit/internal/httpurl"
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

// KindOf classifies a VAST/MediaTailor eventType.
func KindOf(eventType string) Kind {
	switch eventType {
	case "pause", "resume", "mute", "unmute", "playerExpand", "playerCollapse",
		"fullscreen", "exitFullscreen", "rewind", "expand", "collapse":
		return Action
	case "skip", "clickTracking", "clickThrough", "error", "closeLinear", "close",
		"otherAdInteraction", "interactiveStart", "acceptInvitation",
		"acceptInvitationLinear", "customClick", "notUsed", "verificationNotExecuted",
		"adExpand", "adCollapse", "minimize", "overlayViewDuration":
		return Manual
	}
	return Timed
}

// Event is one beacon URL of one tracking event. A tracking event with three
// beaconUrls becomes three Events, because the dedupe key includes the URL.
type Event struct {
	ID   string // eventId
	Type string // eventType
	URL  string // raw, macros unexpanded
	At   float64
	Kind Kind
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
}

// Avail is one ad break.
type Avail struct {
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

	adIndex map[string]int // only for avails with many ads
	// declared is the duration as merged (own, else marker); Duration is
	// derived from it by finish (stretched over the ads, trimmed at the
	// next avail).
	declared float64
}

// NonLinear is one overlay avail (Response.NonLinearAvails). The engine
// announces it once when playback reaches it; rendering and its beacons are
// the overlay's job.
type NonLinear struct {
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
	pruned  map[string]struct{}
	nl      []NonLinear
	nlIndex map[string]int
	refs    []Ref     // Timed events sorted by At
	cum     []float64 // cum[i] = total Duration of avails[:i]
	// dirty says a merge changed something finish derives from (a time, a
	// new avail, ad or event). A repeat poll that changes nothing skips
	// finish: its passes over every event are what a steady live poll of a
	// large timeline would otherwise spend its time on (memory-bound).
	dirty bool
}

// New returns an empty timeline.
func New() *Timeline {
	return &Timeline{index: make(map[string]int), pruned: make(map[string]struct{})}
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

func secs(d time.Duration) float64 { return d.Seconds() }

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
	if len(t.avails) == 0 {
		t.avails = slices.Grow(t.avails, len(r.Avails))
		if len(t.index) == 0 {
			t.index = make(map[string]int, len(r.Avails))
		}
	}
	for i := range r.Avails {
		src := &r.Avails[i]
		pos, ok := t.index[src.AvailID]
		if !ok {
			if _, gone := t.pruned[src.AvailID]; gone {
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

func (t *Timeline) mergeNonLinear(src *tracking.Avail) {
	if t.nlIndex == nil {
		t.nlIndex = make(map[string]int)
	}
	pos, ok := t.nlIndex[src.AvailID]
	if !ok {
		if _, gone := t.pruned[src.AvailID]; gone {
			return
		}
		t.nl = append(t.nl, NonLinear{ID: src.AvailID})
		pos = len(t.nl) - 1
		t.nlIndex[src.AvailID] = pos
	}
	n := &t.nl[pos]
	n.Start = secs(src.StartTime)
	n.Source = src
	d := secs(src.Duration)
	for i := range src.NonLinearAdsList {
		for _, ad := range src.NonLinearAdsList[i].NonLinearAdList {
			d = max(d, secs(ad.Duration), secs(ad.MinSuggestedDuration))
		}
	}
	if d > 0 {
		n.Duration = d
	}
}

// NonLinear returns the overlay avails ordered by start; valid until the
// next Merge or Prune. Callers may set Shown.
func (t *Timeline) NonLinear() []NonLinear { return t.nl }

func (t *Timeline) mergeAvail(a *Avail, src *tracking.Avail, st *MergeStats) {
	if src.StartTime != 0 || a.Start == 0 {
		t.set(&a.Start, secs(src.StartTime))
	}
	// Duration: the avail's own when positive, else the marker's; a later
	// zero never replaces a known value.
	if d := secs(src.Duration); d > 0 {
		t.set(&a.declared, d)
	} else if d := secs(src.AdMarkerDuration); d > 0 && a.declared == 0 {
		t.set(&a.declared, d)
	}
	if a.Ads == nil {
		a.Ads = make([]Ad, 0, len(src.Ads))
	}
	for i := range src.Ads {
		sa := &src.Ads[i]
		k := a.findAd(sa.AdID)
		if k < 0 {
			a.Ads = append(a.Ads, Ad{ID: sa.AdID, Skip: -1})
			k = len(a.Ads) - 1
			t.dirty = true
			if a.adIndex != nil {
				a.adIndex[sa.AdID] = k
			} else if len(a.Ads) > adMapThreshold {
				a.adIndex = make(map[string]int, 2*len(a.Ads))
				for j := range a.Ads {
					a.adIndex[a.Ads[j].ID] = j
				}
			}
			st.NewAds++
		}
		t.mergeAd(&a.Ads[k], sa, st)
	}
	hint := 0
	for i := range src.AdBreakTrackingEvents {
		st.NewEvents += t.mergeEvents(&a.Break, &src.AdBreakTrackingEvents[i], -1, &hint)
	}
}

func (a *Avail) findAd(id string) int {
	if a.adIndex != nil {
		if k, ok := a.adIndex[id]; ok {
			return k
		}
		return -1
	}
	for k := range a.Ads {
		if a.Ads[k].ID == id {
			return k
		}
	}
	return -1
}

func (t *Timeline) mergeAd(ad *Ad, src *tracking.Ad, st *MergeStats) {
	// Decode returns a fresh Response per poll and never reuses it, so
	// pointing into it is safe; it keeps only the latest poll's ads alive.
	ad.Source = src
	if src.StartTime != 0 || ad.Start == 0 {
		t.set(&ad.Start, secs(src.StartTime))
	}
	if d := secs(src.Duration); d > 0 {
		t.set(&ad.Duration, d)
	}
	ad.End = ad.Start + ad.Duration
	if src.SkipOffset != "" {
		if off, ok := tracking.ParseSkipOffset(src.SkipOffset, src.Duration); ok {
			ad.Skip = secs(off)
		}
	}
	for i := range src.MediaFiles.MediaFilesList {
		mf := &src.MediaFiles.MediaFilesList[i]
		if strings.EqualFold(mf.APIFramework, "VPAID") {
			ad.VPAID = mf // lives as long as Source
			break
		}
	}
	if ad.Events == nil {
		n := 0
		for i := range src.TrackingEvents {
			n += len(src.TrackingEvents[i].BeaconURLs)
		}
		ad.Events = make([]Event, 0, n)
	}
	hint := 0
	for i := range src.TrackingEvents {
		ev := &src.TrackingEvents[i]
		if ev.EventType == "clickThrough" {
			// The landing page, not a beacon: it is never fired.
			if len(ev.BeaconURLs) > 0 && isHTTP(ev.BeaconURLs[0]) {
				ad.ClickThrough = ev.BeaconURLs[0]
			}
			continue
		}
		st.NewEvents += t.mergeEvents(&ad.Events, ev, ad.Start, &hint)
	}
}

// isHTTP reports whether u is an absolute http(s) URL with a plain host,
// the only kind of landing page the page may open.
func isHTTP(u string) bool {
	var rest string
	switch {
	case len(u) > 7 && strings.EqualFold(u[:7], "http://"):
		rest = u[7:]
	case len(u) > 8 && strings.EqualFold(u[:8], "https://"):
		rest = u[8:]
	default:
		return false
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return httpurl.ValidAuthority(rest)
}

// mergeEvents adds one event per beacon URL not seen yet and refreshes the
// time of the ones already there. defAt < 0 marks break events, whose
// breakStart/breakEnd are placed by finish when no startTime came.
//
// A repeat poll lists an ad's events in the order it did before, so the
// search starts at *hint, just after the previous match, and wraps: one
// comparison per event in the steady state instead of a scan whose string
// compares chase pointers all over a large timeline.
func (t *Timeline) mergeEvents(dst *[]Event, src *tracking.TrackingEvent, defAt float64, hint *int) int {
	n := 0
	at := secs(src.StartTime)
	if defAt >= 0 && src.StartTime == 0 {
		at = defAt
	}
	atEnd := defAt < 0 && (src.StartTime == 0 || src.EventType == "breakEnd")
	atStart := defAt < 0 && src.EventType == "breakStart"
	kind := KindOf(src.EventType)
	for _, u := range src.BeaconURLs {
		if u == "" {
			continue
		}
		found := false
		evs := *dst
		j := *hint
		for range evs {
			if j >= len(evs) {
				j = 0
			}
			e := &evs[j]
			j++
			// The short keys first: URLs of one ad share long prefixes.
			if e.ID == src.EventID && e.Type == src.EventType && e.URL == u {
				// Times placed by finish follow the break's start or end,
				// whose changes mark the timeline dirty themselves.
				if !atStart && !atEnd {
					t.set(&e.At, at)
				}
				if e.atEnd != atEnd {
					e.atEnd = atEnd
					t.dirty = true
				}
				found = true
				*hint = j
				break
			}
		}
		if !found {
			*dst = append(*dst, Event{ID: src.EventID, Type: src.EventType, URL: u, At: at, Kind: kind, atEnd: atEnd})
			n++
			t.dirty = true
			*hint = len(*dst)
		}
	}
	return n
}

// set stores v in *p and marks the timeline dirty when it changed.
func (t *Timeline) set(p *float64, v float64) {
	if *p != v {
		*p = v
		t.dirty = true
	}
}

// finish restores the invariants the engine relies on: avails sorted by
// start and not overlapping, ends and break event times derived, the id map,
// the time-ordered event index and the content-time prefix sums.
func (t *Timeline) finish() {
	sorted := true
	for i := 1; i < len(t.avails); i++ {
		if t.avails[i].Start < t.avails[i-1].Start {
			sorted = false
			break
		}
	}
	if !sorted {
		stableByKey(t.avails, func(a *Avail) float64 { return a.Start })
		for i := range t.avails {
			t.index[t.avails[i].ID] = i
		}
	}
	for i := range t.avails {
		a := &t.avails[i]
		adsSorted := true
		end := a.Start + a.declared
		for k := range a.Ads {
			ad := &a.Ads[k]
			if ad.End > end {
				end = ad.End
			}
			if k > 0 && ad.Start < a.Ads[k-1].Start {
				adsSorted = false
			}
			if !eventsSorted(ad.Events) {
				stableByKey(ad.Events, func(e *Event) float64 { return e.At })
			}
		}
		if !adsSorted {
			stableByKey(a.Ads, func(x *Ad) float64 { return x.Start })
			if a.adIndex != nil {
				for k := range a.Ads {
					a.adIndex[a.Ads[k].ID] = k
				}
			}
		}
		if end <= a.Start && a.Duration > 0 {
			// Known to be a break before (its ads moved or a poll lost its
			// duration): it never shrinks back to nothing.
			end = a.Start + a.Duration
		}
		// Overlapping avails are trimmed so positions stay unambiguous: the
		// later avail owns the overlap.
		if i+1 < len(t.avails) && end > t.avails[i+1].Start {
			end = t.avails[i+1].Start
		}
		a.End = end
		a.Duration = end - a.Start
	}
	if !nonLinearSorted(t.nl) {
		stableByKey(t.nl, func(x *NonLinear) float64 { return x.Start })
		for i := range t.nl {
			t.nlIndex[t.nl[i].ID] = i
		}
	}
	n := 0
	for i := range t.avails {
		a := &t.avails[i]
		n += len(a.Break)
		for k := range a.Ads {
			n += len(a.Ads[k].Events)
		}
	}
	t.refs = slices.Grow(t.refs[:0], n)
	t.cum = slices.Grow(t.cum[:0], len(t.avails)+1)
	total := 0.0
	for i := range t.avails {
		a := &t.avails[i]
		t.cum = append(t.cum, total)
		total += a.Duration
		for j := range a.Break {
			e := &a.Break[j]
			if e.Kind == Timed && e.Type == "breakStart" {
				e.At = a.Start
				t.refs = append(t.refs, Ref{At: e.At, Avail: int32(i), Ad: -1, Event: int32(j)})
			}
		}
		for k := range a.Ads {
			for j := range a.Ads[k].Events {
				e := &a.Ads[k].Events[j]
				if e.Kind == Timed {
					t.refs = append(t.refs, Ref{At: e.At, Avail: int32(i), Ad: int32(k), Event: int32(j)})
				}
			}
		}
		for j := range a.Break {
			e := &a.Break[j]
			if e.Kind == Timed && e.Type != "breakStart" {
				if e.atEnd {
					e.At = a.End
				}
				t.refs = append(t.refs, Ref{At: e.At, Avail: int32(i), Ad: -1, Event: int32(j)})
			}
		}
	}
	t.cum = append(t.cum, total)
	if !refsSorted(t.refs) {
		stableByKey(t.refs, func(r *Ref) float64 { return r.At })
	}
}

func nonLinearSorted(nl []NonLinear) bool {
	for i := 1; i < len(nl); i++ {
		if nl[i].Start < nl[i-1].Start {
			return false
		}
	}
	return true
}

func eventsSorted(ev []Event) bool {
	for i := 1; i < len(ev); i++ {
		if ev[i].At < ev[i-1].At {
			return false
		}
	}
	return true
}

func refsSorted(r []Ref) bool {
	for i := 1; i < len(r); i++ {
		if r[i].At < r[i-1].At {
			return false
		}
	}
	return true
}

// Prune drops the avails that end at or before seekableStart (live window
// moved past them) and returns how many. It keeps an avail still partly in
// the window. A dropped avail is never merged again.
func (t *Timeline) Prune(seekableStart float64) int {
	n := 0
	for n < len(t.avails) && t.avails[n].End <= seekableStart {
		n++
	}
	k := 0
	for k < len(t.nl) && t.nl[k].End() <= seekableStart {
		delete(t.nlIndex, t.nl[k].ID)
		t.pruned[t.nl[k].ID] = struct{}{}
		k++
	}
	if k > 0 {
		t.nl = append(t.nl[:0], t.nl[k:]...)
		for i := range t.nl {
			t.nlIndex[t.nl[i].ID] = i
		}
	}
	if n == 0 {
		return 0
	}
	for i := 0; i < n; i++ {
		delete(t.index, t.avails[i].ID)
		t.pruned[t.avails[i].ID] = struct{}{}
	}
	t.avails = append(t.avails[:0], t.avails[n:]...)
	for i := range t.avails {
		t.index[t.avails[i].ID] = i
	}
	t.finish()
	return n
}

// Locate returns the index of the first avail that ends after t (the avail
// containing t, or the next one), or len(Avails()) when there is none. It
// allocates nothing and is O(log n).
func (t *Timeline) Locate(at float64) int {
	lo, hi := 0, len(t.avails)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.avails[m].End <= at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// FirstRefAfter returns the index of the first Ref with At > at.
func (t *Timeline) FirstRefAfter(at float64) int {
	lo, hi := 0, len(t.refs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.refs[m].At <= at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// FirstRefFrom returns the index of the first Ref with At >= at.
func (t *Timeline) FirstRefFrom(at float64) int {
	lo, hi := 0, len(t.refs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.refs[m].At < at {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// Find returns the position of the avail with the given id, or -1.
func (t *Timeline) Find(availID string) int {
	if i, ok := t.index[availID]; ok {
		return i
	}
	return -1
}

// ContentTime converts session (stream) time to ad-free content time by
// subtracting every avail before it; inside an avail it returns the content
// time at the avail's start. For VOD this removes every inserted ad. For live
// the timeline only knows the avails still in the window, so content time is
// stream time minus the ad time seen so far in the window: it shifts when
// Prune drops an avail and is only good for displays, not for bookmarks.
// Zero-duration avails take no time.
func (t *Timeline) ContentTime(stream float64) float64 {
	i := t.Locate(stream)
	if i < len(t.avails) && t.avails[i].Start <= stream {
		return t.avails[i].Start - t.cum[i]
	}
	return stream - t.cum[i]
}

// StreamTime converts content time back to session time. A content time that
// falls exactly at a break maps to the break's start, so a bookmark taken
// before a break plays that break.
func (t *Timeline) StreamTime(content float64) float64 {
	// contentStart(i) = Start_i - cum[i] is nondecreasing; find the last avail
	// whose content start is before content.
	lo, hi := 0, len(t.avails)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if t.avails[m].Start-t.cum[m] < content {
			lo = m + 1
		} else {
			hi = m
		}
	}
	// avails[:lo] start strictly before content: all their time is added.
	return content + t.cum[lo]
}

// AdDuration returns the total duration of all avails (the ad time inside
// the session so far), so content duration = stream duration - AdDuration().
func (t *Timeline) AdDuration() float64 {
	if len(t.cum) == 0 {
		return 0
	}
	return t.cum[len(t.cum)-1]
}

// Marker is one avail on the seek bar.
type Marker struct {
	AvailID  string
	Start    float64
	Duration float64
	Watched  bool
}

// Markers appends one Marker per avail with a positive duration to dst.
// Unfilled avails (no ads, no duration) are left out: nothing plays there.
func (t *Timeline) Markers(dst []Marker) []Marker {
	for i := range t.avails {
		a := &t.avails[i]
		if a.Duration <= 0 {
			continue
		}
		dst = append(dst, Marker{AvailID: a.ID, Start: a.Start, Duration: a.Duration, Watched: a.Watched})
	}
	return dst
}
