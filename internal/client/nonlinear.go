package client

import (
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/tracking"
)

// writeNonLinearAvail adds the overlay avail of a "nonlinear" event to its
// detail with the tracking JSON's keys (nonLinearAdsList and the avail's
// times), so the overlay renderer needs nothing but the event: the host no
// longer parses the tracking body itself to find it. Durations are written
// in seconds. availId is already in the detail.
func writeNonLinearAvail(w *jsonw.Writer, a *tracking.Avail) {
	if a == nil {
		return
	}
	w.NumField("startTimeInSeconds", seconds(a.StartTime))
	w.NumField("durationInSeconds", seconds(a.Duration))
	w.Key("nonLinearAdsList")
	w.BeginArray()
	for i := range a.NonLinearAdsList {
		g := &a.NonLinearAdsList[i]
		w.BeginObject()
		w.Key("nonLinearAdList")
		w.BeginArray()
		for j := range g.NonLinearAdList {
			writeNonLinearAd(w, &g.NonLinearAdList[j])
		}
		w.EndArray()
		writeTrackingEvents(w, g.TrackingEvents)
		w.EndObject()
	}
	w.EndArray()
}

func writeNonLinearAd(w *jsonw.Writer, n *tracking.NonLinearAd) {
	w.BeginObject()
	w.StrField("adId", n.AdID)
	w.StrField("adSystem", n.AdSystem)
	w.StrField("adTitle", n.AdTitle)
	w.StrField("adParameters", n.AdParameters)
	w.StrField("apiFramework", n.APIFramework)
	w.StrField("clickThrough", n.ClickThrough)
	w.StrField("clickTracking", n.ClickTracking)
	w.StrField("clickTrackingId", n.ClickTrackingID)
	w.StrField("creativeAdId", n.CreativeAdID)
	w.StrField("creativeId", n.CreativeID)
	w.StrField("creativeSequence", n.CreativeSequence)
	w.NumField("durationInSeconds", seconds(n.Duration))
	w.NumField("minSuggestedDurationInSeconds", seconds(n.MinSuggestedDuration))
	w.IntField("width", n.Width)
	w.IntField("height", n.Height)
	w.IntField("expandedWidth", n.ExpandedWidth)
	w.IntField("expandedHeight", n.ExpandedHeight)
	w.StrField("htmlResource", n.HTMLResource)
	w.StrField("iFrameResource", n.IFrameResource)
	w.StrField("staticResource", n.StaticResource)
	w.StrField("staticResourceCreativeType", n.StaticResourceCreativeType)
	w.BoolField("maintainAspectRatio", n.MaintainAspectRatio)
	w.BoolField("scalable", n.Scalable)
	w.EndObject()
}

func seconds(d clock.Duration) float64 { return d.Seconds() }
