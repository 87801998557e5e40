package emulator

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/availkit/availkit/internal/emulator/vast"
)

// The JSON of one avail (availJSON) and of its linear ads (adJSON),
// non-linear ads and companions, as the service writes them; which avails a
// report holds and after which token is trackingbody.go's job.

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

// audioOnly reports whether every media file of a linear ad is audio.
func audioOnly(mfs []vast.MediaFile) bool {
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.Type, "audio/") {
			return false
		}
	}
	return len(mfs) > 0
}
