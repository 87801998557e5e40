package client

import (
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/internal/tracking"
)

// This file is the JSON shape of every event detail and result the Session
// hands to its host. It is mirrored by web/availkit.d.ts; keep the two in
// step.

// Event names emitted by the Session itself; engine events ("adstart",
// "adbreakend", "nonlinear", …) keep the name of their engine.Action.
const (
	EventReady          = "ready"
	EventTrackingUpdate = "trackingupdate"
	EventError          = "error"
	EventBeacon         = "beacon"
	EventBeaconError    = "beaconerror"
)

// Error kinds that are not a session.Kind.
const (
	KindConfig   = "config"   // the host passed a bad option or argument
	KindInternal = "internal" // a core bug, recovered
	KindAd       = "ad"       // an ad failed to play
)

// ErrorDetail is the detail of an "error" event, and what a failed Init
// reports.
type ErrorDetail struct {
	_ [0]func() // not comparable: the core then carries no generated == for it
	// Kind is a session.Kind ("network", "timeout", "http", "badjson",
	// "badreply", "expired"), or KindConfig, KindInternal, KindAd.
	Kind string
	// Source is what failed: "init", "tracking", "host", "core", "ad".
	Source string
	// Status is the HTTP status, 0 when none was received.
	Status int
	// Message is the whole error text; ServerMessage is MediaTailor's own
	// message (its JSON "message"), "" when the reply had none.
	Message, ServerMessage string
}

// MarshalJSONTo writes the detail.
func (d ErrorDetail) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.StrField("kind", d.Kind)
	w.StrField("source", d.Source)
	w.IntField("status", d.Status)
	w.StrField("message", d.Message)
	if d.ServerMessage != "" {
		w.StrField("serverMessage", d.ServerMessage)
	}
	w.EndObject()
}

// SeekResult is engine.SeekDecision for the host ("seek" results and the
// seek of a flush batch).
type SeekResult engine.SeekDecision

// MarshalJSONTo writes the decision.
func (d SeekResult) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.BoolField("allow", d.Allow)
	w.NumField("to", d.To)
	w.NumField("resumeAt", d.ResumeAt)
	w.StrField("reason", d.Reason)
	w.EndObject()
}

type beaconDetail struct {
	_             [0]func() // not comparable: the core then carries no generated == for it
	EventType     string
	URL           string  // expanded
	ScheduledTime float64 // -1 for action and host beacons
	Playhead      float64
	AvailID       string
	AdID          string
	EventID       string
	FiredBy       string // beacon.FiredByPlayer or FiredByServer
}

func (d beaconDetail) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.StrField("eventType", d.EventType)
	w.StrField("url", d.URL)
	w.NumField("scheduledTime", d.ScheduledTime)
	w.NumField("playhead", d.Playhead)
	w.StrField("availId", d.AvailID)
	w.StrField("adId", d.AdID)
	w.StrField("eventId", d.EventID)
	w.StrField("firedBy", d.FiredBy)
	w.EndObject()
}

type beaconErrorDetail struct {
	_                                               [0]func() // not comparable: the core then carries no generated == for it
	EventType, URL, AvailID, AdID, EventID, Message string
	Attempts                                        int
}

func (d beaconErrorDetail) MarshalJSONTo(w *jsonw.Writer) {
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

func (u *uiJSON) MarshalJSONTo(w *jsonw.Writer) {
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

func (ms markersJSON) MarshalJSONTo(w *jsonw.Writer) {
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
	_                                                   [0]func() // not comparable: the core then carries no generated == for it
	Avails, NewAvails, NewAds, NewEvents, Bytes, Pruned int
	NextToken                                           string
	// HLSAnchor and DashAST are the response's live anchors
	// (hlsAnchorMediaSequenceNumber, dashAvailabilityStartTime), which the
	// player adapters re-base their clocks on; omitted when absent.
	HLSAnchor    int64
	HasHLSAnchor bool
	DashAST      string
	// Raw is the response body as polled when Config.RawTracking asks for
	// it (QA tools); omitted otherwise.
	Raw    string
	HasRaw bool
}

func (d trackingUpdateDetail) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.IntField("avails", d.Avails)
	w.IntField("newAvails", d.NewAvails)
	w.IntField("newAds", d.NewAds)
	w.IntField("newEvents", d.NewEvents)
	w.IntField("pruned", d.Pruned)
	w.StrField("nextToken", d.NextToken)
	w.IntField("bytes", d.Bytes)
	if d.HasHLSAnchor {
		w.IntField("hlsAnchorMediaSequenceNumber", int(d.HLSAnchor))
	}
	if d.DashAST != "" {
		w.StrField("dashAvailabilityStartTime", d.DashAST)
	}
	if d.HasRaw {
		w.StrField("raw", d.Raw)
	}
	w.EndObject()
}

// InitResult is what a successful Init resolves with (and the "ready"
// detail).
type InitResult struct {
	_                                   [0]func() // not comparable: the core then carries no generated == for it
	ManifestURL, TrackingURL, SessionID string
}

// MarshalJSONTo writes the result.
func (d InitResult) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.StrField("manifestUrl", d.ManifestURL)
	w.StrField("trackingUrl", d.TrackingURL)
	w.StrField("sessionId", d.SessionID)
	w.EndObject()
}

// actionEvent is the detail of an engine event. adstart and vpaidstart
// carry what the overlay, the companion renderer and the VPAID runner need:
// companions with the tracking JSON's keys, and vpaid (null when the ad has
// no VPAID media file). nonlinear carries the overlay avail as MediaTailor
// sent it (nonlinear.go).
type actionEvent struct{ a *engine.Action }

func (e actionEvent) MarshalJSONTo(w *jsonw.Writer) {
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
		writeAdStart(w, a)
	case "adend":
		w.BoolField("skipped", a.Skipped)
	case "adbreakupcoming":
		w.NumField("start", a.To)
	case "nonlinear":
		w.NumField("start", a.Scheduled)
		writeNonLinearAvail(w, a.NonLinear)
	case "snapback":
		w.NumField("from", a.From)
		w.NumField("to", a.To)
		w.NumField("resumeAt", a.ResumeAt)
	case "error":
		w.StrField("kind", KindAd)
		w.StrField("source", "ad")
		// status keeps every error detail one shape for hosts (no HTTP
		// request failed here).
		w.IntField("status", 0)
		w.IntField("code", a.ErrorCode)
		w.StrField("message", a.Message)
	}
	w.EndObject()
}

func writeAdStart(w *jsonw.Writer, a *engine.Action) {
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
	writeAdExt(w, &ad, a.Duration)
	writeSIMID(w, &ad)
	w.Key("vpaid")
	m := a.VPAID
	if m == nil {
		w.Null()
		return
	}
	w.BeginObject()
	w.StrField("mediaFileUri", m.MediaFileURI)
	w.StrField("adParameters", ad.AdParameters)
	w.IntField("width", m.Width)
	w.IntField("height", m.Height)
	w.NumField("duration", a.Duration)
	w.StrField("mediaType", m.MediaType)
	w.EndObject()
}

func writeCompanion(w *jsonw.Writer, c *tracking.CompanionAd) {
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
	writeTrackingEvents(w, c.TrackingEvents)
	w.EndObject()
}

func writeTrackingEvents(w *jsonw.Writer, evs []tracking.TrackingEvent) {
	w.Key("trackingEvents")
	w.BeginArray()
	for _, t := range evs {
		w.BeginObject()
		w.StrField("eventType", t.EventType)
		w.Key("beaconUrls")
		w.Strings(t.BeaconURLs)
		w.EndObject()
	}
	w.EndArray()
}
