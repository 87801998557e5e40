package engine

// Continuity: whether a playhead continues the previous one, where a
// jump lands, and how a long continuous step is played through.

import (
	"math"

	"github.com/availkit/availkit/internal/timeline"
)

// maxHold bounds the wall time a held playhead may make up in one step
// (web/adapters/screen.js falls back to currentTime after 1 s without a
// new frame).
const maxHold = 2.0

// classify decides whether ph continues the previous update.
func (e *Engine) classify(ph, nowMs float64, f Flags) cause {
	disc := e.disc
	e.disc = false
	if !e.hasPrev || disc || f&FlagSeeking != 0 {
		return e.landingCause(ph)
	}
	d := ph - e.prevPH
	// A playhead held still while playing (the screen clock waiting for a
	// frame a starved decoder has not shown yet) catches up in one step:
	// that step is playback worth the whole hold, up to maxHold, not a seek.
	wall := (nowMs - e.prevNow) / 1000
	if held := (nowMs - e.moveNow) / 1000; held > wall {
		wall = math.Min(held, wall+maxHold)
	}
	if wall < 0 {
		wall = 0
	}
	// Small backward steps are clock jitter (currentTime vs frame times),
	// not seeks: they cross nothing and keep the run continuous.
	r := e.Rate()
	if d >= -jitter && d <= math.Max(1, 2*r*wall+0.25) {
		return causeContinuous
	}
	return e.landingCause(ph)
}

func (e *Engine) landingCause(ph float64) cause {
	if e.snap.expectOK && abs(ph-e.snap.expect) <= startTol {
		e.snap.expectOK = false
		return causeInternal
	}
	return causeUser
}

// locate returns the index of the avail containing ph or the next one,
// moving the cursor a step at a time during continuous play and by binary
// search after a jump.
func (e *Engine) locate(ph float64, continuous bool) int {
	av := e.tl.Avails()
	if !continuous || e.cur > len(av) || (e.cur > 0 && av[e.cur-1].End > ph) {
		e.cur = e.tl.Locate(ph)
		return e.cur
	}
	for e.cur < len(av) && av[e.cur].End <= ph {
		e.cur++
	}
	return e.cur
}

// findAd returns the ad of a containing ph, trying hint first. An ad
// starts eps before its time, as its events fire (fire: At <= ph+eps): at
// 5.999999 (a clock a microsecond short) the ad starting at 6 is entered,
// so its adstart goes out with its impression and start, not an update
// after them. Where ads overlap, the later one that has started wins.
func findAd(a *timeline.Avail, ph float64, hint int) int {
	if hint >= 0 && hint < len(a.Ads) {
		ad := &a.Ads[hint]
		if ad.Start <= ph+eps && ph < ad.End && (hint+1 == len(a.Ads) || a.Ads[hint+1].Start > ph+eps) {
			return hint
		}
	}
	for k := len(a.Ads) - 1; k >= 0; k-- {
		ad := &a.Ads[k]
		if ad.Start <= ph+eps && ph < ad.End {
			return k
		}
	}
	return -1
}

// land resets the event cursor after a jump: events crossed by the jump are
// dropped, except the events of an ad entered within startTol of its start.
func (e *Engine) land(ph float64, ai, ki int, avails []timeline.Avail) {
	e.anchor.on = false
	e.contFrom = ph
	e.next = e.tl.FirstRefAfter(ph)
	if ai < 0 {
		return
	}
	a := &avails[ai]
	if ki >= 0 && ph-a.Ads[ki].Start <= startTol {
		e.anchor.on = true
		e.anchor.lo = a.Ads[ki].Start
		e.anchor.brk = ph-a.Start <= startTol
		if e.anchor.brk {
			e.anchor.lo = math.Min(e.anchor.lo, a.Start)
		}
	} else if ki < 0 && ph-a.Start <= startTol {
		e.anchor.on = true
		e.anchor.lo = a.Start
		e.anchor.brk = true
	}
	if e.anchor.on {
		e.anchor.hi = ph
		e.anchor.avail, e.anchor.ad = ai, ki
		e.anchor.availID = a.ID
		e.anchor.adID = ""
		if ki >= 0 {
			e.anchor.adID = a.Ads[ki].ID
		}
		e.next = e.tl.FirstRefFrom(e.anchor.lo)
		e.contFrom = e.anchor.lo
	}
}

// cross plays a long continuous step (a background tab's 1 Hz timers, a
// long frame) through every ad and break boundary it passes but the last,
// which Update handles itself, so the host sees the same events in the same
// order as with frame-by-frame playback: adbreakstart, adstart, adend,
// adbreakend, and the break marked watched. Each intermediate position is
// handled at its boundary time, which is also the Playhead its actions
// carry. A snap-back continued from one of them (afterBreak) skips what
// the step plays through anyway.
func (e *Engine) cross(ph float64) {
	e.crossTo = ph
	for from := e.prevPH; ; {
		b := e.boundaryAfter(from)
		if b >= ph-eps || e.boundaryAfter(b) >= ph-eps {
			break
		}
		e.step(b)
		from = b
	}
	e.crossTo = math.Inf(-1)
}

// boundaryAfter returns the first ad or break start or end after t, +Inf
// when none. Breaks that are skipped (unfilled, or watched and jumped over)
// have no boundaries.
func (e *Engine) boundaryAfter(t float64) float64 {
	avails := e.tl.Avails()
	i := e.cur
	if i > len(avails) || (i > 0 && avails[i-1].End > t) || (i < len(avails) && avails[i].End <= t) {
		i = e.tl.Locate(t)
	}
	t += eps
	for ; i < len(avails); i++ {
		a := &avails[i]
		if a.Duration <= 0 || (a.Watched && e.cfg.JumpWatched) {
			continue
		}
		if a.Start > t {
			return a.Start
		}
		for k := range a.Ads {
			ad := &a.Ads[k]
			if ad.Start > t {
				return ad.Start
			}
			if ad.End > t && ad.End < a.End {
				return ad.End
			}
		}
		if a.End > t {
			return a.End
		}
	}
	return math.Inf(1)
}

// step is one intermediate position of cross: fire what is due by b, move
// to the position at b, fire that position's events. Playback went through
// it, so the ad there rendered.
func (e *Engine) step(b float64) {
	avails := e.tl.Avails()
	ai := e.locate(b, true)
	ki := -1
	st := StateContent
	if ai < len(avails) && avails[ai].Start <= b+eps && avails[ai].Duration > 0 &&
		!(avails[ai].Watched && e.cfg.JumpWatched) {
		st = StateBreak
		if ki = findAd(&avails[ai], b, e.ad); ki >= 0 {
			st = StateAd
		}
	} else {
		ai = -1
	}
	e.fire(b, ai, ki, st, true)
	e.transition(st, ai, ki, b, causeContinuous)
	if e.state == StateAd {
		e.rendered = true
	}
	e.announce(b)
	e.fire(b, ai, ki, st, false)
	if e.state == StateAd {
		e.impress(b)
	}
}
