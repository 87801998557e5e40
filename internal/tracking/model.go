// Package tracking holds the MediaTailor client-side tracking model and its
// decoder.
//
// The model mirrors the JSON served at GET /v1/tracking/<account>/<origin>/<session>
// (see ../shared/reference/mediatailor-api.md §2). Every key of that JSON may be
// absent or null; absent values decode to the zero value. Durations and start
// times are kept as clock.Duration taken from the ISO-8601 strings, which carry
// nanoseconds; the *InSeconds numbers are truncated to milliseconds and are only
// used when the ISO string is missing.
package tracking

import "github.com/availkit/availkit/internal/clock"

// Response is one tracking response.
type Response struct {
	Avails          []Avail
	NonLinearAvails []Avail
	// NextToken is the paging token, "" when absent or null.
	NextToken string
	// DashAvailabilityStartTime is MPD@availabilityStartTime for live DASH
	// sessions, as sent (ISO-8601 date-time), "" when absent or null.
	DashAvailabilityStartTime string
	// HLSAnchorMediaSequence is hlsAnchorMediaSequenceNumber, sent either as a
	// number or a string; HasHLSAnchor reports whether it was present.
	HLSAnchorMediaSequence int64
	HasHLSAnchor           bool
}

// Avail is one ad break (linear in Response.Avails, overlay in
// Response.NonLinearAvails).
type Avail struct {
	AvailID               string
	StartTime             clock.Duration
	Duration              clock.Duration
	AdMarkerDuration      clock.Duration
	AvailProgramDateTime  string
	Ads                   []Ad
	AdBreakTrackingEvents []TrackingEvent
	NonLinearAdsList      []NonLinearAds

	// AdsFrom is not in the JSON: it is the position of Ads[0] in the
	// avail's list when a caller merges a large avail's ads in parts.
	AdsFrom int
}

// Ad is one linear ad of an avail.
type Ad struct {
	AdID              string
	VastAdID          string
	AdSystem          string
	AdTitle           string
	CreativeID        string
	CreativeSequence  string
	AdParameters      string
	AdProgramDateTime string
	StartTime         clock.Duration
	Duration          clock.Duration
	// SkipOffset is the VAST skipoffset as sent ("HH:MM:SS", "HH:MM:SS.mmm",
	// "n%"), "" when absent or null. See ParseSkipOffset.
	SkipOffset      string
	TrackingEvents  []TrackingEvent
	MediaFiles      MediaFiles
	CompanionAds    []CompanionAd
	AdVerifications []AdVerification
	Extensions      []Extension
}

// TrackingEvent is one beacon event of an ad or of an avail's break events.
type TrackingEvent struct {
	EventID              string
	EventType            string
	StartTime            clock.Duration
	Duration             clock.Duration
	EventProgramDateTime string
	BeaconURLs           []string
}

// MediaFiles is an ad's mediaFiles object.
type MediaFiles struct {
	MediaFilesList []MediaFile
	Mezzanine      string
}

// MediaFile is one entry of mediaFilesList.
type MediaFile struct {
	_                   [0]func() // not comparable: the core then carries no generated == for it
	ID                  string
	MediaFileURI        string
	MediaType           string
	Delivery            string
	APIFramework        string
	Codec               string
	Width               int
	Height              int
	Bitrate             int
	MinBitrate          int
	MaxBitrate          int
	Scalable            bool
	MaintainAspectRatio bool
}

// CompanionAd is one companion of a linear ad.
type CompanionAd struct {
	Attributes             CompanionAttributes
	StaticResource         string
	IFrameResource         string
	HTMLResource           string
	AdParameters           string
	AltText                string
	Sequence               string
	CompanionClickThrough  string
	CompanionClickTracking string
	// TrackingEvents accepts both {eventType, beaconUrls} and {event, uri}.
	TrackingEvents []TrackingEvent
}

// CompanionAttributes are the companion's VAST attributes, all strings as sent.
type CompanionAttributes struct {
	_              [0]func() // not comparable: the core then carries no generated == for it
	ID             string
	Width          string
	Height         string
	AssetWidth     string
	AssetHeight    string
	ExpandedWidth  string
	ExpandedHeight string
	APIFramework   string
	AdSlotID       string
	PxRatio        string
	RenderingMode  string
	// Required is the companion's "required" attribute when present
	// ("all", "any", "none"), else "".
	Required string
}

// AdVerification is one OM SDK verification entry.
type AdVerification struct {
	Vendor                 string
	JavaScriptResource     []VerificationResource
	ExecutableResource     []VerificationResource
	TrackingEvents         []TrackingEvent
	VerificationParameters string
}

// VerificationResource is a javaScriptResource or executableResource entry.
type VerificationResource struct {
	_               [0]func() // not comparable: the core then carries no generated == for it
	APIFramework    string
	BrowserOptional bool
	Type            string
	Language        string
	URI             string
}

// Extension is a VAST extension passed through as {type, content}.
type Extension struct {
	_       [0]func() // not comparable: the core then carries no generated == for it
	Type    string
	Content string
}

// NonLinearAds is one entry of an avail's nonLinearAdsList.
type NonLinearAds struct {
	NonLinearAdList []NonLinearAd
	TrackingEvents  []TrackingEvent
	Extensions      []Extension
}

// NonLinearAd is one overlay creative.
type NonLinearAd struct {
	_                          [0]func() // not comparable: the core then carries no generated == for it
	AdID                       string
	AdSystem                   string
	AdTitle                    string
	AdParameters               string
	APIFramework               string
	ClickThrough               string
	ClickTracking              string
	ClickTrackingID            string
	CreativeAdID               string
	CreativeID                 string
	CreativeSequence           string
	Duration                   clock.Duration
	MinSuggestedDuration       clock.Duration
	Width                      int
	Height                     int
	ExpandedWidth              int
	ExpandedHeight             int
	HTMLResource               string
	IFrameResource             string
	StaticResource             string
	StaticResourceCreativeType string
	MaintainAspectRatio        bool
	Scalable                   bool
}
