package timeline

import (
	"github.com/availkit/availkit/internal/httpurl"
	"github.com/availkit/availkit/internal/tracking"
)

// gone reports whether a new avail of a response was dropped by Prune
// before, or lies wholly behind the window Prune moved to: either way it
// must not come back with its beacons unfired.
func (t *Timeline) gone(src *tracking.Avail) bool {
	if _, ok := t.pruned[src.AvailID]; ok {
		return true
	}
	if t.behind <= 0 {
		return false
	}
	end := secs(src.StartTime) + max(secs(src.Duration), secs(src.AdMarkerDuration))
	for i := range src.Ads {
		end = max(end, secs(src.Ads[i].StartTime+src.Ads[i].Duration))
	}
	return end <= t.behind
}

func (t *Timeline) mergeNonLinear(src *tracking.Avail) {
	if t.nlIndex == nil {
		t.nlIndex = make(map[string]int)
	}
	pos, ok := t.nlIndex[src.AvailID]
	if !ok {
		if t.gone(src) {
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
		a.Ads = t.adSlab.take(len(src.Ads), maxSlabAds)
	}
	for i := range src.Ads {
		sa := &src.Ads[i]
		k := a.findAd(sa.AdID, src.AdsFrom+i)
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
		t.mergeAd(&a.Ads[k], sa, &a.timed, st)
	}
	if a.Break == nil && len(src.AdBreakTrackingEvents) > 0 {
		a.Break = t.evSlab.take(urlCount(src.AdBreakTrackingEvents), maxSlabEvents)
	}
	hint := 0
	ord := ordinals{pairs: &t.pairs}
	dst := events{list: &a.Break, index: &a.breakIndex, timed: &a.timed, fresh: len(a.Break) == 0}
	for i := range src.AdBreakTrackingEvents {
		o := ord.next(src.AdBreakTrackingEvents, i)
		st.NewEvents += t.mergeEvents(dst, &src.AdBreakTrackingEvents[i], o, -1, &hint)
	}
}

// findAd returns the position of the ad with the given id, or -1. The
// position the poll lists it at is tried first: a repeat poll lists the
// ads in the order they were merged, and each id compared is a cache miss
// on a large timeline.
func (a *Avail) findAd(id string, hint int) int {
	if hint < len(a.Ads) && a.Ads[hint].ID == id {
		return hint
	}
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

func (t *Timeline) mergeAd(ad *Ad, src *tracking.Ad, timed *int32, st *MergeStats) {
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
		if isVPAID(mf.APIFramework) {
			ad.VPAID = mf // lives as long as Source
			break
		}
	}
	if ad.Events == nil {
		ad.Events = t.evSlab.take(urlCount(src.TrackingEvents), maxSlabEvents)
	}
	hint := 0
	ord := ordinals{pairs: &t.pairs}
	dst := events{list: &ad.Events, index: &ad.evIndex, timed: timed, fresh: len(ad.Events) == 0}
	for i := range src.TrackingEvents {
		ev := &src.TrackingEvents[i]
		if ev.EventType == "clickThrough" {
			// The landing page, not a beacon: it is never fired.
			if len(ev.BeaconURLs) > 0 && httpurl.IsAbsolute(ev.BeaconURLs[0]) {
				ad.ClickThrough = ev.BeaconURLs[0]
			}
			continue
		}
		st.NewEvents += t.mergeEvents(dst, ev, ord.next(src.TrackingEvents, i), ad.Start, &hint)
	}
}

// urlCount is the number of beacon URLs of a list, the Events it makes at
// most (empty URLs make none).
func urlCount(src []tracking.TrackingEvent) int {
	n := 0
	for i := range src {
		n += len(src[i].BeaconURLs)
	}
	return n
}

// evKey is the identity of an Event within its ad (or break): eventId,
// eventType and the URL's position among the URLs listed for that pair.
// The URL text is not part of it: a later poll may re-sign or re-bust the
// URL of an event already fired.
type evKey struct {
	id, typ string
	index   int32
}

// evMapThreshold is the number of events above which an ad (or break) keeps
// a map from identity to position for the polls whose order changed; below
// it a scan is cheaper than hashing.
const evMapThreshold = 16

// events is one ad's (or break's) event list and its identity map.
type events struct {
	list  *[]Event
	index *map[evKey]int32
	// timed is the avail's count of Timed events (Avail.timed).
	timed *int32
	// fresh: the list was empty when this merge began, so every event of
	// the poll is new (a poll lists no identity twice: see ordinals) and
	// none is looked up. A large ad's first poll would otherwise build the
	// identity map while filling the list, growing it step by step.
	fresh bool
}

// find returns the position of the event with identity k, -1 when none.
// Callers try the position after the previous match first (mergeEvents):
// a repeat poll lists events in the order it did before.
func (es events) find(k evKey) int {
	evs := *es.list
	if len(evs) <= evMapThreshold {
		for j := range evs {
			if e := &evs[j]; e.Index == k.index && e.Type == k.typ && e.ID == k.id {
				return j
			}
		}
		return -1
	}
	if *es.index == nil {
		m := make(map[evKey]int32, 2*len(evs))
		for j := range evs {
			e := &evs[j]
			m[evKey{e.ID, e.Type, e.Index}] = int32(j)
		}
		*es.index = m
	}
	if j, ok := (*es.index)[k]; ok {
		return int(j)
	}
	return -1
}

func (es events) add(e Event) {
	*es.list = append(*es.list, e)
	if e.Kind == Timed {
		*es.timed++
	}
	if *es.index != nil {
		(*es.index)[evKey{e.ID, e.Type, e.Index}] = int32(len(*es.list) - 1)
	}
}

// ordinals hands out the ordinal of each event of one list in turn. An
// event whose (eventId, eventType) shares no bit of a 64-bit signature with
// the events before it is the first of its pair, so a repeat poll of a
// large timeline pays one signature per event, not a pass over its ad. On
// a collision a short list is scanned (ordinal); a longer one switches to
// counting URLs per pair (pairs), since real eventIds all have one length
// and nearly every event of a large ad collides: scanning each would be
// quadratic (20 ads of 1,000 events: 10 million comparisons, seconds of
// main thread under wasm).
type ordinals struct {
	seen uint64
	// pairs holds, once counting, the URLs of src[:upto] per pair.
	pairs    *pairCounts
	counting bool
	upto     int
}

// scanLimit is the list position up to which a collision is resolved by
// scanning the events before it.
const scanLimit = 16

func (o *ordinals) next(src []tracking.TrackingEvent, i int) int32 {
	e := &src[i]
	if !o.counting {
		// The signature reads the event type's bytes (a handful of
		// interned strings, hot in cache) and only the length of the
		// eventId (unique per event, its bytes would be a cache miss each
		// on a large timeline).
		h := uint(len(e.EventType))*31 + uint(len(e.EventID))*7
		if n := len(e.EventType); n > 0 {
			h = h*131 + uint(e.EventType[0])*17 + uint(e.EventType[n-1])
		}
		bit := uint64(1) << (h & 63)
		dup := o.seen&bit != 0
		o.seen |= bit
		if !dup {
			return 0
		}
		if i < scanLimit {
			return ordinal(src, i)
		}
		o.counting = true
		if o.pairs == nil {
			o.pairs = new(pairCounts)
		}
		o.pairs.reset(len(src))
	}
	for ; o.upto < i; o.upto++ {
		o.pairs.add(src, o.upto)
	}
	o.upto++
	return o.pairs.add(src, i)
}

// pairCounts counts the URLs listed so far per (eventId, eventType) of one
// list. It is an open-addressing table of list positions that the Timeline
// keeps and reuses: a Go map would grow step by step on each large ad and
// hash through the runtime, which wasm has no fast hash for.
type pairCounts struct {
	first []int32 // 1 + the position of the pair's first event; 0: free
	urls  []int32 // URLs counted for the pair in the same slot
}

// reset empties the table for a list of n events.
func (p *pairCounts) reset(n int) {
	size := 32
	for size < 2*n {
		size *= 2
	}
	if cap(p.first) < size {
		p.first, p.urls = make([]int32, size), make([]int32, size)
		return
	}
	p.first, p.urls = p.first[:size], p.urls[:size]
	clear(p.first)
}

// add counts the URLs of src[i] under its pair and returns the count
// before them.
func (p *pairCounts) add(src []tracking.TrackingEvent, i int) int32 {
	e := &src[i]
	h := uint32(2166136261) // FNV-1a
	for j := 0; j < len(e.EventID); j++ {
		h = (h ^ uint32(e.EventID[j])) * 16777619
	}
	h = (h ^ 0xff) * 16777619 // no pair's id and type run into another's
	for j := 0; j < len(e.EventType); j++ {
		h = (h ^ uint32(e.EventType[j])) * 16777619
	}
	mask := uint32(len(p.first) - 1)
	for k := h & mask; ; k = (k + 1) & mask {
		f := p.first[k]
		if f == 0 {
			p.first[k], p.urls[k] = int32(i)+1, nonEmpty(e.BeaconURLs)
			return 0
		}
		if q := &src[f-1]; q.EventID == e.EventID && q.EventType == e.EventType {
			n := p.urls[k]
			p.urls[k] += nonEmpty(e.BeaconURLs)
			return n
		}
	}
}

func nonEmpty(urls []string) int32 {
	n := int32(0)
	for _, u := range urls {
		if u != "" {
			n++
		}
	}
	return n
}

// ordinal returns the number of URLs listed before src[i] for the same
// eventId and eventType (an ad may list one event type twice without an
// eventId), the position its first URL takes in the identity.
func ordinal(src []tracking.TrackingEvent, i int) int32 {
	n := int32(0)
	ev := &src[i]
	for j := 0; j < i; j++ {
		if p := &src[j]; p.EventType == ev.EventType && p.EventID == ev.EventID {
			n += nonEmpty(p.BeaconURLs)
		}
	}
	return n
}

// mergeEvents adds one event per beacon URL not known yet and refreshes the
// time and URL of the ones already there: an event not fired yet goes to the
// newest URL, and one fired keeps its Fired flag whatever its URL became.
// defAt < 0 marks break events, whose breakStart/breakEnd are placed by
// finish when no startTime came.
func (t *Timeline) mergeEvents(dst events, src *tracking.TrackingEvent, ord int32, defAt float64, hint *int) int {
	n := 0
	at := secs(src.StartTime)
	if defAt >= 0 && src.StartTime == 0 {
		at = defAt
	}
	atEnd := defAt < 0 && (src.StartTime == 0 || src.EventType == "breakEnd")
	atStart := defAt < 0 && src.EventType == "breakStart"
	k := evKey{id: src.EventID, typ: src.EventType, index: ord}
	for _, u := range src.BeaconURLs {
		if u == "" {
			continue
		}
		j := -1
		if !dst.fresh {
			j = *hint
			if evs := *dst.list; j >= len(evs) || evs[j].Index != k.index || evs[j].Type != k.typ || evs[j].ID != k.id {
				j = dst.find(k)
			}
		}
		if j < 0 {
			// The kind is looked up only for a new event: a repeat poll
			// of a large timeline must not hash every event type.
			dst.add(Event{ID: src.EventID, Type: src.EventType, Index: k.index, URL: u, At: at, Kind: KindOf(src.EventType), atEnd: atEnd})
			n++
			t.dirty = true
			*hint = len(*dst.list)
		} else {
			e := &(*dst.list)[j]
			if e.URL != u {
				e.URL = u
			}
			// Times placed by finish follow the break's start or end,
			// whose changes mark the timeline dirty themselves.
			if !atStart && !atEnd {
				t.set(&e.At, at)
			}
			if e.atEnd != atEnd {
				e.atEnd = atEnd
				t.dirty = true
			}
			*hint = j + 1
		}
		k.index++
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

// isVPAID reports whether a media file's apiFramework is "VPAID" in any
// ASCII case. strings.EqualFold would link Unicode case tables into the
// plugin's wasm for a value that is ASCII by the VAST schema.
func isVPAID(framework string) bool {
	if len(framework) != len("VPAID") {
		return false
	}
	for i := 0; i < len(framework); i++ {
		if framework[i]&^0x20 != "VPAID"[i] { // &^0x20 upper-cases an ASCII letter
			return false
		}
	}
	return true
}
