package tracking

import (
	"math"
	"time"
)

// Decode parses one tracking response. It is lenient where MediaTailor's
// output varies and strict where a wrong value would mislead the player:
//
//   - every key may be absent or null (zero value); unknown keys are skipped
//     at any depth;
//   - the ISO-8601 duration/startTime strings win over the *InSeconds numbers,
//     which are only a fallback;
//   - companion and verification trackingEvents may use {eventType,
//     beaconUrls} or {event, uri}; entries with neither are dropped;
//   - adParameters, duration, startTime and trackingEvents found inside
//     mediaFiles (an old documentation shape) are lifted to the ad when the
//     ad lacks its own;
//   - a value of the wrong JSON type is an *Error naming its path, e.g.
//     "tracking: avails[0].ads[1].durationInSeconds: expected number, got string".
//
// Decode never panics and keeps no reference to data.
func Decode(data []byte) (*Response, error) {
	r := new(Response)
	s := scanner{data: data, path: make([]pathElem, 0, 8)}
	if s.peek() != '{' {
		if s.peek() == 0 {
			return nil, s.syntax("")
		}
		return nil, s.typeErr("object")
	}
	if err := s.response(r); err != nil {
		return nil, err
	}
	if s.peek() != 0 {
		return nil, s.syntax("trailing data")
	}
	return r, nil
}

func (s *scanner) response(r *Response) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "avails":
			r.Avails, err = s.avails(r.Avails[:0])
		case "nonLinearAvails":
			r.NonLinearAvails, err = s.avails(r.NonLinearAvails[:0])
		case "nextToken":
			r.NextToken, err = s.str()
		case "dashAvailabilityStartTime":
			r.DashAvailabilityStartTime, err = s.str()
		case "hlsAnchorMediaSequenceNumber":
			r.HLSAnchorMediaSequence, r.HasHLSAnchor, err = s.integer()
		default:
			err = s.skip()
		}
		return err
	})
}

// timing collects an ISO-8601 value and its *InSeconds fallback.
type timing struct {
	iso     time.Duration
	secs    float64
	hasISO  bool
	hasSecs bool
}

func (t *timing) set() bool { return t.hasISO || t.hasSecs }

func (t *timing) value() time.Duration {
	if t.hasISO {
		return t.iso
	}
	if t.hasSecs {
		return secondsToDuration(t.secs)
	}
	return 0
}

func secondsToDuration(f float64) time.Duration {
	ns := math.Round(f * 1e9)
	switch {
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= math.MinInt64:
		return math.MinInt64
	case ns != ns: // NaN cannot come from JSON, but stay total
		return 0
	}
	return time.Duration(ns)
}

// isoDuration decodes an ISO-8601 duration string; ok is false for null and "".
func (s *scanner) isoDuration(t *timing) error {
	c := s.peek()
	if c != '"' {
		if c == 'n' {
			return s.literal("null")
		}
		return s.typeErr("ISO-8601 duration string")
	}
	start := s.pos
	b, err := s.rawString(false)
	if err != nil || len(b) == 0 {
		return err
	}
	d, err := ParseISODuration(string(b))
	if err != nil {
		s.pos = start
		return s.fail("invalid ISO-8601 duration " + quote(b))
	}
	t.iso, t.hasISO = d, true
	return nil
}

// looseDuration decodes either an ISO-8601 duration or a VAST clock value
// ("00:00:05"), as minSuggestedDuration comes in both forms.
func (s *scanner) looseDuration(t *timing) error {
	if s.peek() != '"' {
		return s.isoDuration(t)
	}
	save := s.pos
	b, err := s.rawString(false)
	if err != nil || len(b) == 0 {
		return err
	}
	if d, ok := parseClock(string(b)); ok {
		t.iso, t.hasISO = d, true
		return nil
	}
	s.pos = save
	return s.isoDuration(t)
}

func (s *scanner) seconds(t *timing) error {
	v, ok, err := s.float()
	if ok {
		t.secs, t.hasSecs = v, true
	}
	return err
}

func quote(b []byte) string {
	const max = 40
	if len(b) > max {
		b = append(b[:max:max], "…"...)
	}
	out := make([]byte, 0, len(b)+2)
	out = append(out, '"')
	out = append(out, b...)
	return string(append(out, '"'))
}

func (s *scanner) avails(dst []Avail) ([]Avail, error) {
	err := s.array(func(int) error {
		dst = append(dst, Avail{})
		return s.avail(&dst[len(dst)-1])
	})
	return dst, err
}

func (s *scanner) avail(a *Avail) error {
	var start, dur, marker timing
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "availId":
			a.AvailID, err = s.internText()
		case "startTime":
			err = s.isoDuration(&start)
		case "startTimeInSeconds":
			err = s.seconds(&start)
		case "duration":
			err = s.isoDuration(&dur)
		case "durationInSeconds":
			err = s.seconds(&dur)
		case "adMarkerDuration":
			err = s.isoDuration(&marker)
		case "adMarkerDurationInSeconds":
			err = s.seconds(&marker)
		case "availProgramDateTime":
			a.AvailProgramDateTime, err = s.str()
		case "ads":
			err = s.array(func(int) error {
				a.Ads = append(a.Ads, Ad{})
				return s.ad(&a.Ads[len(a.Ads)-1])
			})
		case "adBreakTrackingEvents":
			a.AdBreakTrackingEvents, err = s.trackingEvents(a.AdBreakTrackingEvents)
		case "nonLinearAdsList":
			err = s.array(func(int) error {
				a.NonLinearAdsList = append(a.NonLinearAdsList, NonLinearAds{})
				return s.nonLinearAds(&a.NonLinearAdsList[len(a.NonLinearAdsList)-1])
			})
		default:
			err = s.skip()
		}
		return err
	})
	a.StartTime, a.Duration, a.AdMarkerDuration = start.value(), dur.value(), marker.value()
	return err
}

// legacyMedia holds the ad fields an old documentation shape nests inside
// mediaFiles.
type legacyMedia struct {
	start, dur     timing
	adParameters   string
	trackingEvents []TrackingEvent
}

func (s *scanner) ad(ad *Ad) error {
	var start, dur timing
	var legacy legacyMedia
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "adId":
			ad.AdID, err = s.internText()
		case "vastAdId":
			ad.VastAdID, err = s.text()
		case "adSystem":
			ad.AdSystem, err = s.str()
		case "adTitle":
			ad.AdTitle, err = s.str()
		case "creativeId":
			ad.CreativeID, err = s.text()
		case "creativeSequence":
			ad.CreativeSequence, err = s.text()
		case "adParameters":
			ad.AdParameters, err = s.str()
		case "adProgramDateTime":
			ad.AdProgramDateTime, err = s.str()
		case "startTime":
			err = s.isoDuration(&start)
		case "startTimeInSeconds":
			err = s.seconds(&start)
		case "duration":
			err = s.isoDuration(&dur)
		case "durationInSeconds":
			err = s.seconds(&dur)
		case "skipOffset", "skipoffset":
			ad.SkipOffset, err = s.str()
		case "trackingEvents":
			ad.TrackingEvents, err = s.trackingEvents(ad.TrackingEvents)
		case "mediaFiles":
			err = s.mediaFiles(&ad.MediaFiles, &legacy)
		case "companionAds":
			err = s.array(func(int) error {
				ad.CompanionAds = append(ad.CompanionAds, CompanionAd{})
				return s.companion(&ad.CompanionAds[len(ad.CompanionAds)-1])
			})
		case "adVerifications":
			err = s.array(func(int) error {
				ad.AdVerifications = append(ad.AdVerifications, AdVerification{})
				return s.verification(&ad.AdVerifications[len(ad.AdVerifications)-1])
			})
		case "extensions":
			ad.Extensions, err = s.extensions(ad.Extensions)
		default:
			err = s.skip()
		}
		return err
	})
	if !start.set() {
		start = legacy.start
	}
	if !dur.set() {
		dur = legacy.dur
	}
	if ad.AdParameters == "" {
		ad.AdParameters = legacy.adParameters
	}
	if len(ad.TrackingEvents) == 0 {
		ad.TrackingEvents = legacy.trackingEvents
	}
	ad.StartTime, ad.Duration = start.value(), dur.value()
	return err
}

func (s *scanner) mediaFiles(m *MediaFiles, legacy *legacyMedia) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "mediaFilesList":
			err = s.array(func(int) error {
				m.MediaFilesList = append(m.MediaFilesList, MediaFile{})
				return s.mediaFile(&m.MediaFilesList[len(m.MediaFilesList)-1])
			})
		case "mezzanine":
			m.Mezzanine, err = s.str()
		case "adParameters":
			legacy.adParameters, err = s.str()
		case "startTime":
			err = s.isoDuration(&legacy.start)
		case "startTimeInSeconds":
			err = s.seconds(&legacy.start)
		case "duration":
			err = s.isoDuration(&legacy.dur)
		case "durationInSeconds":
			err = s.seconds(&legacy.dur)
		case "trackingEvents":
			legacy.trackingEvents, err = s.trackingEvents(legacy.trackingEvents)
		default:
			err = s.skip()
		}
		return err
	})
}

func (s *scanner) intField(dst *int) error {
	v, _, err := s.integer()
	if v > math.MaxInt32 || v < math.MinInt32 {
		return s.fail("integer out of range")
	}
	*dst = int(v)
	return err
}

func (s *scanner) mediaFile(f *MediaFile) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			f.ID, err = s.text()
		case "mediaFileUri":
			f.MediaFileURI, err = s.str()
		case "mediaType":
			f.MediaType, err = s.str()
		case "delivery":
			f.Delivery, err = s.str()
		case "apiFramework":
			f.APIFramework, err = s.str()
		case "codec":
			f.Codec, err = s.str()
		case "width":
			err = s.intField(&f.Width)
		case "height":
			err = s.intField(&f.Height)
		case "bitrate":
			err = s.intField(&f.Bitrate)
		case "minBitrate":
			err = s.intField(&f.MinBitrate)
		case "maxBitrate":
			err = s.intField(&f.MaxBitrate)
		case "scalable":
			f.Scalable, err = s.boolean()
		case "maintainAspectRatio":
			f.MaintainAspectRatio, err = s.boolean()
		default:
			err = s.skip()
		}
		return err
	})
}

func (s *scanner) trackingEvents(dst []TrackingEvent) ([]TrackingEvent, error) {
	// Events are collected in a scratch slice and copied out once, so a
	// list costs one allocation instead of one per growth step. Event lists
	// never nest, so one scratch slice serves every level.
	scratch := s.events[:0]
	err := s.array(func(int) error {
		var ev TrackingEvent
		if err := s.trackingEvent(&ev); err != nil {
			return err
		}
		if ev.EventType != "" || len(ev.BeaconURLs) > 0 {
			scratch = append(scratch, ev)
		}
		return nil
	})
	if len(scratch) > 0 {
		dst = append(dst[:len(dst):len(dst)], scratch...)
	}
	clear(scratch)
	s.events = scratch[:0]
	return dst, err
}

func (s *scanner) trackingEvent(ev *TrackingEvent) error {
	var start, dur timing
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "eventId":
			ev.EventID, err = s.internText()
		case "eventType", "event":
			ev.EventType, err = s.internText()
		case "beaconUrls":
			urls := s.urls[:0]
			err = s.array(func(int) error {
				u, err := s.str()
				if u != "" {
					urls = append(urls, u)
				}
				return err
			})
			if len(urls) > 0 {
				ev.BeaconURLs = append(ev.BeaconURLs[:len(ev.BeaconURLs):len(ev.BeaconURLs)], urls...)
			}
			clear(urls)
			s.urls = urls[:0]
		case "uri":
			var u string
			u, err = s.str()
			if u != "" {
				ev.BeaconURLs = append(ev.BeaconURLs, u)
			}
		case "startTime":
			err = s.isoDuration(&start)
		case "startTimeInSeconds":
			err = s.seconds(&start)
		case "duration":
			err = s.isoDuration(&dur)
		case "durationInSeconds":
			err = s.seconds(&dur)
		case "eventProgramDateTime":
			ev.EventProgramDateTime, err = s.str()
		default:
			err = s.skip()
		}
		return err
	})
	ev.StartTime, ev.Duration = start.value(), dur.value()
	return err
}

func (s *scanner) companion(c *CompanionAd) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "attributes":
			err = s.companionAttributes(&c.Attributes)
		case "staticResource":
			c.StaticResource, err = s.str()
		case "iFrameResource":
			c.IFrameResource, err = s.str()
		case "htmlResource":
			c.HTMLResource, err = s.str()
		case "adParameters":
			c.AdParameters, err = s.str()
		case "altText":
			c.AltText, err = s.str()
		case "sequence":
			c.Sequence, err = s.text()
		case "companionClickThrough":
			c.CompanionClickThrough, err = s.str()
		case "companionClickTracking":
			c.CompanionClickTracking, err = s.str()
		case "trackingEvents":
			c.TrackingEvents, err = s.trackingEvents(c.TrackingEvents)
		case "required":
			c.Attributes.Required, err = s.str()
		default:
			err = s.skip()
		}
		return err
	})
}

func (s *scanner) companionAttributes(a *CompanionAttributes) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "id":
			a.ID, err = s.text()
		case "width":
			a.Width, err = s.text()
		case "height":
			a.Height, err = s.text()
		case "assetWidth":
			a.AssetWidth, err = s.text()
		case "assetHeight":
			a.AssetHeight, err = s.text()
		case "expandedWidth":
			a.ExpandedWidth, err = s.text()
		case "expandedHeight":
			a.ExpandedHeight, err = s.text()
		case "apiFramework":
			a.APIFramework, err = s.str()
		case "adSlotId", "adSlotID":
			a.AdSlotID, err = s.text()
		case "pxratio", "pxRatio":
			a.PxRatio, err = s.text()
		case "renderingMode":
			a.RenderingMode, err = s.str()
		case "required":
			a.Required, err = s.str()
		default:
			err = s.skip()
		}
		return err
	})
}

func (s *scanner) verification(v *AdVerification) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "vendor":
			v.Vendor, err = s.str()
		case "javaScriptResource":
			v.JavaScriptResource, err = s.resources(v.JavaScriptResource)
		case "executableResource":
			v.ExecutableResource, err = s.resources(v.ExecutableResource)
		case "trackingEvents":
			v.TrackingEvents, err = s.trackingEvents(v.TrackingEvents)
		case "verificationParameters":
			v.VerificationParameters, err = s.str()
		default:
			err = s.skip()
		}
		return err
	})
}

func (s *scanner) resources(dst []VerificationResource) ([]VerificationResource, error) {
	err := s.array(func(int) error {
		dst = append(dst, VerificationResource{})
		r := &dst[len(dst)-1]
		return s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "apiFramework":
				r.APIFramework, err = s.str()
			case "browserOptional":
				r.BrowserOptional, err = s.boolean()
			case "type":
				r.Type, err = s.str()
			case "language":
				r.Language, err = s.str()
			case "uri":
				r.URI, err = s.str()
			default:
				err = s.skip()
			}
			return err
		})
	})
	return dst, err
}

func (s *scanner) extensions(dst []Extension) ([]Extension, error) {
	err := s.array(func(int) error {
		var e Extension
		err := s.object(func(key []byte) error {
			var err error
			switch string(key) {
			case "type":
				e.Type, err = s.str()
			case "content":
				e.Content, err = s.str()
			default:
				err = s.skip()
			}
			return err
		})
		if e != (Extension{}) {
			dst = append(dst, e)
		}
		return err
	})
	return dst, err
}

func (s *scanner) nonLinearAds(n *NonLinearAds) error {
	return s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "nonLinearAdList":
			err = s.array(func(int) error {
				n.NonLinearAdList = append(n.NonLinearAdList, NonLinearAd{})
				return s.nonLinearAd(&n.NonLinearAdList[len(n.NonLinearAdList)-1])
			})
		case "trackingEvents":
			n.TrackingEvents, err = s.trackingEvents(n.TrackingEvents)
		case "extensions":
			n.Extensions, err = s.extensions(n.Extensions)
		default:
			err = s.skip()
		}
		return err
	})
}

func (s *scanner) nonLinearAd(a *NonLinearAd) error {
	var dur, minDur timing
	err := s.object(func(key []byte) error {
		var err error
		switch string(key) {
		case "adId":
			a.AdID, err = s.text()
		case "adSystem":
			a.AdSystem, err = s.str()
		case "adTitle":
			a.AdTitle, err = s.str()
		case "adParameters":
			a.AdParameters, err = s.str()
		case "apiFramework":
			a.APIFramework, err = s.str()
		case "clickThrough":
			a.ClickThrough, err = s.str()
		case "clickTracking":
			a.ClickTracking, err = s.str()
		case "clickTrackingId":
			a.ClickTrackingID, err = s.text()
		case "creativeAdId":
			a.CreativeAdID, err = s.text()
		case "creativeId":
			a.CreativeID, err = s.text()
		case "creativeSequence":
			a.CreativeSequence, err = s.text()
		case "duration":
			err = s.looseDuration(&dur)
		case "durationInSeconds":
			err = s.seconds(&dur)
		case "minSuggestedDuration":
			err = s.looseDuration(&minDur)
		case "minSuggestedDurationInSeconds":
			err = s.seconds(&minDur)
		case "width":
			err = s.intField(&a.Width)
		case "height":
			err = s.intField(&a.Height)
		case "expandedWidth":
			err = s.intField(&a.ExpandedWidth)
		case "expandedHeight":
			err = s.intField(&a.ExpandedHeight)
		case "htmlResource":
			a.HTMLResource, err = s.str()
		case "iFrameResource":
			a.IFrameResource, err = s.str()
		case "staticResource":
			a.StaticResource, err = s.str()
		case "staticResourceCreativeType":
			a.StaticResourceCreativeType, err = s.str()
		case "maintainAspectRatio":
			a.MaintainAspectRatio, err = s.boolean()
		case "scalable":
			a.Scalable, err = s.boolean()
		default:
			err = s.skip()
		}
		return err
	})
	a.Duration, a.MinSuggestedDuration = dur.value(), minDur.value()
	return err
}
