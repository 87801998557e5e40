package main

import (
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/availkit/availkit/wasm/jsconv"
)

// This file is the JSON shape of everything the core hands to JavaScript
// (event details, results) and reads from it (options, replies). It is
// mirrored by web/availkit.d.ts; keep the two in step.

type errorDetail struct {
	// Kind is a session.Kind ("network", "timeout", "http", "badjson",
	// "badreply", "expired"), or "config", "internal", "ad".
	Kind string
	// Source is what failed: "init", "tracking", "host", "core", "ad".
	Source  string
	Status  int
	Message string
}

func (d errorDetail) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.StrField("kind", d.Kind)
	w.StrField("source", d.Source)
	w.IntField("status", d.Status)
	w.StrField("message", d.Message)
	w.EndObject()
}

type seekDetail struct {
	Allow    bool
	To       float64
	ResumeAt float64
	Reason   string
}

func (d seekDetail) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.BoolField("allow", d.Allow)
	w.NumField("to", d.To)
	w.NumField("resumeAt", d.ResumeAt)
	w.StrField("reason", d.Reason)
	w.EndObject()
}

type beaconDetail struct {
	EventType     string
	URL           string  // expanded
	ScheduledTime float64 // -1 for action and host beacons
	Playhead      float64
	AvailID       string
	AdID          string
	EventID       string
}

func (d beaconDetail) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.StrField("eventType", d.EventType)
	w.StrField("url", d.URL)
	w.NumField("scheduledTime", d.ScheduledTime)
	w.NumField("playhead", d.Playhead)
	w.StrField("availId", d.AvailID)
	w.StrField("adId", d.AdID)
	w.StrField("eventId", d.EventID)
	w.EndObject()
}

type beaconErrorDetail struct {
	EventType, URL, AvailID, AdID, EventID, Message string
	Attempts                                        int
}

func (d beaconErrorDetail) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.StrField("eventType", d.EventType)
	w.StrField("url", d.URL)
	w.StrField("availId", d.AvailID)
	w.StrField("adId", d.AdID)
	w.StrField("eventId", d.EventID)
	w.StrField("message", d.Message)
	w.IntField("attempts", d.Attempts)
	w.EndObject()
}

// uiJSON is engine.UIState for the overlay.
type uiJSON engine.UIState

func (u *uiJSON) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.StrField("state", u.State.String())
	w.BoolField("inAd", u.InAd)
	w.StrField("availId", u.AvailID)
	w.StrField("adId", u.AdID)
	w.IntField("adIndex", u.AdIndex)
	w.IntField("adCount", u.AdCount)
	w.NumField("adDuration", u.AdDuration)
	w.NumField("adPlayhead", u.AdPlayhead)
	w.NumField("adRemaining", u.AdRemaining)
	w.NumField("breakRemaining", u.BreakRemaining)
	w.BoolField("skippable", u.Skippable)
	w.NumField("skipIn", u.SkipIn)
	w.BoolField("clickThrough", u.ClickThrough)
	w.EndObject()
}

// markersJSON is the seek-bar marker list.
type markersJSON []timeline.Marker

func (ms markersJSON) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginArray()
	for _, m := range ms {
		w.BeginObject()
		w.StrField("availId", m.AvailID)
		w.NumField("start", m.Start)
		w.NumField("duration", m.Duration)
		w.BoolField("watched", m.Watched)
		w.EndObject()
	}
	w.EndArray()
}

type trackingUpdateDetail struct {
	Avails, NewAvails, NewAds, NewEvents, Bytes int
	NextToken                                   string
	// Raw is the response body as polled, for QA tools.
	Raw string
}

func (d trackingUpdateDetail) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.IntField("avails", d.Avails)
	w.IntField("newAvails", d.NewAvails)
	w.IntField("newAds", d.NewAds)
	w.IntField("newEvents", d.NewEvents)
	w.StrField("nextToken", d.NextToken)
	w.IntField("bytes", d.Bytes)
	w.StrField("raw", d.Raw)
	w.EndObject()
}

type initResult struct {
	ManifestURL, TrackingURL, SessionID string
}

func (d initResult) MarshalJSONTo(w *jsconv.Writer) {
	w.BeginObject()
	w.StrField("manifestUrl", d.ManifestURL)
	w.StrField("trackingUrl", d.TrackingURL)
	w.StrField("sessionId", d.SessionID)
	w.EndObject()
}

// actionEvent is the detail of an engine event. adstart and vpaidstart
// carry what the overlay, the companion renderer and the VPAID runner need:
// companions with the tracking JSON's keys, and vpaid (null when the ad has
// no VPAID media file).
type actionEvent struct{ a *engine.Action }

func (e actionEvent) MarshalJSONTo(w *jsconv.Writer) {
	a := e.a
	w.BeginObject()
	w.StrField("availId", a.AvailID)
	w.StrField("adId", a.AdID)
	w.IntField("index", a.Index)
	w.IntField("count", a.Count)
	w.NumField("duration", a.Duration)
	w.NumField("skipOffset", a.SkipOffset)
	w.NumField("playhead", a.Playhead)
	w.NumField("adPlayhead", a.AdPlayhead)
	w.NumField("remaining", a.Remaining)
	w.StrField("position", a.Position.String())
	switch a.Name {
	case "adstart", "vpaidstart":
		w.StrField("clickThrough", a.ClickThrough)
		var ad tracking.Ad
		if a.Ad != nil {
			ad = *a.Ad
		}
		w.StrField("adTitle", ad.AdTitle)
		w.StrField("adSystem", ad.AdSystem)
		w.StrField("creativeId", ad.CreativeID)
		w.Key("companions")
		w.BeginArray()
		for i := range ad.CompanionAds {
			writeCompanion(w, &ad.CompanionAds[i])
		}
		w.EndArray()
		w.Key("vpaid")
		if m := a.VPAID; m != nil {
			w.BeginObject()
			w.StrField("mediaFileUri", m.MediaFileURI)
			w.StrField("adParameters", ad.AdParameters)
			w.IntField("width", m.Width)
			w.IntField("height", m.Height)
			w.NumField("duration", a.Duration)
			w.StrField("mediaType", m.MediaType)
			w.EndObject()
		} else {
			w.Null()
		}
	case "adend":
		w.BoolField("skipped", a.Skipped)
	case "adbreakupcoming":
		w.NumField("start", a.To)
	case "nonlinear":
		// availkit.js adds the avail as sent (nonLinearAdsList).
		w.NumField("start", a.Scheduled)
	case "snapback":
		w.NumField("from", a.From)
		w.NumField("to", a.To)
		w.NumField("resumeAt", a.ResumeAt)
	case "error":
		w.StrField("kind", "ad")
		w.StrField("source", "ad")
		w.IntField("code", a.ErrorCode)
		w.StrField("message", a.Message)
	}
	w.EndObject()
}

func writeCompanion(w *jsconv.Writer, c *tracking.CompanionAd) {
	at := &c.Attributes
	w.BeginObject()
	w.Key("attributes")
	w.BeginObject()
	w.StrField("id", at.ID)
	w.StrField("width", at.Width)
	w.StrField("height", at.Height)
	w.StrField("assetWidth", at.AssetWidth)
	w.StrField("assetHeight", at.AssetHeight)
	w.StrField("expandedWidth", at.ExpandedWidth)
	w.StrField("expandedHeight", at.ExpandedHeight)
	w.StrField("apiFramework", at.APIFramework)
	w.StrField("adSlotId", at.AdSlotID)
	w.StrField("pxratio", at.PxRatio)
	w.StrField("renderingMode", at.RenderingMode)
	if at.Required != "" {
		w.StrField("required", at.Required)
	}
	w.EndObject()
	w.StrField("staticResource", c.StaticResource)
	w.StrField("iFrameResource", c.IFrameResource)
	w.StrField("htmlResource", c.HTMLResource)
	w.StrField("adParameters", c.AdParameters)
	w.StrField("altText", c.AltText)
	w.StrField("sequence", c.Sequence)
	w.StrField("companionClickThrough", c.CompanionClickThrough)
	w.StrField("companionClickTracking", c.CompanionClickTracking)
	w.Key("trackingEvents")
	w.BeginArray()
	for _, t := range c.TrackingEvents {
		w.BeginObject()
		w.StrField("eventType", t.EventType)
		w.Key("beaconUrls")
		w.Strings(t.BeaconURLs)
		w.EndObject()
	}
	w.EndArray()
	w.EndObject()
}

// ---- from JavaScript ----

func (c *config) UnmarshalJS(r jsconv.Reader) {
	r.String("sessionInitUrl", &c.SessionInitURL)
	r.Params("adsParams", &c.AdsParams)
	r.Params("originParams", &c.OriginParams)
	r.Params("sessionInitHeaders", &c.SessionInitHeaders)
	r.String("manifestUrl", &c.ManifestURL)
	r.String("trackingUrl", &c.TrackingURL)
	r.String("trackingMode", &c.TrackingMode)
	r.Float("pollInterval", &c.PollInterval)
	r.FloatPtr("upcomingLead", &c.UpcomingLead)
	r.FloatPtr("progressInterval", &c.ProgressInterval)
	r.Float("requestTimeout", &c.RequestTimeout)
	r.String("noSkip", &c.NoSkip)
	r.BoolPtr("jumpWatched", &c.JumpWatched)
	r.Bool("liveSnapBack", &c.LiveSnapBack)
	r.String("reportingMode", &c.ReportingMode)
	r.Params("manifestParams", &c.ManifestParams)
	r.Object("availSuppression", &c.AvailSuppression)
	r.String("overlayAvails", &c.OverlayAvails)
	r.String("nonce", &c.Nonce)
	r.String("nonceParam", &c.NonceParam)
}

func (a *availSuppression) UnmarshalJS(r jsconv.Reader) {
	r.String("mode", &a.Mode)
	r.String("value", &a.Value)
	r.String("fillPolicy", &a.FillPolicy)
}

func (h *hooks) UnmarshalJS(r jsconv.Reader) {
	r.Func("emit", &h.Emit)
	r.Func("sendBeacon", &h.SendBeacon)
	r.Func("fetch", &h.Fetch)
	r.Func("log", &h.Log)
}

type manifestInfo struct {
	Live                                          bool
	TargetDuration, MinimumUpdatePeriod, Duration float64
}

func (m *manifestInfo) UnmarshalJS(r jsconv.Reader) {
	r.Bool("live", &m.Live)
	r.Float("targetDuration", &m.TargetDuration)
	r.Float("minimumUpdatePeriod", &m.MinimumUpdatePeriod)
	r.Float("duration", &m.Duration)
}

type trackingRequest struct {
	AvailID, AdID, EventType, Key string
	URLs                          []string
}

func (t *trackingRequest) UnmarshalJS(r jsconv.Reader) {
	r.String("availId", &t.AvailID)
	r.String("adId", &t.AdID)
	r.String("eventType", &t.EventType)
	r.Strings("urls", &t.URLs)
	r.String("key", &t.Key)
}

type fetchReply struct {
	Status int
	Text   string
}

func (f *fetchReply) UnmarshalJS(r jsconv.Reader) {
	r.Int("status", &f.Status)
	r.String("text", &f.Text)
}
