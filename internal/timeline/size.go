package timeline

import "unsafe"

// mapEntry is a rough per-entry cost of a Go map beyond its key and value
// (tophash, overflow and load-factor slack).
const mapEntry = 16

// Bytes estimates the memory the timeline holds itself: avails, ads, events
// and their strings, the derived indexes and the pruned-id memory, counted
// by capacity. It leaves out the tracking models the ads point at (Source,
// VPAID), which belong to the newest poll's response. A live session calls
// Prune on every poll; this figure then follows the window, not the age of
// the session.
func (t *Timeline) Bytes() int {
	n := int(unsafe.Sizeof(*t))
	n += cap(t.avails) * int(unsafe.Sizeof(Avail{}))
	n += cap(t.refs) * int(unsafe.Sizeof(Ref{}))
	n += cap(t.cum) * 8
	n += cap(t.nl) * int(unsafe.Sizeof(NonLinear{}))
	n += cap(t.evSlab.spare)*int(unsafe.Sizeof(Event{})) + cap(t.adSlab.spare)*int(unsafe.Sizeof(Ad{}))
	str := int(unsafe.Sizeof(""))
	for id := range t.index {
		n += len(id) + str + 8 + mapEntry
	}
	for id := range t.pruned {
		n += len(id) + str + 8 + mapEntry
	}
	for id := range t.nlIndex {
		n += len(id) + str + 8 + mapEntry
	}
	for i := range t.avails {
		a := &t.avails[i]
		n += len(a.ID)
		n += eventBytes(a.Break, len(a.breakIndex))
		n += cap(a.Ads) * int(unsafe.Sizeof(Ad{}))
		n += len(a.adIndex) * (str + 8 + mapEntry)
		for k := range a.Ads {
			ad := &a.Ads[k]
			n += len(ad.ID) + len(ad.ClickThrough)
			n += eventBytes(ad.Events, len(ad.evIndex))
		}
	}
	return n
}

func eventBytes(evs []Event, indexed int) int {
	n := cap(evs) * int(unsafe.Sizeof(Event{}))
	for j := range evs {
		e := &evs[j]
		n += len(e.ID) + len(e.Type) + len(e.URL)
	}
	return n + indexed*(int(unsafe.Sizeof(evKey{}))+4+mapEntry)
}

// PrunedIDs returns how many pruned avail ids the timeline remembers.
func (t *Timeline) PrunedIDs() int { return len(t.pruned) }
