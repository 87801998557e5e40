package timeline

// slab hands out the initial backing arrays of new ads' event lists (and of
// new avails' ad lists) from a few large arrays instead of one allocation
// each. A first merge of 10,000 avails made 50,000 small allocations, each
// with its span setup, heap bits and garbage-collector work; their cost per
// avail grew with the timeline (10k avails cost 14 times 1k, not 10).
// Lists taken one after another also lie next to each other, so a repeat
// poll walks the timeline in address order.
//
// Each list gets a capacity of exactly what it asked for (a full slice
// expression), so a later append to it reallocates instead of running into
// its neighbour. The price is that a slab stays alive while any of its
// lists does: after Prune, at most a slab's worth of pruned lists per merge
// that filled it.
type slab[T any] struct {
	spare []T
	// used counts the elements handed out since reset (one Merge): a slab
	// is as large as what this merge has taken so far, so a poll adding one
	// ad allocates exactly its list and a large first poll doubles up to
	// max elements per slab.
	used int
}

// Slab sizes: 4,096 events (256 KB) and 1,024 ads (120 KB) bound what one
// slab can keep alive past Prune and what spare the timeline holds between
// merges.
const (
	maxSlabEvents = 4096
	maxSlabAds    = 1024
)

func (s *slab[T]) reset() { s.used = 0 }

// take returns an empty list with capacity n.
func (s *slab[T]) take(n, limit int) []T {
	if n == 0 {
		return []T{} // non-nil: the list was made, as make([]T, 0) did
	}
	if n > len(s.spare) {
		s.spare = make([]T, max(n, min(s.used, limit)))
	}
	list := s.spare[:0:n]
	s.spare = s.spare[n:]
	s.used += n
	return list
}
