package engine

import (
	"math"

	"github.com/availkit/availkit/internal/timeline"
)

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
	if e.skippable(ad) {
		u.SkipIn = math.Max(0, ad.Skip-u.AdPlayhead)
		u.Skippable = u.SkipIn == 0 && e.rendered
	}
	return u
}

// skippable says whether ad offers a skip at all (from its skip offset on).
// A VPAID creative runs its own skip control (AdSkipped). A live stream
// offers none: the ad's end is at or past the live edge, content that
// does not exist yet, so a skip could only land the viewer back in the ad
// or at the edge, and it would count a skip for an ad left unwatched.
func (e *Engine) skippable(ad *timeline.Ad) bool {
	return ad.Skip >= 0 && !ad.Skipped && ad.VPAID == nil && !e.cfg.Live
}
