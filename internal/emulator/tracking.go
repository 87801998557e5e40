package emulator

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
)

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

// timeline abstracts how a session maps stitched ads to reported times and
// ids: HLS uses media-sequence numbers, DASH period ids.
type timeline struct {
	dash bool
	// offset is subtracted from stored starts (live HLS session zero).
	offset time.Duration
	// pdt returns the program date-time of a time, or nil.
	pdt func(time.Duration) *string
}

func ev(typ string, urls []string, start, dur time.Duration, id string, pdt *string) jsonEvent {
	if urls == nil {
		urls = []string{}
	}
	return jsonEvent{BeaconURLs: urls, Duration: formatISODuration(dur), DurationInSeconds: secondsFloorMs(dur),
		EventID: id, EventProgramDateTime: pdt, EventType: typ, StartTime: formatISODuration(start),
		StartTimeInSeconds: secondsFloorMs(start)}
}

// eventID returns the id of the segment containing time at (relative to the
// ad start): for HLS the media sequence number, for DASH the ad period id.
func (tl timeline) eventID(ad *adSlot, at time.Duration) string {
	if tl.dash {
		return ad.period
	}
	return strconv.FormatInt(ad.msn+int64(ad.segmentAt(at)), 10)
}

// segmentAt returns the position in ad.segs of the segment containing time
// at (relative to the ad start); the last one for the ad's end.
func (a *adSlot) segmentAt(at time.Duration) int {
	var t time.Duration
	for k := range a.segs {
		d := a.segDur(k)
		if at < t+d {
			return k
		}
		t += d
	}
	return len(a.segs) - 1
}

func (tl timeline) adJSON(ad *adSlot) jsonAd {
	start := ad.start - tl.offset
	if tl.dash && ad.chStart != 0 {
		start = ad.chStart
	}
	d := ad.dur
	if d == 0 {
		d = ad.duration()
	}
	lin := ad.linear
	inl := ad.res.Ad.InLine
	var pdt *string
	if tl.pdt != nil {
		pdt = tl.pdt(start)
	}
	id := ad.period
	if !tl.dash {
		id = strconv.FormatInt(ad.msn, 10)
	}
	j := jsonAd{AdID: id, AdParameters: lin.AdParameters, AdProgramDateTime: pdt, AdSystem: inl.AdSystem, AdTitle: inl.AdTitle,
		AdVerifications: []jsonVerif{}, CompanionAds: []jsonCompanion{}, CreativeID: ad.creativeID, CreativeSequence: ad.creativeSq,
		Duration: formatISODuration(d), DurationInSeconds: secondsFloorMs(d), Extensions: []jsonExtension{},
		MediaFiles: jsonMediaFiles{MediaFilesList: []jsonMediaFile{}}, StartTime: formatISODuration(start),
		StartTimeInSeconds: secondsFloorMs(start), TrackingEvents: []jsonEvent{}, VastAdID: ad.res.Ad.ID}
	if lin.SkipOffset != "" {
		so := lin.SkipOffset
		j.SkipOffset = &so
	}
	at := func(typ string, urls []string, off, dur time.Duration) {
		j.TrackingEvents = append(j.TrackingEvents, ev(typ, urls, start+off, dur, tl.eventID(ad, off), nil))
	}
	byType := map[string][]string{}
	var order []string
	addURLs := func(typ string, urls ...string) {
		if _, ok := byType[typ]; !ok {
			order = append(order, typ)
		}
		byType[typ] = append(byType[typ], urls...)
	}
	addURLs("impression", append(append([]string(nil), ad.res.WrapperImpressions...), inl.Impressions...)...)
	for _, t := range append(append([]vast.Tracking(nil), ad.res.WrapperTracking...), lin.TrackingEvents...) {
		typ := t.Event
		if typ == "progress" && t.Offset != "" {
			typ = "progress-" + t.Offset
		}
		addURLs(typ, t.URL)
	}
	var clickTrack []string
	clickTrack = append(clickTrack, ad.res.WrapperClickTracking...)
	if lin.VideoClicks != nil {
		clickTrack = append(clickTrack, lin.VideoClicks.ClickTracking...)
	}
	quart := map[string]time.Duration{"start": 0, "firstQuartile": d / 4, "midpoint": d / 2, "thirdQuartile": d * 3 / 4, "complete": d}
	for _, typ := range order {
		urls := byType[typ]
		switch {
		case typ == "impression":
			at(typ, urls, 0, d)
		case strings.HasPrefix(typ, "progress-"):
			off, err := vast.ParseClock(strings.TrimPrefix(typ, "progress-"))
			if err != nil || off > d {
				continue
			}
			at("progress", urls, off, 0)
		default:
			if off, ok := quart[typ]; ok {
				at(typ, urls, off, 0)
			} else {
				// Action events (pause, mute, skip, ...) have no schedule;
				// they are reported at the ad start.
				at(typ, urls, 0, 0)
			}
		}
	}
	if lin.VideoClicks != nil && lin.VideoClicks.ClickThrough != "" {
		at("clickThrough", []string{lin.VideoClicks.ClickThrough}, 0, 0)
	}
	if len(clickTrack) > 0 {
		at("clickTracking", clickTrack, 0, 0)
	}
	errs := append(append([]string(nil), ad.res.WrapperErrors...), inl.Errors...)
	if len(errs) > 0 {
		at("error", errs, 0, 0)
	}
	// MediaTailor lists media files for VPAID ads only; the emulator also
	// lists audio-only (MP3) creatives so the QA page's creative inspector
	// (issue 6) can find them in the tracking JSON.
	if ad.vpaid || audioOnly(lin.MediaFiles) {
		for _, mf := range lin.MediaFiles {
			j.MediaFiles.MediaFilesList = append(j.MediaFiles.MediaFilesList, jsonMediaFile{APIFramework: mf.APIFramework,
				Bitrate: mf.Bitrate, Codec: strPtr(mf.Codec), Delivery: mf.Delivery, Height: mf.Height, ID: mf.ID,
				MaintainAspectRatio: mf.MaintainAspectRatio, MaxBitrate: mf.MaxBitrate, MediaFileURI: mf.URL,
				MediaType: mf.Type, MinBitrate: mf.MinBitrate, Scalable: mf.Scalable, Width: mf.Width})
		}
		j.MediaFiles.Mezzanine = lin.Mezzanine
		if j.MediaFiles.Mezzanine == "" && ad.vpaid {
			// The service names the VPAID unit itself as the mezzanine
			// (player-controls page, VPAID example).
			for _, mf := range lin.MediaFiles {
				if strings.EqualFold(mf.APIFramework, "VPAID") {
					j.MediaFiles.Mezzanine = mf.URL
					break
				}
			}
		}
	}
	for _, c := range ad.companions {
		j.CompanionAds = append(j.CompanionAds, companionJSON(c))
	}
	for _, e := range ad.extensions {
		j.Extensions = append(j.Extensions, extensionJSON(e))
	}
	if ie, ok := iconsExtension(lin); ok {
		j.Extensions = append(j.Extensions, ie)
	}
	j.Extensions = appendInteractive(j.Extensions, lin)
	j.AdVerifications = adVerificationsJSON(inl)
	return j
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// companion is a VAST companion with the sequence of its creative.
type companion struct {
	vast.Companion
	sequence string
}

func companionJSON(c companion) jsonCompanion {
	j := jsonCompanion{AdParameters: strPtr(c.AdParameters), AltText: strPtr(c.AltText),
		Attributes: jsonCompanionAttrs{AdSlotID: strPtr(c.AdSlotID), APIFramework: strPtr(c.APIFramework),
			AssetHeight: strPtr(c.AssetHeight), AssetWidth: strPtr(c.AssetWidth), ExpandedHeight: strPtr(c.ExpandedHeight),
			ExpandedWidth: strPtr(c.ExpandedWidth), Height: strPtr(c.Height), ID: strPtr(c.ID), PxRatio: strPtr(c.PxRatio),
			RenderingMode: strPtr(c.RenderingMode), Width: strPtr(c.Width)},
		CompanionClickThrough: strPtr(c.CompanionClickThrough), HTMLResource: strPtr(c.HTMLResource),
		IFrameResource: strPtr(c.IFrameResource), Sequence: strPtr(c.sequence),
		TrackingEvents: []jsonBreakEvent{}}
	if len(c.CompanionClickTracking) > 0 {
		j.CompanionClickTracking = strPtr(c.CompanionClickTracking[0])
	}
	if c.StaticResource != nil {
		j.StaticResource = strPtr(c.StaticResource.URL)
	}
	for _, t := range c.TrackingEvents {
		j.TrackingEvents = append(j.TrackingEvents, jsonBreakEvent{BeaconURLs: []string{t.URL}, EventType: t.Event})
	}
	return j
}

// scenarioBreakEndFirst is the ad server scenario whose unfilled avails
// list breakEnd before breakStart.
const scenarioBreakEndFirst = "empty-break-end-first"

// availJSON renders av with the ads revealed so far (reveal nil: all).
func (tl timeline) availJSON(s *Session, av *avail, start, dur time.Duration, reveal func(*adSlot) bool) jsonAvail {
	j := jsonAvail{AdBreakTrackingEvents: []jsonEvent{}, Ads: []jsonAd{}, AvailID: av.id,
		Duration: formatISODuration(dur), DurationInSeconds: secondsFloorMs(dur), NonLinearAdsList: []jsonNonLinearAds{},
		StartTime: formatISODuration(start), StartTimeInSeconds: secondsFloorMs(start)}
	if tl.pdt != nil {
		j.AvailProgramDateTime = tl.pdt(start)
	}
	if av.marker > 0 {
		m := formatISODuration(av.marker)
		j.AdMarkerDuration = &m
	} else {
		m := formatISODuration(dur)
		j.AdMarkerDuration = &m
	}
	var firstID string
	for _, ad := range av.ads {
		if ad.filler || (reveal != nil && !reveal(ad)) {
			continue
		}
		a := tl.adJSON(ad)
		if firstID == "" {
			firstID = a.AdID
		}
		j.Ads = append(j.Ads, a)
	}
	base := fmt.Sprintf("%s/beacon/%s/", s.base, s.ID)
	q := fmt.Sprintf("?avail=%d&cb=[CACHEBUSTING]", av.index)
	j.AdBreakTrackingEvents = append(j.AdBreakTrackingEvents,
		ev("breakStart", []string{base + "breakStart" + q}, start, 0, av.id, nil),
		ev("breakEnd", []string{base + "breakEnd" + q}, start+dur, 0, av.id, nil))
	if len(j.Ads) == 0 && s.adsParams["scenario"] == scenarioBreakEndFirst {
		// The real service has been seen listing an unfilled avail's
		// breakEnd first (corpus real_*.json): list order is no firing
		// order, and players must be shown such a document.
		j.AdBreakTrackingEvents[0], j.AdBreakTrackingEvents[1] = j.AdBreakTrackingEvents[1], j.AdBreakTrackingEvents[0]
	}
	for _, r := range av.nonLinear {
		j.NonLinearAdsList = append(j.NonLinearAdsList, nonLinearJSON(r, start))
	}
	return j
}

func nonLinearJSON(r vast.Resolved, start time.Duration) jsonNonLinearAds {
	inl := r.Ad.InLine
	out := jsonNonLinearAds{Extensions: []jsonExtension{}, NonLinearAdList: []jsonNonLinear{}, TrackingEvents: []jsonEvent{}}
	for _, e := range inl.Extensions {
		out.Extensions = append(out.Extensions, jsonExtension{Content: strings.TrimSpace(e.Inner), Type: e.Type})
	}
	for _, c := range inl.Creatives {
		if c.NonLinearAds == nil {
			continue
		}
		out.TrackingEvents = append(out.TrackingEvents, ev("impression", append(append([]string(nil), r.WrapperImpressions...), inl.Impressions...), start, 0, r.Ad.ID, nil))
		for _, t := range c.NonLinearAds.TrackingEvents {
			out.TrackingEvents = append(out.TrackingEvents, ev(t.Event, []string{t.URL}, start, 0, r.Ad.ID, nil))
		}
		for _, nl := range c.NonLinearAds.NonLinears {
			min, _ := vast.ParseClock(nl.MinSuggestedDuration)
			j := jsonNonLinear{AdID: r.Ad.ID, AdParameters: nl.AdParameters, AdSystem: inl.AdSystem, AdTitle: inl.AdTitle,
				APIFramework: nl.APIFramework, ClickThrough: nl.ClickThrough, CreativeAdID: c.AdID, CreativeID: c.ID,
				CreativeSequence: c.Sequence, Duration: formatISODuration(min), DurationInSeconds: secondsFloorMs(min),
				ExpandedHeight: nl.ExpandedHeight, ExpandedWidth: nl.ExpandedWidth, Height: nl.Height, Width: nl.Width,
				HTMLResource: nl.HTMLResource, IFrameResource: nl.IFrameResource, MaintainAspectRatio: nl.MaintainAspectRatio,
				MinSuggestedDuration: formatISODuration(min), Scalable: nl.Scalable}
			if len(nl.ClickTracking) > 0 {
				j.ClickTracking, j.ClickTrackingID = nl.ClickTracking[0].URL, nl.ClickTracking[0].ID
			}
			if nl.StaticResource != nil {
				j.StaticResource, j.StaticResourceCreativeType = nl.StaticResource.URL, nl.StaticResource.CreativeType
			}
			out.NonLinearAdList = append(out.NonLinearAdList, j)
		}
	}
	return out
}

// Paging tokens are written as the service writes them: the base64 of
// "<ISO position>_<UTC time>_1", URL-encoded in the JSON itself
// ("…XzE%3D"; no padding when the text is a multiple of three bytes long).
// A player that sends the value back verbatim as the nextToken query value
// is understood; one that escapes it again sends "%253D", which decodes to
// "%3D" and is refused like any other bad token. The position is what
// matters.
func encodeToken(pos time.Duration, now time.Time) string {
	raw := formatISODuration(pos) + "_" + instantString(now) + "_1"
	return url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(raw)))
}

// instantString writes t in UTC as the service's tokens show it (Java's
// Instant.toString): the fraction of a second in groups of three digits,
// as few as needed, none when whole ("…52.245197Z", "…41.397920385Z").
func instantString(t time.Time) string {
	t = t.UTC()
	layout := "2006-01-02T15:04:05.000000000Z"
	switch ns := t.Nanosecond(); {
	case ns == 0:
		layout = "2006-01-02T15:04:05Z"
	case ns%1e6 == 0:
		layout = "2006-01-02T15:04:05.000Z"
	case ns%1e3 == 0:
		layout = "2006-01-02T15:04:05.000000Z"
	}
	return t.Format(layout)
}

// decodeToken reads a nextToken query value, already unescaped once by the
// URL parser: it must be plain base64.
func decodeToken(tok string) (time.Duration, error) {
	raw, err := base64.StdEncoding.DecodeString(tok)
	if err != nil {
		return 0, err
	}
	iso, _, ok := strings.Cut(string(raw), "_")
	if !ok {
		return 0, fmt.Errorf("bad token")
	}
	return parseISODuration(iso)
}

// audioOnly reports whether every media file of a linear ad is audio.
func audioOnly(mfs []vast.MediaFile) bool {
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.Type, "audio/") {
			return false
		}
	}
	return len(mfs) > 0
}
