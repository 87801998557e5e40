package tracking

import (
	"math"
	"strconv"

	"github.com/availkit/availkit/internal/clock"
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
	d := NewDecoder(data)
	if _, err := d.Step(math.MaxInt); err != nil {
		return nil, err
	}
	return d.Response(), nil
}

// timing collects an ISO-8601 value and its *InSeconds fallback.
type timing struct {
	iso     clock.Duration
	secs    float64
	hasISO  bool
	hasSecs bool
}

func (t *timing) set() bool { return t.hasISO || t.hasSecs }

func (t *timing) value() clock.Duration {
	if t.hasISO {
		return t.iso
	}
	if t.hasSecs {
		return secondsToDuration(t.secs)
	}
	return 0
}

func secondsToDuration(f float64) clock.Duration {
	ns := math.Round(f * 1e9)
	switch {
	case ns >= math.MaxInt64:
		return math.MaxInt64
	case ns <= math.MinInt64:
		return math.MinInt64
	case ns != ns: // NaN cannot come from JSON, but stay total
		return 0
	}
	return clock.Duration(ns)
}

// isoDuration decodes an ISO-8601 duration string into t, or with hms
// set also a VAST clock value ("00:00:05"), as minSuggestedDuration comes in
// both forms. null and "" leave t unset so the *InSeconds fallback applies.
func (s *decoder) isoDuration(t *timing, hms bool) error {
	c := s.Peek()
	if c != '"' {
		if c == 'n' {
			return s.Literal("null")
		}
		return s.Expected("ISO-8601 duration string")
	}
	start := s.Offset()
	b, err := s.RawString()
	if err != nil || len(b) == 0 {
		return err
	}
	d, ok := clock.Duration(0), false
	if hms {
		d, ok = parseClock(string(b))
	}
	if !ok {
		if d, err = ParseISODuration(string(b)); err != nil {
			return s.FailAt(start, "invalid ISO-8601 duration "+quote(b))
		}
	}
	if d < 0 {
		// Every time and duration of a tracking response counts from the
		// session start or the ad start; a negative one would make an ad
		// end before it begins (or be skippable at once).
		return s.FailAt(start, "negative duration "+quote(b))
	}
	t.iso, t.hasISO = d, true
	return nil
}

func (s *decoder) seconds(t *timing) error {
	start := s.Offset()
	v, ok, err := s.Float()
	if ok && err == nil && v < 0 {
		return s.FailAt(start, "negative time "+strconv.FormatFloat(v, 'g', -1, 64))
	}
	if ok {
		t.secs, t.hasSecs = v, true
	}
	return err
}

// field kinds for target.
const (
	fSkip   = iota
	fStr    // string or null
	fText   // string, number or null (identifiers, VAST attributes)
	fIntern // like fText, for values repeated across a response
	fISO    // ISO-8601 duration
	fLoose  // ISO-8601 duration or HH:MM:SS
	fSecs   // *InSeconds number
	fInt    // integer (number or numeric string)
	fBool   // boolean (or "true"/"false")
)

// target is where one object member goes. The per-struct switches only pick
// a target and decode runs the one matching decoder: keeping the decoding
// calls out of the many switch cases keeps the wasm code small.
type target struct {
	kind uint8
	str  *string
	tm   *timing
	n    *int
	b    *bool
}

func (s *decoder) decode(t *target) error {
	var err error
	switch t.kind {
	case fStr:
		*t.str, err = s.Str()
	case fText:
		*t.str, err = s.Text()
	case fIntern:
		*t.str, err = s.internText()
	case fISO:
		err = s.isoDuration(t.tm, false)
	case fLoose:
		err = s.isoDuration(t.tm, true)
	case fSecs:
		err = s.seconds(t.tm)
	case fInt:
		err = s.intField(t.n)
	case fBool:
		*t.b, err = s.boolean()
	default:
		err = s.Skip()
	}
	return err
}

func str(p *string) target      { return target{kind: fStr, str: p} }
func text(p *string) target     { return target{kind: fText, str: p} }
func intern(p *string) target   { return target{kind: fIntern, str: p} }
func iso(t *timing) target      { return target{kind: fISO, tm: t} }
func secs(t *timing) target     { return target{kind: fSecs, tm: t} }
func integer(p *int) target     { return target{kind: fInt, n: p} }
func boolean(p *bool) target    { return target{kind: fBool, b: p} }
func looseISO(t *timing) target { return target{kind: fLoose, tm: t} }

func (s *decoder) avail(a *Avail) error {
	var start, dur, marker timing
	err := s.Object(func(key []byte) error {
		var t target
		switch string(key) {
		case "availId":
			t = intern(&a.AvailID)
		case "startTime":
			t = iso(&start)
		case "startTimeInSeconds":
			t = secs(&start)
		case "duration":
			t = iso(&dur)
		case "durationInSeconds":
			t = secs(&dur)
		case "adMarkerDuration":
			t = iso(&marker)
		case "adMarkerDurationInSeconds":
			t = secs(&marker)
		case "availProgramDateTime":
			t = str(&a.AvailProgramDateTime)
		case "ads":
			return s.Array(func(int) error {
				if err := s.checkpoint(); err != nil {
					return err
				}
				a.Ads = append(a.Ads, Ad{})
				return s.ad(&a.Ads[len(a.Ads)-1])
			})
		case "adBreakTrackingEvents":
			var err error
			a.AdBreakTrackingEvents, err = s.trackingEvents(a.AdBreakTrackingEvents)
			return err
		case "nonLinearAdsList":
			return s.Array(func(int) error {
				a.NonLinearAdsList = append(a.NonLinearAdsList, NonLinearAds{})
				return s.nonLinearAds(&a.NonLinearAdsList[len(a.NonLinearAdsList)-1])
			})
		}
		return s.decode(&t)
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

func (s *decoder) ad(ad *Ad) error {
	var start, dur timing
	var legacy legacyMedia
	err := s.Object(func(key []byte) error {
		var t target
		var err error
		switch string(key) {
		case "adId":
			t = intern(&ad.AdID)
		case "vastAdId":
			t = text(&ad.VastAdID)
		case "adSystem":
			t = str(&ad.AdSystem)
		case "adTitle":
			t = str(&ad.AdTitle)
		case "creativeId":
			t = text(&ad.CreativeID)
		case "creativeSequence":
			t = text(&ad.CreativeSequence)
		case "adParameters":
			t = str(&ad.AdParameters)
		case "adProgramDateTime":
			t = str(&ad.AdProgramDateTime)
		case "startTime":
			t = iso(&start)
		case "startTimeInSeconds":
			t = secs(&start)
		case "duration":
			t = iso(&dur)
		case "durationInSeconds":
			t = secs(&dur)
		case "skipOffset", "skipoffset":
			t = str(&ad.SkipOffset)
		case "trackingEvents":
			ad.TrackingEvents, err = s.trackingEvents(ad.TrackingEvents)
			return err
		case "mediaFiles":
			return s.mediaFiles(&ad.MediaFiles, &legacy)
		case "companionAds":
			return s.Array(func(int) error {
				ad.CompanionAds = append(ad.CompanionAds, CompanionAd{})
				return s.companion(&ad.CompanionAds[len(ad.CompanionAds)-1])
			})
		case "adVerifications":
			return s.Array(func(int) error {
				ad.AdVerifications = append(ad.AdVerifications, AdVerification{})
				return s.verification(&ad.AdVerifications[len(ad.AdVerifications)-1])
			})
		case "extensions":
			ad.Extensions, err = s.extensions(ad.Extensions)
			return err
		}
		return s.decode(&t)
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

func (s *decoder) mediaFiles(m *MediaFiles, legacy *legacyMedia) error {
	return s.Object(func(key []byte) error {
		var t target
		var err error
		switch string(key) {
		case "mediaFilesList":
			return s.Array(func(int) error {
				m.MediaFilesList = append(m.MediaFilesList, MediaFile{})
				return s.mediaFile(&m.MediaFilesList[len(m.MediaFilesList)-1])
			})
		case "mezzanine":
			t = str(&m.Mezzanine)
		case "adParameters":
			t = str(&legacy.adParameters)
		case "startTime":
			t = iso(&legacy.start)
		case "startTimeInSeconds":
			t = secs(&legacy.start)
		case "duration":
			t = iso(&legacy.dur)
		case "durationInSeconds":
			t = secs(&legacy.dur)
		case "trackingEvents":
			legacy.trackingEvents, err = s.trackingEvents(legacy.trackingEvents)
			return err
		}
		return s.decode(&t)
	})
}

func (s *decoder) intField(dst *int) error {
	v, _, err := s.integer()
	if v > math.MaxInt32 || v < math.MinInt32 {
		return s.Fail("integer out of range")
	}
	*dst = int(v)
	return err
}

func (s *decoder) mediaFile(f *MediaFile) error {
	return s.Object(func(key []byte) error {
		var t target
		switch string(key) {
		case "id":
			t = text(&f.ID)
		case "mediaFileUri":
			t = str(&f.MediaFileURI)
		case "mediaType":
			t = str(&f.MediaType)
		case "delivery":
			t = str(&f.Delivery)
		case "apiFramework":
			t = str(&f.APIFramework)
		case "codec":
			t = str(&f.Codec)
		case "width":
			t = integer(&f.Width)
		case "height":
			t = integer(&f.Height)
		case "bitrate":
			t = integer(&f.Bitrate)
		case "minBitrate":
			t = integer(&f.MinBitrate)
		case "maxBitrate":
			t = integer(&f.MaxBitrate)
		case "scalable":
			t = boolean(&f.Scalable)
		case "maintainAspectRatio":
			t = boolean(&f.MaintainAspectRatio)
		}
		return s.decode(&t)
	})
}

func (s *decoder) trackingEvents(dst []TrackingEvent) ([]TrackingEvent, error) {
	// Events are collected in a scratch slice and copied out once, so a
	// list costs one allocation instead of one per growth step. Event lists
	// never nest, so one scratch slice serves every level.
	scratch := s.events[:0]
	err := s.Array(func(int) error {
		if err := s.checkpoint(); err != nil {
			return err
		}
		// Decoded in place: an event is copied once, when the list is.
		scratch = append(scratch, TrackingEvent{})
		ev := &scratch[len(scratch)-1]
		if err := s.trackingEvent(ev); err != nil {
			return err
		}
		if ev.EventType == "" && len(ev.BeaconURLs) == 0 {
			scratch = scratch[:len(scratch)-1]
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

func (s *decoder) trackingEvent(ev *TrackingEvent) error {
	var start, dur timing
	var uri string
	err := s.Object(func(key []byte) error {
		var t target
		switch string(key) {
		case "eventId":
			t = intern(&ev.EventID)
		case "eventType", "event":
			t = intern(&ev.EventType)
		case "beaconUrls":
			return s.beaconURLs(ev)
		case "uri":
			t = str(&uri)
		case "startTime":
			t = iso(&start)
		case "startTimeInSeconds":
			t = secs(&start)
		case "duration":
			t = iso(&dur)
		case "durationInSeconds":
			t = secs(&dur)
		case "eventProgramDateTime":
			t = str(&ev.EventProgramDateTime)
		}
		return s.decode(&t)
	})
	if uri != "" {
		ev.BeaconURLs = append(ev.BeaconURLs, uri)
	}
	ev.StartTime, ev.Duration = start.value(), dur.value()
	return err
}

func (s *decoder) beaconURLs(ev *TrackingEvent) error {
	urls := s.urls[:0]
	err := s.Array(func(int) error {
		u, err := s.Str()
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
	return err
}
