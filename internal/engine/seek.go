package engine

import "math"

// Seek decides a seek from → to (session seconds). For OriginAPI the caller
// has not moved yet and goes to the decision's To; for OriginNative the
// player already moved and the caller corrects it to To when Allow is false.
//
// Rules, in order: a seek to the target of a Seek action or snap the engine
// asked for passes; OriginStart (initial or bookmark position) passes and
// cancels any pending resume; with PolicyOff everything passes; a seek while
// an unwatched break plays is refused (To = from); backward seeks pass; a
// forward seek over unwatched breaks (a break counts when from < start <= to
// and it has a positive duration) snaps to one of them per Policy and
// resumes at to once it ends, unless the stream is live and LiveSnapBack is
// off. Every seek ends the continuous run: beacons it crosses do not fire.
//
// One exception comes first: an OriginGap seek forward by less than
// GapJump that is not the landing of a seek the engine asked for is the
// player stepping over a hole in its buffer (hls.js and dash.js gap
// controllers jump the few tens of ms between stitched assets). It passes
// even inside a break and keeps the run continuous, so the next Update fires
// the beacons it crossed. Any other OriginGap seek is taken as OriginNative.
// Callers must report only seeks the user or the player made, not the
// plugin's own (those are OriginAPI or expected).
func (e *Engine) Seek(from, to float64, origin SeekOrigin) SeekDecision {
	allow := SeekDecision{Allow: true, To: to, ResumeAt: -1}
	if e.snap.expectOK && abs(to-e.snap.expect) <= startTol {
		e.disc = true
		return allow
	}
	if origin == OriginGap {
		if to > from && to-from < GapJump {
			// Refusing it would stall playback: the player retries the
			// jump until it gives up with a fatal buffer error.
			e.logf("engine: seek %.3f -> %.3f is a gap jump, playback continues", from, to)
			return allow
		}
		origin = OriginNative
	}
	e.disc = true
	e.snap.expectOK = false
	if origin == OriginStart {
		e.cancelSnap()
		return allow
	}
	if e.cfg.NoSkip == PolicyOff {
		return allow
	}
	avails := e.tl.Avails()
	// A live player that fell behind its window jumps forward on its own:
	// the break it was in has left the window and cannot be played, so the
	// jump is not refused (the correction would land outside the window).
	behind := from < e.windowStart && to >= e.windowStart
	if (e.state == StateAd || e.state == StateBreak) && e.avail >= 0 && !avails[e.avail].Watched && !behind {
		e.logf("engine: seek %.3f -> %.3f refused inside break %s", from, to, e.availID)
		if origin == OriginNative {
			// The player moved already; its corrective seek back must pass.
			e.snap.expect, e.snap.expectOK = from, true
		}
		return SeekDecision{Allow: false, To: from, ResumeAt: -1, Reason: "refused"}
	}
	if to <= from {
		e.cancelSnap()
		return allow
	}
	if !e.snapEnabled() {
		return allow
	}
	first, last := -1, -1
	for i := e.tl.Locate(from); i < len(avails) && avails[i].Start <= to; i++ {
		a := &avails[i]
		if a.Duration <= 0 || a.Watched || a.Start <= from {
			continue
		}
		if first < 0 {
			first = i
		}
		last = i
	}
	if first < 0 {
		e.cancelSnap()
		return allow
	}
	e.snap.queue = e.snap.queue[:0]
	target, final := first, first
	switch e.cfg.NoSkip {
	case PolicyLast:
		target, final = last, last
	case PolicyAll:
		final = last
		for i := first + 1; i <= last; i++ {
			if a := &avails[i]; a.Duration > 0 && !a.Watched {
				e.snap.queue = append(e.snap.queue, a.Start)
			}
		}
	}
	d := SeekDecision{Allow: false, To: avails[target].Start, ResumeAt: -1, Reason: "snap"}
	e.snap.resumeOK = false
	if to > avails[final].End {
		d.ResumeAt = to
		e.snap.resume, e.snap.resumeOK = to, true
	}
	e.logf("engine: seek %.3f -> %.3f snaps to %s at %.3f (resume %.3f, policy %s)", from, to, avails[target].ID, d.To, d.ResumeAt, e.cfg.NoSkip)
	e.event("snapback", from, target, -1, func(x *Action) {
		x.From, x.To, x.ResumeAt = from, d.To, d.ResumeAt
	})
	e.snap.expect, e.snap.expectOK = d.To, true
	e.snap.at = math.NaN()
	e.setState(StateSnapback)
	return d
}

func (e *Engine) cancelSnap() {
	e.snap.resumeOK = false
	e.snap.queue = e.snap.queue[:0]
	if e.state == StateSnapback {
		e.setState(StateContent)
	}
}
