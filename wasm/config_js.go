package main

import (
	"syscall/js"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/session"
	"github.com/availkit/availkit/wasm/jsconv"
)

// config is client.Options read from the options object availkit.js
// passes (the data part of SessionOptions; DOM objects and functions stay
// in JS).
type config client.Options

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
	r.Object("availSuppression", (*suppression)(&c.AvailSuppression))
	r.String("overlayAvails", &c.OverlayAvails)
	r.String("nonce", &c.Nonce)
	r.String("nonceParam", &c.NonceKey)
	r.BoolPtr("rawTracking", &c.RawTracking)
	r.Int("maxTrackingBytes", &c.MaxTrackingBytes)
	r.Int("maxEventsPerAd", &c.MaxEventsPerAd)
}

type suppression session.AvailSuppression

func (a *suppression) UnmarshalJS(r jsconv.Reader) {
	r.String("mode", &a.Mode)
	r.String("value", &a.Value)
	r.String("fillPolicy", &a.FillPolicy)
}

// hooks are the JS functions the core calls for its side effects.
type hooks struct {
	Emit       js.Value // (type, detailJSON)
	SendBeacon js.Value // (url) -> Promise<void>
	Fetch      js.Value // (url, init) -> Promise<{status, text}>
	Log        js.Value // (level, msg), optional
}

func (h *hooks) UnmarshalJS(r jsconv.Reader) {
	r.Func("emit", &h.Emit)
	r.Func("sendBeacon", &h.SendBeacon)
	r.Func("fetch", &h.Fetch)
	r.Func("log", &h.Log)
}

type manifestInfo struct {
	Live                                                         bool
	TargetDuration, MinimumUpdatePeriod, Duration, SeekableStart float64
	HasSeekableStart                                             bool
}

func (m *manifestInfo) UnmarshalJS(r jsconv.Reader) {
	r.Bool("live", &m.Live)
	r.Float("targetDuration", &m.TargetDuration)
	r.Float("minimumUpdatePeriod", &m.MinimumUpdatePeriod)
	r.Float("duration", &m.Duration)
	m.HasSeekableStart = r.Has("seekableStart")
	r.Float("seekableStart", &m.SeekableStart)
}

type trackingRequest client.TrackingRequest

func (t *trackingRequest) UnmarshalJS(r jsconv.Reader) {
	r.String("availId", &t.AvailID)
	r.String("adId", &t.AdID)
	r.String("eventType", &t.EventType)
	r.Strings("urls", &t.URLs)
	r.String("key", &t.Key)
	r.Int("reason", &t.Reason)
}

type fetchReply client.Reply

func (f *fetchReply) UnmarshalJS(r jsconv.Reader) {
	r.Int("status", &f.Status)
	r.String("text", &f.Body)
}
