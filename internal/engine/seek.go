package engine

import (
	"math"
	"strconv"
)

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
	if e.expectOK && abs(to-e.expect) <= startTol {
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
	e.expectOK = false
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
			e.expect, e.expectOK = from, true
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
	e.queue = e.queue[:0]
	target, final := first, first
	switch e.cfg.NoSkip {
	case PolicyLast:
		target, final = last, last
	case PolicyAll:
		final = last
		for i := first + 1; i <= last; i++ {
			if a := &avails[i]; a.Duration > 0 && !a.Watched {
				e.queue = append(e.queue, a.Start)
			}
		}
	}
	d := SeekDecision{Allow: false, To: avails[target].Start, ResumeAt: -1, Reason: "snap"}
	e.resumeOK = false
	if to > avails[final].End {
		d.ResumeAt = to
		e.resume, e.resumeOK = to, true
	}
	e.logf("engine: seek %.3f -> %.3f snaps to %s at %.3f (resume %.3f, policy %s)", from, to, avails[target].ID, d.To, d.ResumeAt, e.cfg.NoSkip)
	e.event("snapback", from, target, -1, func(x *Action) {
		x.From, x.To, x.ResumeAt = from, d.To, d.ResumeAt
	})
	e.expect, e.expectOK = d.To, true
	e.snapAt = math.NaN()
	e.setState(StateSnapback)
	return d
}

func (e *Engine) cancelSnap() {
	e.resumeOK = false
	e.queue = e.queue[:0]
	if e.state == StateSnapback {
		e.setState(StateContent)
	}
}

// Skip skips the current ad if it has rendered and its skip offset has
// passed: it fires the ad's skip beacons and queues a Seek to the ad's end. It reports whether it
// did. VPAID ads are skipped by their creative (VPAIDEvent "AdSkipped").
func (e *Engine) Skip(ph, nowMs float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 {
		return false
	}
	ad := &e.tl.Avails()[e.avail].Ads[e.ad]
	if ad.Skip < 0 || ad.Skipped || ad.VPAID != nil || !e.rendered || ph-ad.Start+eps < ad.Skip {
		return false
	}
	ad.Skipped = true
	e.fireType(ph, e.avail, e.ad, "skip")
	e.seekAction(ad.End, "skip", ph)
	e.status |= StatusActions
	return true
}

// ClickThrough returns the current ad's landing page and fires its
// clickTracking beacons (on every click). ok is false outside an ad or when
// the ad has no clickThrough.
func (e *Engine) ClickThrough(ph, nowMs float64) (url string, ok bool) {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 {
		return "", false
	}
	ad := &e.tl.Avails()[e.avail].Ads[e.ad]
	if ad.ClickThrough == "" {
		return "", false
	}
	e.fireType(ph, e.avail, e.ad, "clickTracking")
	return ad.ClickThrough, true
}

// vpaidMap maps VPAID 2.0 events to tracking eventTypes (VPAID 2.0
// §2.5.3). AdUserClose fires both close and the VAST 3/4.1 closeLinear,
// whichever the ad has.
var vpaidMap = map[string]string{
	"AdStarted":              "creativeView",
	"AdImpression":           "impression",
	"AdVideoStart":           "start",
	"AdVideoFirstQuartile":   "firstQuartile",
	"AdVideoMidpoint":        "midpoint",
	"AdVideoThirdQuartile":   "thirdQuartile",
	"AdVideoComplete":        "complete",
	"AdSkipped":              "skip",
	"AdPaused":               "pause",
	"AdPlaying":              "resume",
	"AdClickThru":            "clickTracking",
	"AdUserAcceptInvitation": "acceptInvitation",
	"AdUserMinimize":         "collapse",
	"AdUserClose":            "close",
	"AdError":                "error",
}

// VPAIDErrorCode is the VAST error code of a failed VPAID creative.
const VPAIDErrorCode = 901

// VPAIDEvent maps an event of the running VPAID creative to the current
// ad's beacons: state events once each, AdPaused/AdPlaying as pause/resume
// (no resume without a pause), AdClickThru as clickTracking each time,
// AdError as Error(VPAIDErrorCode). ph is the session playhead (the stitched
// slate underneath). It reports whether the name was known and a VPAID ad
// is playing. Volume changes go through VPAIDVolume, which needs the muted
// state.
func (e *Engine) VPAIDEvent(name string, ph float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 {
		return false
	}
	ad := &e.tl.Avails()[e.avail].Ads[e.ad]
	typ, ok := vpaidMap[name]
	if !ok || ad.VPAID == nil {
		return false
	}
	switch typ {
	case "pause":
		if !e.pauseSent {
			e.fireType(ph, e.avail, e.ad, "pause")
			e.pauseSent = true
		}
	case "resume":
		if e.pauseSent {
			e.fireType(ph, e.avail, e.ad, "resume")
			e.pauseSent = false
		}
	case "skip":
		if !ad.Skipped {
			ad.Skipped = true
			e.fireType(ph, e.avail, e.ad, "skip")
		}
	case "error":
		e.adError(VPAIDErrorCode, "vpaid: AdError", ph)
	case "close":
		e.fireType(ph, e.avail, e.ad, "close")
		e.fireType(ph, e.avail, e.ad, "closeLinear")
	default:
		e.fireType(ph, e.avail, e.ad, typ)
	}
	e.status |= StatusActions
	return true
}

// VPAIDVolume maps the VPAID creative's AdVolumeChange to mute or unmute
// beacons; the caller reports only real mute⇄unmute changes (volume 0 after
// >0 and back). It reports whether a VPAID ad is playing.
func (e *Engine) VPAIDVolume(muted bool, ph float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 || e.tl.Avails()[e.avail].Ads[e.ad].VPAID == nil {
		return false
	}
	if muted {
		e.fireType(ph, e.avail, e.ad, "mute")
	} else {
		e.fireType(ph, e.avail, e.ad, "unmute")
	}
	e.status |= StatusActions
	return true
}

// Error reports that the current ad failed to play (a host player error
// during the ad, a VPAID failure): it fires the ad's error beacons and the
// break's adBreakTrackingEvents of type error, each Beacon action carrying
// code for [ERRORCODE], and emits an "error" event with the code. The ad's
// beacons go out once per ad and the break's once per break (their dedupe
// key has no ad); a repeated call for the same ad does nothing and returns
// false, as does a call outside a break. Inside a break but between ads only
// the break's error beacons fire. nowMs is unused: the beacon layer stamps
// [TIMESTAMP] when it sends.
func (e *Engine) Error(code int, ph, nowMs float64) bool {
	return e.adError(code, "ad error "+strconv.Itoa(code), ph)
}

func (e *Engine) adError(code int, msg string, ph float64) bool {
	if !inBreak(e.state) || e.avail < 0 {
		return false
	}
	a := &e.tl.Avails()[e.avail]
	if e.ad >= 0 {
		if a.Ads[e.ad].Errored {
			return false
		}
		a.Ads[e.ad].Errored = true
	} else if a.Errored {
		return false
	}
	k := len(e.actions)
	if e.ad >= 0 {
		e.fireType(ph, e.avail, e.ad, "error")
	}
	if !a.Errored {
		a.Errored = true
		for j := range a.Break {
			if ev := &a.Break[j]; ev.Type == "error" {
				e.beacon(ph, e.avail, -1, ev, -1)
			}
		}
	}
	e.event("error", ph, e.avail, e.ad, func(x *Action) { x.Message = msg })
	for i := k; i < len(e.actions); i++ {
		e.actions[i].ErrorCode = code
	}
	e.status |= StatusActions
	return true
}

// VPAIDStopped ends the running VPAID ad: the stitched slate under it is
// never shown, so the engine seeks to the end of the ad, which is the end of
// the avail when the VPAID ad is the last of its pod (later ads of a mixed
// pod still play). It emits vpaidend and reports whether a VPAID ad was
// playing.
func (e *Engine) VPAIDStopped(ph float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 {
		return false
	}
	a := &e.tl.Avails()[e.avail]
	ad := &a.Ads[e.ad]
	if ad.VPAID == nil {
		return false
	}
	to := ad.End
	if e.ad == len(a.Ads)-1 {
		to = math.Max(to, a.End)
	}
	e.event("vpaidend", ph, e.avail, e.ad, nil)
	e.seekAction(to, "vpaid", ph)
	e.status |= StatusActions
	return true
}

// UI returns the overlay state at playhead ph for the position reached by
// the last Update.
func (e *Engine) UI(ph float64) UIState {
	u := UIState{State: e.state, SkipIn: -1}
	avails := e.tl.Avails()
	if e.avail < 0 || e.avail >= len(avails) || (e.state != StateAd && e.state != StateBreak) {
		return u
	}
	a := &avails[e.avail]
	u.InAd = true
	u.AvailID = a.ID
	u.AdCount = len(a.Ads)
	u.BreakRemaining = math.Max(0, a.End-ph)
	if e.ad < 0 {
		return u
	}
	ad := &a.Ads[e.ad]
	u.AdID = ad.ID
	u.AdIndex = e.ad + 1
	u.AdDuration = ad.Duration
	u.AdPlayhead = math.Max(0, ph-ad.Start)
	u.AdRemaining = math.Max(0, ad.End-ph)
	u.ClickThrough = ad.ClickThrough != ""
	if ad.Skip >= 0 && !ad.Skipped && ad.VPAID == nil {
		u.SkipIn = math.Max(0, ad.Skip-u.AdPlayhead)
		u.Skippable = u.SkipIn == 0 && e.rendered
	}
	return u
}
