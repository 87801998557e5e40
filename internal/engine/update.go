package engine

import (
	"math"

	"github.com/availkit/availkit/internal/timeline"
)

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
	c := e.classify(ph, nowMs, f)
	avails := e.tl.Avails()

	// Snapback: until the player lands where the snap sent it, hold still
	// unless it never does (3 s of wall time).
	if e.state == StateSnapback && c != causeInternal {
		if math.IsNaN(e.snapAt) {
			e.snapAt = nowMs // Seek has no clock: start waiting now
		}
		if nowMs-e.snapAt < 3000 {
			e.remember(ph, nowMs, f)
			e.disc = true
			return e.finishStatus(ph)
		}
		e.logf("engine: snapback to %.3f never landed, giving up", e.expect)
		e.expectOK, e.resumeOK = false, false
		e.queue = e.queue[:0]
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
			e.anchor = false
			e.contFrom = math.Inf(-1)
			e.next = 0
		}
	}

	// Beacons of what we are leaving come before the transition, the new
	// ad's after it.
	e.fire(ph, ai, ki, st, true)
	e.transition(st, ai, ki, ph, c)
	wasRendered := e.rendered
	if e.state == StateAd && !e.rendered && f&FlagPaused == 0 &&
		(f&FlagRendered != 0 || (c == causeContinuous && ph > e.prevPH)) {
		e.rendered = true
	}
	e.fire(ph, ai, ki, st, false)

	if e.state == StateAd {
		e.impress(ph)
		// A VPAID creative reports its own pause/mute (VPAIDEvent); the
		// runner pauses the content video under it, which is no ad pause.
		if wasRendered && c == causeContinuous && avails[e.avail].Ads[e.ad].VPAID == nil {
			e.edges(ph, f)
		}
		e.adTicks(ph)
	}
	e.nonLinear(ph)
	e.remember(ph, nowMs, f)
	return e.finishStatus(ph)
}

func (e *Engine) remember(ph, nowMs float64, f Flags) {
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

// classify decides whether ph continues the previous update.
func (e *Engine) classify(ph, nowMs float64, f Flags) cause {
	disc := e.disc
	e.disc = false
	if !e.hasPrev || disc || f&FlagSeeking != 0 {
		return e.landingCause(ph)
	}
	d := ph - e.prevPH
	wall := (nowMs - e.prevNow) / 1000
	if wall < 0 {
		wall = 0
	}
	// Small backward steps are clock jitter (currentTime vs frame times),
	// not seeks: they cross nothing and keep the run continuous.
	r := e.rate
	if r < 1 {
		r = 1
	}
	if d >= -jitter && d <= math.Max(1, 2*r*wall+0.25) {
		return causeContinuous
	}
	return e.landingCause(ph)
}

func (e *Engine) landingCause(ph float64) cause {
	if e.expectOK && abs(ph-e.expect) <= startTol {
		e.expectOK = false
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

// findAd returns the ad of a containing ph, trying hint first.
func findAd(a *timeline.Avail, ph float64, hint int) int {
	if hint >= 0 && hint < len(a.Ads) {
		ad := &a.Ads[hint]
		if ad.Start <= ph+eps && ph < ad.End {
			return hint
		}
	}
	for k := range a.Ads {
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
	e.anchor = false
	e.contFrom = ph
	e.next = e.tl.FirstRefAfter(ph)
	if ai < 0 {
		return
	}
	a := &avails[ai]
	if ki >= 0 && ph-a.Ads[ki].Start <= startTol {
		e.anchor = true
		e.anchorLo = a.Ads[ki].Start
		e.anchorBreak = ph-a.Start <= startTol
		if e.anchorBreak {
			e.anchorLo = math.Min(e.anchorLo, a.Start)
		}
	} else if ki < 0 && ph-a.Start <= startTol {
		e.anchor = true
		e.anchorLo = a.Start
		e.anchorBreak = true
	}
	if e.anchor {
		e.anchorHi = ph
		e.anchorAvail, e.anchorAd = ai, ki
		e.anchorAvailID = a.ID
		e.anchorID = ""
		if ki >= 0 {
			e.anchorID = a.Ads[ki].ID
		}
		e.next = e.tl.FirstRefFrom(e.anchorLo)
		e.contFrom = e.anchorLo
	}
}

// fire emits the Timed beacons due by ph. In the first pass (before the
// transition) it stops at the first event of the position being entered.
func (e *Engine) fire(ph float64, ai, ki int, st State, first bool) {
	refs := e.tl.Refs()
	avails := e.tl.Avails()
	for e.next < len(refs) && refs[e.next].At <= ph+eps {
		r := refs[e.next]
		ev := e.tl.Event(r)
		a := &avails[r.Avail]
		mine := int(r.Avail) == ai && (int(r.Ad) == ki || (r.Ad < 0 && ev.Type == "breakStart"))
		if first && mine {
			return
		}
		skip := ev.Fired
		if !skip && e.anchor && r.At <= e.anchorHi+eps {
			own := int(r.Avail) == e.anchorAvail &&
				((r.Ad >= 0 && int(r.Ad) == e.anchorAd) || (r.Ad < 0 && e.anchorBreak && ev.Type == "breakStart"))
			skip = !own
		}
		if !skip && r.Ad >= 0 {
			ad := &a.Ads[r.Ad]
			// A VPAID creative reports its own progress (VPAIDEvent); a
			// skipped ad never completes.
			skip = ad.VPAID != nil || ad.Skipped
		}
		if !skip && a.Watched && e.cfg.JumpWatched && e.state == StateJumping && int(r.Avail) == e.avail {
			skip = true
		}
		if !skip && mine && st == StateAd && !e.rendered && avails[ai].Ads[ki].VPAID == nil {
			// Hold until the ad renders (paused before first play). A VPAID
			// ad never renders on the content video: the runner pauses it
			// before the first frame, and the creative reports its own start.
			return
		}
		if !skip {
			ev.Fired = true
			e.beacon(ph, int(r.Avail), int(r.Ad), ev, r.At)
		}
		e.next++
	}
}

func (e *Engine) beacon(ph float64, ai, ki int, ev *timeline.Event, sched float64) {
	a := &e.tl.Avails()[ai]
	act := Action{
		Kind:      ActionBeacon,
		Name:      ev.Type,
		AvailID:   a.ID,
		EventID:   ev.ID,
		EventType: ev.Type,
		URL:       ev.URL,
		Scheduled: sched,
		Playhead:  ph,
		Position:  e.position(a),
		ResumeAt:  -1,
	}
	if ki >= 0 {
		act.AdID = a.Ads[ki].ID
		act.AdPlayhead = adPlayhead(&a.Ads[ki], ph)
	}
	e.actions = append(e.actions, act)
}

// fireType fires every beacon of eventType for the ad ki of avail ai
// (Action and Manual events). Timed events among them fire only once.
func (e *Engine) fireType(ph float64, ai, ki int, eventType string) int {
	if ai < 0 || ki < 0 {
		return 0
	}
	ad := &e.tl.Avails()[ai].Ads[ki]
	n := 0
	for j := range ad.Events {
		ev := &ad.Events[j]
		if ev.Type != eventType {
			continue
		}
		if ev.Kind == timeline.Timed {
			if ev.Fired {
				continue
			}
			ev.Fired = true
		}
		e.beacon(ph, ai, ki, ev, -1)
		n++
	}
	return n
}

// transition is the one place that changes the position of the state
// machine; it emits the exit events of the old position and the entry
// events of the new one.
func (e *Engine) transition(st State, ai, ki int, ph float64, c cause) {
	if st == e.state && ai == e.avail && ki == e.ad {
		return
	}
	avails := e.tl.Avails()
	oldState, oldAvail, oldAd := e.state, e.avail, e.ad
	if e.cfg.Logf != nil {
		e.logf("engine: %s(%d/%d) -> %s(%d/%d) at %.3f", oldState, oldAvail, oldAd, st, ai, ki, ph)
	}

	if oldState == StateAd && oldAvail >= 0 && oldAd >= 0 && (ai != oldAvail || ki != oldAd || !inBreak(st)) {
		a := &avails[oldAvail]
		ad := &a.Ads[oldAd]
		e.event("adend", ph, oldAvail, oldAd, func(x *Action) { x.Skipped = ad.Skipped })
	}
	if inBreak(oldState) && oldAvail >= 0 && (ai != oldAvail || !inBreak(st)) {
		a := &avails[oldAvail]
		completed := c != causeUser && ph >= a.End-startTol
		if completed {
			a.Watched = true
		}
		if completed && c == causeInternal {
			// Our own seek (skip, VPAID stop) landed on the break's end:
			// the break did end, so its breakEnd is due.
			for j := range a.Break {
				if ev := &a.Break[j]; ev.Type == "breakEnd" && !ev.Fired {
					ev.Fired = true
					e.beacon(ph, oldAvail, -1, ev, ev.At)
				}
			}
		}
		e.event("adbreakend", ph, oldAvail, -1, nil)
		if completed {
			e.afterBreak(ph)
		}
	}

	e.state = st
	e.avail, e.ad = ai, ki
	e.availID, e.adID = "", ""
	if ai >= 0 {
		e.availID = avails[ai].ID
		if ki >= 0 {
			e.adID = avails[ai].Ads[ki].ID
		}
	}

	if inBreak(st) && (ai != oldAvail || !inBreak(oldState)) {
		e.event("adbreakstart", ph, ai, -1, nil)
	}
	if st == StateAd && (ai != oldAvail || ki != oldAd || oldState != StateAd) {
		e.rendered, e.impressed, e.pauseSent, e.skippableOut = false, false, false, false
		e.progressAt = math.Inf(-1)
		a := &avails[ai]
		ad := &a.Ads[ki]
		e.event("adstart", ph, ai, ki, nil)
		if ad.VPAID != nil {
			e.event("vpaidstart", ph, ai, ki, nil)
		}
	}
	if st == StateUpcoming && !avails[ai].Announced {
		avails[ai].Announced = true
		e.event("adbreakupcoming", ph, ai, -1, func(x *Action) { x.To = avails[ai].Start })
	}
	if st == StateJumping && (ai != oldAvail || oldState != StateJumping) {
		e.seekAction(avails[ai].End, "jump", ph)
	}
}

// setState moves to a state without a position (content, snapback).
func (e *Engine) setState(st State) {
	e.transition(st, -1, -1, e.prevPH, causeUser)
}

// afterBreak continues a snap-back once its break is over: the next queued
// break (PolicyAll) or the seek target.
func (e *Engine) afterBreak(ph float64) {
	// Within a long step (cross) playback may be past queued breaks and the
	// target already: they were played, no seek back to them.
	for len(e.queue) > 0 && e.queue[0] < e.crossTo {
		e.queue = e.queue[1:]
	}
	if len(e.queue) > 0 {
		to := e.queue[0]
		e.queue = e.queue[1:]
		e.seekAction(to, "snap", ph)
		return
	}
	if e.resumeOK {
		e.resumeOK = false
		if e.resume > math.Max(ph, e.crossTo)+eps {
			e.seekAction(e.resume, "resume", ph)
		}
	}
}

func (e *Engine) seekAction(to float64, reason string, ph float64) {
	e.actions = append(e.actions, Action{Kind: ActionSeek, Name: reason, From: ph, To: to, ResumeAt: -1, Scheduled: -1, Playhead: ph})
	e.status |= StatusSeek
	e.expect, e.expectOK = to, true
	e.disc = true
}

// event queues a host event about avail ai (and ad ki when >= 0).
func (e *Engine) event(name string, ph float64, ai, ki int, decorate func(*Action)) {
	a := &e.tl.Avails()[ai]
	act := Action{
		Kind:       ActionEvent,
		Name:       name,
		AvailID:    a.ID,
		Playhead:   ph,
		Position:   e.position(a),
		Scheduled:  -1,
		SkipOffset: -1,
		ResumeAt:   -1,
		Count:      len(a.Ads),
		Duration:   a.Duration,
		Remaining:  math.Max(0, a.End-ph),
	}
	if ki >= 0 {
		ad := &a.Ads[ki]
		act.AdID = ad.ID
		act.Index = ki + 1
		act.Duration = ad.Duration
		act.SkipOffset = ad.Skip
		act.AdPlayhead = adPlayhead(ad, ph)
		act.Ad = ad.Source
		act.VPAID = ad.VPAID
		act.ClickThrough = ad.ClickThrough
	}
	if ki < 0 && (name == "adbreakstart" || name == "adbreakupcoming") {
		for k := range a.Ads {
			if a.Ads[k].VPAID != nil {
				act.HasVPAID = true
				break
			}
		}
	}
	if decorate != nil {
		decorate(&act)
	}
	e.actions = append(e.actions, act)
}

// edges fires the action beacons for changes of the player flags during a
// rendered ad.
func (e *Engine) edges(ph float64, f Flags) {
	ch := f ^ e.prevFlags
	if ch == 0 || f&FlagSeeking != 0 {
		return
	}
	if ch&FlagPaused != 0 {
		if f&FlagPaused != 0 {
			if f&FlagEnded == 0 {
				e.fireType(ph, e.avail, e.ad, "pause")
				e.pauseSent = true
			}
		} else if e.pauseSent {
			e.fireType(ph, e.avail, e.ad, "resume")
			e.pauseSent = false
		}
	}
	if ch&FlagMuted != 0 {
		if f&FlagMuted != 0 {
			e.fireType(ph, e.avail, e.ad, "mute")
		} else {
			e.fireType(ph, e.avail, e.ad, "unmute")
		}
	}
	if ch&FlagFullscreen != 0 {
		if f&FlagFullscreen != 0 {
			e.fireType(ph, e.avail, e.ad, "playerExpand")
			e.fireType(ph, e.avail, e.ad, "fullscreen")
		} else {
			e.fireType(ph, e.avail, e.ad, "playerCollapse")
			e.fireType(ph, e.avail, e.ad, "exitFullscreen")
		}
	}
}

// adTicks emits adskippable and throttled adprogress for the current ad.
func (e *Engine) adTicks(ph float64) {
	a := &e.tl.Avails()[e.avail]
	ad := &a.Ads[e.ad]
	adph := ph - ad.Start
	// A VPAID creative runs its own skip control (AdSkipped).
	// Not before the ad renders: a Skip on an ad paused before its first
	// frame would report a skip without an impression.
	if !e.skippableOut && e.rendered && ad.Skip >= 0 && adph+eps >= ad.Skip && !ad.Skipped && ad.VPAID == nil {
		e.skippableOut = true
		e.event("adskippable", ph, e.avail, e.ad, nil)
	}
	if e.cfg.ProgressInterval > 0 && e.rendered && adph-e.progressAt >= e.cfg.ProgressInterval {
		e.progressAt = adph
		e.event("adprogress", ph, e.avail, e.ad, nil)
	}
}

// upcomingAvail returns the unwatched break starting within UpcomingLead
// of ph, or -1.
func (e *Engine) upcomingAvail(ph float64) int {
	if e.cfg.UpcomingLead <= 0 {
		return -1
	}
	avails := e.tl.Avails()
	i := e.cur
	for i < len(avails) && avails[i].Duration <= 0 {
		i++
	}
	if i >= len(avails) {
		return -1
	}
	a := &avails[i]
	if a.Watched || a.Start <= ph || a.Start-ph > e.cfg.UpcomingLead {
		return -1
	}
	return i
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

// nonLinear announces an overlay avail once when the playhead is in its
// slot; the overlay renders it and fires its tracking.
func (e *Engine) nonLinear(ph float64) {
	nl := e.tl.NonLinear()
	if len(nl) == 0 {
		return
	}
	i := e.nlCur
	if i > len(nl) || (i > 0 && nl[i-1].End() > ph) {
		i = 0
	}
	for i < len(nl) && nl[i].End() <= ph {
		i++
	}
	e.nlCur = i
	if i == len(nl) || nl[i].Shown || nl[i].Start > ph+eps {
		return
	}
	n := &nl[i]
	n.Shown = true
	e.actions = append(e.actions, Action{
		Kind: ActionEvent, Name: "nonlinear", AvailID: n.ID, Playhead: ph,
		Duration: n.Duration, Scheduled: n.Start, SkipOffset: -1, ResumeAt: -1,
		To: n.Start + n.Duration, NonLinear: n.Source, Position: PositionMidroll,
	})
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
	e.fire(b, ai, ki, st, false)
	if e.state == StateAd {
		e.impress(b)
	}
}

// impress fires the impression and creativeView of the current ad once it
// renders, however it was entered (IAB: the impression counts the first
// frame shown), so a seek into the middle of an unwatched ad still reports
// it. Events scheduled after ph are left to continuous playback, and an ad
// entered at its start has fired them already through fire.
func (e *Engine) impress(ph float64) {
	if e.impressed || !e.rendered {
		return
	}
	e.impressed = true
	ad := &e.tl.Avails()[e.avail].Ads[e.ad]
	if ad.VPAID != nil || ad.Skipped {
		return // the creative reports AdImpression itself
	}
	for j := range ad.Events {
		ev := &ad.Events[j]
		if ev.Kind != timeline.Timed || ev.Fired || ev.At > ph+eps ||
			(ev.Type != "impression" && ev.Type != "creativeView") {
			continue
		}
		ev.Fired = true
		e.beacon(ph, e.avail, e.ad, ev, ev.At)
	}
}

// adPlayhead is ph as time into ad, within [0, Duration]: a beacon sent late
// (a long step crossed the ad) reports the ad as played to its end, never
// beyond it ([ADPLAYHEAD]).
func adPlayhead(ad *timeline.Ad, ph float64) float64 {
	return math.Min(math.Max(0, ph-ad.Start), ad.Duration)
}
