package engine

// Update and the status it returns: one frame of the state machine.

import "math"

// cause is why the playhead is where it is.
type cause uint8

const (
	causeContinuous cause = iota
	causeInternal         // landed where the engine asked
	causeUser             // any other jump (seek, first update, stall recovery)
)

// Update advances the state machine to playhead ph (session seconds) at wall
// time nowMs (ms since the epoch) with player flags f. It queues actions for
// Drain and returns Status bits. With nothing due it allocates nothing and
// touches only the current avail, so callers may call it on every frame.
func (e *Engine) Update(ph, nowMs float64, f Flags) Status {
	if ph < 0 && e.hasPrev && e.prevPH >= 0 && e.prevPH-ph <= 2*jitter && f&FlagSeeking == 0 {
		// A clock read a few frames below the session start after playing
		// from it (hls.js on MPEG-TS steps from 0.04 to −0.067 s) is not a
		// seek out of the pre-roll. Below 0 before that is the screen clock
		// holding before the first frame: nothing is due yet.
		ph = e.prevPH
	}
	c := e.classify(ph, nowMs, f)
	if c == causeContinuous && ph < e.prevPH {
		// A small step back is one clock read against another, not play:
		// hold the previous position, or a step back over a break's start
		// (hls.js VOD reads −0.067 s right after 0.04 s) would leave the
		// break and enter it again.
		ph = e.prevPH
	}
	avails := e.tl.Avails()

	// Snapback: until the player lands where the snap sent it, hold still
	// unless it never does (3 s of wall time).
	if e.state == StateSnapback && c != causeInternal {
		if math.IsNaN(e.snap.at) {
			e.snap.at = nowMs // Seek has no clock: start waiting now
		}
		if nowMs-e.snap.at < 3000 {
			e.remember(ph, nowMs, f)
			e.disc = true
			return e.finishStatus(ph)
		}
		e.logf("engine: snapback to %.3f never landed, giving up", e.snap.expect)
		e.snap.expectOK, e.snap.resumeOK = false, false
		e.snap.queue = e.snap.queue[:0]
		e.setState(StateContent)
	}

	if c == causeContinuous && ph > e.prevPH {
		e.cross(ph)
	}

	ai := e.locate(ph, c == causeContinuous)
	ki := -1
	in := ai < len(avails) && avails[ai].Start <= ph+eps && avails[ai].Duration > 0
	st := StateContent
	if in {
		a := &avails[ai]
		ki = findAd(a, ph, e.ad)
		switch {
		case a.Watched && e.cfg.JumpWatched:
			st = StateJumping
		case ki >= 0:
			st = StateAd
		default:
			st = StateBreak
		}
	} else {
		ai = -1
		if up := e.upcomingAvail(ph); up >= 0 {
			st, ai = StateUpcoming, up
		}
	}

	if c != causeContinuous {
		la := ai
		if !in {
			la = -1
		}
		e.land(ph, la, ki, avails)
		if !e.hasPrev && ph <= startTol {
			// Playback starting at the session's start crossed nothing by
			// seeking: everything from 0 is due (an unfilled pre-roll's
			// breakStart/breakEnd at 0 included).
			e.anchor.on = false
			e.contFrom = math.Inf(-1)
			e.next = 0
		}
	}

	// Beacons of what we are leaving come before the transition, the new
	// ad's after it.
	inAd, inAvail, inAdIdx := e.state == StateAd, e.avail, e.ad
	e.fire(ph, ai, ki, st, true)
	e.transition(st, ai, ki, ph, c)
	wasRendered := e.rendered
	if e.state == StateAd && !e.rendered && f&FlagPaused == 0 &&
		(f&FlagRendered != 0 || (c == causeContinuous && ph > e.prevPH)) {
		e.rendered = true
	}
	e.announce(ph)
	e.fire(ph, ai, ki, st, false)

	if e.state == StateAd {
		e.impress(ph)
		// A VPAID creative reports its own pause/mute (VPAIDEvent); the
		// runner pauses the content video under it, which is no ad pause.
		if wasRendered && avails[e.avail].Ads[e.ad].VPAID == nil {
			if c == causeContinuous {
				e.edges(ph, f)
			} else if c == causeUser && inAd && inAvail == e.avail && inAdIdx == e.ad &&
				ph < e.prevPH-jitter && !e.snap.expectOK {
				// The viewer sought back inside the ad they are watching
				// (a seek the policy let through; a refused one is being
				// corrected and rewinds nothing).
				e.fireType(ph, e.avail, e.ad, "rewind")
			}
		}
		e.adTicks(ph)
	}
	e.nonLinear(ph)
	e.remember(ph, nowMs, f)
	return e.finishStatus(ph)
}

func (e *Engine) remember(ph, nowMs float64, f Flags) {
	if !e.hasPrev || ph != e.prevPH || f&(FlagPaused|FlagSeeking) != 0 {
		e.moveNow = nowMs
	}
	e.hasPrev = true
	e.prevPH, e.prevNow, e.prevFlags = ph, nowMs, f
}

func (e *Engine) finishStatus(ph float64) Status {
	s := e.status & StatusSeek
	if len(e.actions) > 0 {
		s |= StatusActions
	}
	if e.state == StateAd || e.state == StateBreak {
		s |= StatusInAd
	}
	if e.NextEventIn(ph) < NearWindow {
		s |= StatusNear
	}
	e.status = s
	return s
}

// NextEventIn returns the seconds from playhead to the next scheduled item
// (beacon, break or ad boundary, skip offset, upcoming notice), +Inf when
// there is none. The caller arms its frame clock from it.
func (e *Engine) NextEventIn(ph float64) float64 {
	best := math.Inf(1)
	consider := func(t float64) {
		if d := t - ph; d < best {
			best = d
		}
	}
	refs := e.tl.Refs()
	if e.next < len(refs) {
		consider(refs[e.next].At)
	}
	avails := e.tl.Avails()
	if inPosition(e.state) && e.avail >= 0 && e.avail < len(avails) {
		a := &avails[e.avail]
		consider(a.End)
		if e.ad >= 0 {
			ad := &a.Ads[e.ad]
			consider(ad.End)
			if ad.Skip >= 0 && !e.skippableOut && ad.VPAID == nil {
				consider(ad.Start + ad.Skip)
			}
		}
	} else {
		i := e.cur
		if i > len(avails) || (i > 0 && avails[i-1].End > ph) || (i < len(avails) && avails[i].End <= ph) {
			i = e.tl.Locate(ph)
		}
		if i < len(avails) {
			a := &avails[i]
			consider(a.Start)
			if e.cfg.UpcomingLead > 0 && !a.Announced && !a.Watched {
				consider(a.Start - e.cfg.UpcomingLead)
			}
		}
	}
	if best < 0 {
		return 0
	}
	return best
}

func inBreak(s State) bool { return s == StateAd || s == StateBreak }

// inPosition reports whether the state's avail index is the avail the
// playhead is in.
func inPosition(s State) bool { return s == StateAd || s == StateBreak || s == StateJumping }
