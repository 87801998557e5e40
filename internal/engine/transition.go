package engine

// Transitions: the one function that moves the state machine, and the
// host events and seeks it emits.

import "math"

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
		if e.adSent {
			e.event("adend", ph, oldAvail, oldAd, func(x *Action) { x.Skipped = ad.Skipped })
		}
		e.adSent = false
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
		if e.breakSent {
			e.event("adbreakend", ph, oldAvail, -1, nil)
		}
		e.breakSent = false
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
		e.breakSent = false
	}
	if st == StateBreak && !e.breakSent {
		// No ad here to wait for (a gap in the pod, a live break whose ads
		// are not known yet): the break starts now.
		e.breakSent = true
		e.event("adbreakstart", ph, ai, -1, nil)
	}
	if st == StateAd && (ai != oldAvail || ki != oldAd || oldState != StateAd) {
		e.rendered, e.impressed, e.pauseSent, e.skippableOut = false, false, false, false
		e.adSent = false
		e.progressAt = math.Inf(-1)
	}
	e.announce(ph)
	if st == StateUpcoming && !avails[ai].Announced {
		avails[ai].Announced = true
		e.event("adbreakupcoming", ph, ai, -1, func(x *Action) { x.To = avails[ai].Start })
	}
	if st == StateJumping && (ai != oldAvail || oldState != StateJumping) {
		e.seekAction(avails[ai].End, "jump", ph)
	}
}

// announce sends the entry events of the ad the engine is in, held since
// the transition until the ad renders (its first frame is on screen), when
// its breakStart, impression and start beacons are due too: adbreakstart
// when the ad opens its break, adstart, and vpaidstart. A VPAID ad never
// renders on the content video (the runner pauses it before the first
// frame and the creative plays instead), so its events go at once: they
// start the runner. An ad left before it rendered (paused before first
// play, then sought away) sends neither its start nor its end.
func (e *Engine) announce(ph float64) {
	if e.state != StateAd || e.adSent || e.avail < 0 || e.ad < 0 {
		return
	}
	ad := &e.tl.Avails()[e.avail].Ads[e.ad]
	if !e.rendered && ad.VPAID == nil {
		return
	}
	if !e.breakSent {
		e.breakSent = true
		e.event("adbreakstart", ph, e.avail, -1, nil)
	}
	e.adSent = true
	e.event("adstart", ph, e.avail, e.ad, nil)
	if ad.VPAID != nil {
		e.event("vpaidstart", ph, e.avail, e.ad, nil)
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
	for len(e.snap.queue) > 0 && e.snap.queue[0] < e.crossTo {
		e.snap.queue = e.snap.queue[1:]
	}
	if len(e.snap.queue) > 0 {
		to := e.snap.queue[0]
		e.snap.queue = e.snap.queue[1:]
		e.seekAction(to, "snap", ph)
		return
	}
	if e.snap.resumeOK {
		e.snap.resumeOK = false
		if e.snap.resume > math.Max(ph, e.crossTo)+eps {
			e.seekAction(e.snap.resume, "resume", ph)
		}
	}
}

func (e *Engine) seekAction(to float64, reason string, ph float64) {
	e.actions = append(e.actions, Action{Kind: ActionSeek, Name: reason, From: ph, To: to, ResumeAt: -1, Scheduled: -1, Playhead: ph})
	e.status |= StatusSeek
	e.snap.expect, e.snap.expectOK = to, true
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

// adTicks emits adskippable and throttled adprogress for the current ad.
func (e *Engine) adTicks(ph float64) {
	a := &e.tl.Avails()[e.avail]
	ad := &a.Ads[e.ad]
	adph := ph - ad.Start
	// Not before the ad renders: a Skip on an ad paused before its first
	// frame would report a skip without an impression.
	if !e.skippableOut && e.rendered && e.skippable(ad) && adph+eps >= ad.Skip {
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
