package lint

import (
	"math"
	"slices"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

// Beacon is one beacon of the schedule.
type Beacon struct {
	// At is the playhead (session seconds) at which the plugin sends it;
	// -1 for beacons only a viewer's action sends (Trigger says which).
	At        float64 `json:"at"`
	Scheduled float64 `json:"scheduled"`
	AvailID   string  `json:"availId"`
	AdID      string  `json:"adId,omitempty"`
	EventType string  `json:"eventType"`
	URL       string  `json:"url"`
	// Sent is false for URLs the dispatcher refuses (about:blank, not
	// http(s)).
	Sent bool `json:"sent"`
	// Trigger is "playback"; for the rest "action" (pause, mute, …),
	// "manual" (click, skip, error, …), "vpaid" (a VPAID ad's, sent on its
	// creative's events) or "never" (a timed beacon playback did not send).
	Trigger string `json:"trigger"`
}

// schedule plays the document through the plugin's engine from 0 (or just
// before the first avail of a live document) to the end of the last avail
// without pauses or seeks, and lists the beacons in the order it sends
// them. Then come the beacons playback does not send: action and manual
// ones, and a VPAID ad's, which follow its creative's events (not
// simulated here).
func schedule(r *tracking.Response) []Beacon {
	cfg := engine.DefaultConfig()
	cfg.Live = r.HasHLSAnchor || r.DashAvailabilityStartTime != ""
	e := engine.New(cfg)
	e.Merge(r)
	tl := e.Timeline()
	// The times that matter: every event and ad boundary.
	var marks []float64
	for _, a := range tl.Avails() {
		marks = append(marks, a.Start, a.End)
		for _, ad := range a.Ads {
			marks = append(marks, ad.Start, ad.End)
		}
	}
	for _, ref := range tl.Refs() {
		marks = append(marks, tl.Event(ref).At)
	}
	if len(marks) == 0 {
		return []Beacon{}
	}
	slices.Sort(marks)
	marks = slices.Compact(marks)
	ph := 0.0
	if marks[0] > 60 {
		ph = marks[0] - 1 // a live document can start days into a stream
	}
	type key struct{ avail, ad, typ, url string }
	fired := map[key]bool{}
	out := []Beacon{}
	var acts []engine.Action
	now := 1e12 // any wall clock: only differences matter
	// One update at each mark: the engine treats a long step of normal
	// playback like many small ones (it plays through every boundary it
	// crosses) and fires an event whose time the playhead reaches; the wall
	// clock advances with the playhead, so every step is continuous
	// playback. The plugin's frame clock fires within a frame of these
	// times.
	update := func(to float64) {
		now += (to - ph) * 1000
		ph = to
		e.Update(ph, now, engine.FlagRendered)
		acts = e.Drain(acts[:0])
		for _, a := range acts {
			if a.Kind != engine.ActionBeacon {
				continue
			}
			fired[key{a.AvailID, a.AdID, a.EventType, a.URL}] = true
			out = append(out, Beacon{At: round3(a.Playhead), Scheduled: round3(a.Scheduled), AvailID: a.AvailID, AdID: a.AdID,
				EventType: a.EventType, URL: a.URL, Sent: beacon.Allowed(a.URL), Trigger: "playback"})
		}
	}
	update(ph)
	for _, m := range marks {
		if m > ph {
			update(m)
		}
	}
	update(ph + 1)
	for _, a := range tl.Avails() {
		for _, ad := range a.Ads {
			for _, ev := range ad.Events {
				trig := "manual"
				switch {
				case fired[key{a.ID, ad.ID, ev.Type, ev.URL}]:
					continue
				case ev.Kind == timeline.Action:
					trig = "action"
				case ev.Kind == timeline.Timed && ad.VPAID != nil:
					trig = "vpaid"
				case ev.Kind == timeline.Timed:
					trig = "never"
				}
				out = append(out, Beacon{At: -1, Scheduled: round3(ev.At), AvailID: a.ID, AdID: ad.ID,
					EventType: ev.Type, URL: ev.URL, Sent: beacon.Allowed(ev.URL), Trigger: trig})
			}
		}
	}
	return out
}

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// drawTimeline lists the avails as the plugin merges them.
func drawTimeline(r *tracking.Response) []Avail {
	tl := timeline.New()
	tl.Merge(r)
	out := []Avail{}
	for _, a := range tl.Avails() {
		av := Avail{ID: a.ID, Start: round3(a.Start), End: round3(a.End), Unfilled: len(a.Ads) == 0}
		for _, ad := range a.Ads {
			skip := ad.Skip
			if skip >= 0 {
				skip = round3(skip)
			}
			av.Ads = append(av.Ads, Ad{ID: ad.ID, Start: round3(ad.Start), End: round3(ad.End), VPAID: ad.VPAID != nil, Skip: skip})
		}
		out = append(out, av)
	}
	for _, n := range tl.NonLinear() {
		out = append(out, Avail{ID: n.ID, Start: round3(n.Start), End: round3(n.Start + n.Duration), Overlay: true})
	}
	return out
}
