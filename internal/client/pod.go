package client

// pod is the state behind the pod macros of VAST 4.1 (IAB macro
// catalogue, "Ad Break Info" and "Player State Info"):
//
//   - [PODSEQUENCE] is "the value of the sequence attribute on the <Ad>
//     that is currently playing". MediaTailor's tracking JSON does not carry
//     Ad@sequence, but it stitches a pod's ads in their sequence order and
//     lists them in that order, so the ad's 1-based place in its avail is
//     that value (the engine's Action.Index; podSequence for host beacons).
//   - [ADCOUNT] on a tracking pixel is "the number of <InLine> ads played
//     within the current chain or tree of VASTs, including the executing
//     one": it starts at 1 with the first ad played in the break and
//     grows by one for each further ad played. An ad entered in its middle
//     counts from where the viewer is; ads a seek jumped over do not count.
//
// The engine's adbreakstart starts a new count and each adstart enters an
// ad; a beacon of an ad takes that ad's place in the count. ids holds the
// break's ads in the order they started, so a late beacon of the previous
// ad (flushed after the next adstart) keeps its own count. It is bounded
// by the ads of one break and reused across breaks.
type pod struct {
	avail string
	ids   []string
}

// start begins the count of a break.
func (p *pod) start(availID string) {
	p.avail = availID
	clear(p.ids)
	p.ids = p.ids[:0]
}

// count returns [ADCOUNT] for a beacon of ad adID in avail availID,
// entering the ad when it has not started yet (a host beacon of an ad the
// engine has not reported). It is 0 (unknown, sent as -1) for break
// beacons and for a late beacon of an earlier break (an end-card closed
// during the next one), which must not restart the current count.
func (p *pod) count(availID, adID string) int {
	if adID == "" {
		return 0
	}
	if availID != p.avail {
		if p.avail != "" {
			return 0
		}
		p.start(availID)
	}
	for i, id := range p.ids {
		if id == adID {
			return i + 1
		}
	}
	p.ids = append(p.ids, adID)
	return len(p.ids)
}

// podSequence returns [PODSEQUENCE] for an ad of the timeline: its 1-based
// place in its avail, 0 when the ad is not known.
func (s *Session) podSequence(availID, adID string) int {
	tl := s.eng.Timeline()
	ai := tl.Find(availID)
	if ai < 0 || adID == "" {
		return 0
	}
	for k := range tl.Avails()[ai].Ads {
		if tl.Avails()[ai].Ads[k].ID == adID {
			return k + 1
		}
	}
	return 0
}
