package timeline

import "slices"

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
	if !nonLinearSorted(t.nl) {
		stableByKey(t.nl, func(x *NonLinear) float64 { return x.Start })
		for i := range t.nl {
			t.nlIndex[t.nl[i].ID] = i
		}
	}
	// refs is allocated at its final size from the counts merge keeps, and
	// filled in the same pass that places each avail: a pass of its own
	// would read every event of the timeline again (a large timeline does
	// not fit in cache; one avail's events do).
	timed := 0
	for i := range t.avails {
		timed += int(t.avails[i].timed)
	}
	t.refs = slices.Grow(t.refs[:0], timed)
	t.cum = slices.Grow(t.cum[:0], len(t.avails)+1)
	total := 0.0
	sorted = true
	for i := range t.avails {
		a := &t.avails[i]
		t.place(i)
		t.cum = append(t.cum, total)
		total += a.Duration
		from := len(t.refs)
		t.appendRefs(i)
		// Adjacent refs compared as refsSorted did, the first against the
		// previous avail's last.
		for j := max(from, 1); sorted && j < len(t.refs); j++ {
			sorted = !(t.refs[j].At < t.refs[j-1].At) // NaN: in order
		}
	}
	t.cum = append(t.cum, total)
	if !sorted {
		stableByKey(t.refs, func(r *Ref) float64 { return r.At })
	}
}

// place orders avail i's ads and their events by time and derives its end
// and duration; the avails are sorted by start already.
func (t *Timeline) place(i int) {
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
			ad.evIndex = nil // positions moved; rebuilt on the next miss
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

// appendRefs places avail i's breakStart and breakEnd at its start and end
// and appends a Ref per Timed event: breakStart, the ads in order, then the
// other break events.
func (t *Timeline) appendRefs(i int) {
	a := &t.avails[i]
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

// PruneMemory is how long (s of stream time) a pruned avail's id is kept
// after it ends behind the window: a late response may still list it. Older
// ids are dropped; such an avail lies wholly behind the window and stays out
// by its times.
const PruneMemory = 1800

// Prune drops the avails that end at or before seekableStart (live window
// moved past them) and returns how many. It keeps an avail still partly in
// the window. A dropped avail is never merged again. The memory of a
// session therefore follows its window, not its age.
func (t *Timeline) Prune(seekableStart float64) int {
	n, _ := t.PruneIDs(seekableStart, nil)
	return n
}

// PruneIDs is Prune that also appends to dst the ids of the avails it
// dropped, linear and overlay, so the caller can forget their beacon
// dedupe state (beacon.Dispatcher.Forget). n counts the linear avails only,
// as Prune does.
func (t *Timeline) PruneIDs(seekableStart float64, dst []string) (n int, ids []string) {
	if seekableStart > t.behind {
		t.behind = seekableStart
	}
	for id, end := range t.pruned {
		if end < t.behind-PruneMemory {
			delete(t.pruned, id)
		}
	}
	for n < len(t.avails) && t.avails[n].End <= seekableStart {
		n++
	}
	k := 0
	for k < len(t.nl) && t.nl[k].End() <= seekableStart {
		delete(t.nlIndex, t.nl[k].ID)
		t.pruned[t.nl[k].ID] = t.nl[k].End()
		dst = append(dst, t.nl[k].ID)
		k++
	}
	if k > 0 {
		old := len(t.nl)
		t.nl = append(t.nl[:0], t.nl[k:]...)
		clear(t.nl[len(t.nl):old]) // drop the tail's pointers into old responses
		for i := range t.nl {
			t.nlIndex[t.nl[i].ID] = i
		}
	}
	if n == 0 {
		return 0, dst
	}
	for i := 0; i < n; i++ {
		dst = append(dst, t.avails[i].ID)
		delete(t.index, t.avails[i].ID)
		t.pruned[t.avails[i].ID] = t.avails[i].End
	}
	old := len(t.avails)
	t.avails = append(t.avails[:0], t.avails[n:]...)
	clear(t.avails[len(t.avails):old])
	for i := range t.avails {
		t.index[t.avails[i].ID] = i
	}
	t.finish()
	return n, dst
}
