package engine

// Firing: the beacons due by a playhead, on a player state change or on a
// call, and the impression of an ad entered anywhere.

import (
	"math"

	"github.com/availkit/availkit/internal/timeline"
)

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
		if !skip && e.anchor.on && r.At <= e.anchor.hi+eps {
			own := int(r.Avail) == e.anchor.avail &&
				((r.Ad >= 0 && int(r.Ad) == e.anchor.ad) || (r.Ad < 0 && e.anchor.brk && ev.Type == "breakStart"))
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

// Sample returns the beacon action fire would queue for the first
// tracking event of the first ad known, at that ad's start, without
// queueing it: the client runs the beacon path on it once before any
// beacon is due (client.Session.Warm). ok is false while no ad is known.
func (e *Engine) Sample() (act Action, ok bool) {
	avails := e.tl.Avails()
	for ai := range avails {
		for ki := range avails[ai].Ads {
			ad := &avails[ai].Ads[ki]
			if len(ad.Events) == 0 {
				continue
			}
			n := len(e.actions)
			e.beacon(ad.Start, ai, ki, &ad.Events[0], ad.Start)
			act = e.actions[n]
			e.actions[n] = Action{}
			e.actions = e.actions[:n]
			return act, true
		}
	}
	return Action{}, false
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
		URLIndex:  int(ev.Index),
		Scheduled: sched,
		Playhead:  ph,
		Position:  e.position(a),
		ResumeAt:  -1,
		Duration:  a.Duration,
		Count:     len(a.Ads),
	}
	if ki >= 0 {
		// The ad's facts feed macros: [PODSEQUENCE], [ASSETURI],
		// [CLICKTYPE], [INVENTORYSTATE].
		ad := &a.Ads[ki]
		act.Index, act.Ad, act.VPAID = ki+1, ad.Source, ad.VPAID
		act.ClickThrough, act.SkipOffset = ad.ClickThrough, ad.Skip
		act.AdID = a.Ads[ki].ID
		act.AdPlayhead = adPlayhead(&a.Ads[ki], ph)
		// MediaTailor never fires a VPAID ad's beacons, even in server
		// reporting mode: the creative runs in the player only.
		act.PlayerOnly = a.Ads[ki].VPAID != nil
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

// adPlayhead is ph as time into ad, within [0, Duration]: a beacon sent late
// (a long step crossed the ad) reports the ad as played to its end, never
// beyond it ([ADPLAYHEAD]).
func adPlayhead(ad *timeline.Ad, ph float64) float64 {
	return math.Min(math.Max(0, ph-ad.Start), ad.Duration)
}
