package client

import (
	"errors"

	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/session"
)

// Options are a session's options as the host page gives them
// (SessionOptions in web/availkit.d.ts, times in seconds). Pointer fields
// tell "not given" from zero. Config maps them onto a Config.
type Options struct {
	SessionInitURL                                        string
	AdsParams, OriginParams, SessionInitHeaders           map[string]string
	ManifestURL, TrackingURL, TrackingMode                string
	PollInterval, RequestTimeout                          float64
	UpcomingLead, ProgressInterval                        *float64
	NoSkip, ReportingMode, OverlayAvails, Nonce, NonceKey string
	JumpWatched, RawTracking                              *bool
	LiveSnapBack                                          bool
	ManifestParams                                        map[string]string
	AvailSuppression                                      session.AvailSuppression
	MaxTrackingBytes, MaxEventsPerAd                      int
	// Macros are the macro options (pageUrl, gdprConsent, ...).
	Macros MacroValues
}

func secs(s float64) clock.Duration { return clock.Duration(s * float64(clock.Second)) }

// Config returns the Config for o, or an error naming a bad option.
// RawTracking defaults to false: the trackingupdate event carries the
// anchors and the nonlinear event the overlay, so only QA tools that show
// the body ask for it.
func (o *Options) Config() (Config, error) {
	ec := engine.DefaultConfig()
	p, ok := engine.ParsePolicy(o.NoSkip)
	if !ok {
		return Config{}, errors.New(`noSkip must be "last", "first", "all" or "off", not "` + o.NoSkip + `"`)
	}
	ec.NoSkip, ec.LiveSnapBack = p, o.LiveSnapBack
	if o.UpcomingLead != nil {
		ec.UpcomingLead = *o.UpcomingLead
	}
	if o.ProgressInterval != nil {
		ec.ProgressInterval = *o.ProgressInterval
	}
	if o.JumpWatched != nil {
		ec.JumpWatched = *o.JumpWatched
	}
	c := Config{
		SessionInitURL: o.SessionInitURL,
		Init: session.InitOptions{
			AdsParams: o.AdsParams, OriginParams: o.OriginParams, ManifestParams: o.ManifestParams,
			ReportingMode: o.ReportingMode, AvailSuppression: o.AvailSuppression, OverlayAvails: o.OverlayAvails,
			Nonce: o.Nonce, NonceKey: o.NonceKey,
		},
		InitHeaders: o.SessionInitHeaders, ManifestURL: o.ManifestURL, TrackingURL: o.TrackingURL,
		PollInterval: secs(o.PollInterval), RequestTimeout: secs(o.RequestTimeout), Engine: ec,
		MaxReplyBytes: o.MaxTrackingBytes, MaxEventsPerAd: o.MaxEventsPerAd,
		RawTracking: o.RawTracking != nil && *o.RawTracking,
		Macros:      o.Macros,
	}
	if o.TrackingMode == "full" {
		c.TokenMode = session.TokenFull
	}
	return c, nil
}
