package timeline

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

// ContentTime converts session (stream) time to ad-free content time by
// subtracting every avail before it; inside an avail it returns the content
// time at the avail's start. For VOD this removes every inserted ad. For live
// the timeline only knows the avails still in the window, so content time is
// stream time minus the ad time seen so far in the window: it shifts when
// Prune drops an avail and is only good for displays, not for bookmarks.
// Zero-duration avails take no time. With no avail yet the two are the same.
func (t *Timeline) ContentTime(stream float64) float64 {
	if len(t.cum) == 0 {
		return stream // nothing merged: no cumulative ad time to index
	}
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
	if len(t.cum) == 0 {
		return content
	}
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
