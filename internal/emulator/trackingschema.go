package emulator

// The tracking JSON types list every key of the current MediaTailor schema
// in its alphabetical order; nothing is omitted, absent data is null, "" or
// [] as in the service's responses.

type trackingResponse struct {
	Avails                       []jsonAvail `json:"avails"`
	DashAvailabilityStartTime    *string     `json:"dashAvailabilityStartTime"`
	HLSAnchorMediaSequenceNumber *int64      `json:"hlsAnchorMediaSequenceNumber"`
	NextToken                    *string     `json:"nextToken"`
	NonLinearAvails              []jsonAvail `json:"nonLinearAvails"`
}

type jsonAvail struct {
	AdBreakTrackingEvents []jsonEvent        `json:"adBreakTrackingEvents"`
	AdMarkerDuration      *string            `json:"adMarkerDuration"`
	Ads                   []jsonAd           `json:"ads"`
	AvailID               string             `json:"availId"`
	AvailProgramDateTime  *string            `json:"availProgramDateTime"`
	Duration              string             `json:"duration"`
	DurationInSeconds     float64            `json:"durationInSeconds"`
	Meta                  *string            `json:"meta"`
	NonLinearAdsList      []jsonNonLinearAds `json:"nonLinearAdsList"`
	StartTime             string             `json:"startTime"`
	StartTimeInSeconds    float64            `json:"startTimeInSeconds"`
}

type jsonAd struct {
	AdID               string          `json:"adId"`
	AdParameters       string          `json:"adParameters"`
	AdProgramDateTime  *string         `json:"adProgramDateTime"`
	AdSystem           string          `json:"adSystem"`
	AdTitle            string          `json:"adTitle"`
	AdVerifications    []jsonVerif     `json:"adVerifications"`
	CompanionAds       []jsonCompanion `json:"companionAds"`
	CreativeID         string          `json:"creativeId"`
	CreativeSequence   string          `json:"creativeSequence"`
	Duration           string          `json:"duration"`
	DurationInSeconds  float64         `json:"durationInSeconds"`
	Extensions         []jsonExtension `json:"extensions"`
	MediaFiles         jsonMediaFiles  `json:"mediaFiles"`
	SkipOffset         *string         `json:"skipOffset"`
	StartTime          string          `json:"startTime"`
	StartTimeInSeconds float64         `json:"startTimeInSeconds"`
	TrackingEvents     []jsonEvent     `json:"trackingEvents"`
	VastAdID           string          `json:"vastAdId"`
}

type jsonEvent struct {
	BeaconURLs           []string `json:"beaconUrls"`
	Duration             string   `json:"duration"`
	DurationInSeconds    float64  `json:"durationInSeconds"`
	EventID              string   `json:"eventId"`
	EventProgramDateTime *string  `json:"eventProgramDateTime"`
	EventType            string   `json:"eventType"`
	StartTime            string   `json:"startTime"`
	StartTimeInSeconds   float64  `json:"startTimeInSeconds"`
}

type jsonBreakEvent struct {
	BeaconURLs []string `json:"beaconUrls"`
	EventType  string   `json:"eventType"`
}

type jsonMediaFiles struct {
	MediaFilesList []jsonMediaFile `json:"mediaFilesList"`
	Mezzanine      string          `json:"mezzanine"`
}

type jsonMediaFile struct {
	APIFramework        string  `json:"apiFramework"`
	Bitrate             int     `json:"bitrate"`
	Codec               *string `json:"codec"`
	Delivery            string  `json:"delivery"`
	Height              int     `json:"height"`
	ID                  string  `json:"id"`
	MaintainAspectRatio bool    `json:"maintainAspectRatio"`
	MaxBitrate          int     `json:"maxBitrate"`
	MediaFileURI        string  `json:"mediaFileUri"`
	MediaType           string  `json:"mediaType"`
	MinBitrate          int     `json:"minBitrate"`
	Scalable            bool    `json:"scalable"`
	Width               int     `json:"width"`
}

// jsonCompanion is a companion as the service writes it: null for what
// the VAST leaves out, and the sequence of the companion's creative
// (player-controls page, companion example).
type jsonCompanion struct {
	AdParameters           *string            `json:"adParameters"`
	AltText                *string            `json:"altText"`
	Attributes             jsonCompanionAttrs `json:"attributes"`
	CompanionClickThrough  *string            `json:"companionClickThrough"`
	CompanionClickTracking *string            `json:"companionClickTracking"`
	HTMLResource           *string            `json:"htmlResource"`
	IFrameResource         *string            `json:"iFrameResource"`
	Sequence               *string            `json:"sequence"`
	StaticResource         *string            `json:"staticResource"`
	TrackingEvents         []jsonBreakEvent   `json:"trackingEvents"`
}

type jsonCompanionAttrs struct {
	AdSlotID       *string `json:"adSlotId"`
	APIFramework   *string `json:"apiFramework"`
	AssetHeight    *string `json:"assetHeight"`
	AssetWidth     *string `json:"assetWidth"`
	ExpandedHeight *string `json:"expandedHeight"`
	ExpandedWidth  *string `json:"expandedWidth"`
	Height         *string `json:"height"`
	ID             *string `json:"id"`
	PxRatio        *string `json:"pxratio"`
	RenderingMode  *string `json:"renderingMode"`
	Width          *string `json:"width"`
}

type jsonExtension struct {
	Content string `json:"content"`
	Type    string `json:"type"`
}

type jsonVerif struct {
	ExecutableResource     []jsonVerifRes `json:"executableResource"`
	JavaScriptResource     []jsonVerifRes `json:"javaScriptResource"`
	TrackingEvents         []jsonVerifEv  `json:"trackingEvents"`
	Vendor                 string         `json:"vendor"`
	VerificationParameters string         `json:"verificationParameters"`
}

type jsonVerifRes struct {
	APIFramework    string `json:"apiFramework"`
	BrowserOptional string `json:"browserOptional,omitempty"`
	Language        string `json:"language,omitempty"`
	Type            string `json:"type,omitempty"`
	URI             string `json:"uri"`
}

type jsonVerifEv struct {
	Event string `json:"event"`
	URI   string `json:"uri"`
}

type jsonNonLinearAds struct {
	Extensions      []jsonExtension `json:"extensions"`
	NonLinearAdList []jsonNonLinear `json:"nonLinearAdList"`
	TrackingEvents  []jsonEvent     `json:"trackingEvents"`
}

type jsonNonLinear struct {
	AdID                       string  `json:"adId"`
	AdParameters               string  `json:"adParameters"`
	AdSystem                   string  `json:"adSystem"`
	AdTitle                    string  `json:"adTitle"`
	APIFramework               string  `json:"apiFramework"`
	ClickThrough               string  `json:"clickThrough"`
	ClickTracking              string  `json:"clickTracking"`
	ClickTrackingID            string  `json:"clickTrackingId"`
	CreativeAdID               string  `json:"creativeAdId"`
	CreativeID                 string  `json:"creativeId"`
	CreativeSequence           string  `json:"creativeSequence"`
	Duration                   string  `json:"duration"`
	DurationInSeconds          float64 `json:"durationInSeconds"`
	ExpandedHeight             int     `json:"expandedHeight"`
	ExpandedWidth              int     `json:"expandedWidth"`
	Height                     int     `json:"height"`
	HTMLResource               string  `json:"htmlResource"`
	IFrameResource             string  `json:"iFrameResource"`
	MaintainAspectRatio        bool    `json:"maintainAspectRatio"`
	MinSuggestedDuration       string  `json:"minSuggestedDuration"`
	Scalable                   bool    `json:"scalable"`
	StaticResource             string  `json:"staticResource"`
	StaticResourceCreativeType string  `json:"staticResourceCreativeType"`
	Width                      int     `json:"width"`
}
