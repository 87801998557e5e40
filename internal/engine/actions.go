package engine

// Actions: what the viewer, the host or a VPAID creative did to the
// current ad (skip, click, creative events, errors).

import (
	"math"
	"strconv"
)

// Skip skips the current ad if it has rendered and its skip offset has
// passed: it fires the ad's skip beacons and queues a Seek to the ad's end. It reports whether it
// did. VPAID ads are skipped by their creative (VPAIDEvent "AdSkipped").
func (e *Engine) Skip(ph, nowMs float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 {
		return false
	}
	ad := &e.tl.Avails()[e.avail].Ads[e.ad]
	if !e.skippable(ad) || !e.rendered || ph-ad.Start+eps < ad.Skip {
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

// vpaidEvents maps VPAID 2.0 events to tracking eventTypes (VPAID 2.0
// §2.5.3). AdUserClose fires both close and the VAST 3/4.1 closeLinear,
// AdUserMinimize both the VAST 3 collapse and minimize, whichever the ad
// has; AdInteraction is VAST 4's otherAdInteraction. AdExpandedChange goes
// through VPAIDExpanded, which needs the expanded state. It is a table
// searched by vpaidType rather than a map: Go builds a map literal with
// code run at startup (3.9 KB of the plugin's wasm for these 16 entries),
// while this array is static data.
var vpaidEvents = [...]struct{ vpaid, typ string }{
	{"AdStarted", "creativeView"},
	{"AdImpression", "impression"},
	{"AdVideoStart", "start"},
	{"AdVideoFirstQuartile", "firstQuartile"},
	{"AdVideoMidpoint", "midpoint"},
	{"AdVideoThirdQuartile", "thirdQuartile"},
	{"AdVideoComplete", "complete"},
	{"AdSkipped", "skip"},
	{"AdPaused", "pause"},
	{"AdPlaying", "resume"},
	{"AdClickThru", "clickTracking"},
	{"AdUserAcceptInvitation", "acceptInvitation"},
	{"AdUserMinimize", "minimize"},
	{"AdInteraction", "otherAdInteraction"},
	{"AdUserClose", "close"},
	{"AdError", "error"},
}

// vpaidType returns the tracking eventType of VPAID event name; ok is false
// for an event vpaidEvents does not list.
func vpaidType(name string) (typ string, ok bool) {
	for _, e := range vpaidEvents {
		if e.vpaid == name {
			return e.typ, true
		}
	}
	return "", false
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
	typ, ok := vpaidType(name)
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
	case "minimize":
		e.fireType(ph, e.avail, e.ad, "minimize")
		e.fireType(ph, e.avail, e.ad, "collapse")
	default:
		e.fireType(ph, e.avail, e.ad, typ)
	}
	e.status |= StatusActions
	return true
}

// VPAIDError ends the running VPAID ad as VPAIDEvent("AdError") does, its
// error event carrying why (the unit's AdError message, a timeout, a
// thrown initAd) after "vpaid: ". It reports whether a VPAID ad was
// playing.
func (e *Engine) VPAIDError(reason string, ph float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 || e.tl.Avails()[e.avail].Ads[e.ad].VPAID == nil {
		return false
	}
	if reason == "" {
		reason = "AdError"
	}
	e.adError(VPAIDErrorCode, "vpaid: "+reason, ph)
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

// VPAIDExpanded maps the VPAID creative's AdExpandedChange to adExpand and
// expand, or adCollapse and collapse (VAST 4.1 and VAST 3 names); the caller
// reports only real changes. It reports whether a VPAID ad is playing.
func (e *Engine) VPAIDExpanded(expanded bool, ph float64) bool {
	if e.state != StateAd || e.avail < 0 || e.ad < 0 || e.tl.Avails()[e.avail].Ads[e.ad].VPAID == nil {
		return false
	}
	if expanded {
		e.fireType(ph, e.avail, e.ad, "adExpand")
		e.fireType(ph, e.avail, e.ad, "expand")
	} else {
		e.fireType(ph, e.avail, e.ad, "adCollapse")
		e.fireType(ph, e.avail, e.ad, "collapse")
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
