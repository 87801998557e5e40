package client

import (
	"errors"
	"strconv"

	"github.com/availkit/availkit/internal/errchain"
	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/internal/session"
)

// The host hands its values to the core as JSON text (JSON.stringify in
// the bridge, one crossing each), so what they may hold is decided here,
// in plain Go, with the JSON path of a mismatch in the error:
//
//	client: options.adsParams.w: expected string, number or boolean, got object
//
// Unknown keys are ignored (the host's SessionOptions has DOM parts the
// core never sees); null and absent leave a field at its default.

// DecodeOptions reads the data fields of SessionOptions (web/availkit.d.ts).
func DecodeOptions(data []byte) (Options, error) {
	var o Options
	err := decodeObject(data, "options", func(s *jsonscan.Scanner, key string) error {
		switch key {
		case "sessionInitUrl":
			return str(s, &o.SessionInitURL)
		case "adsParams":
			return params(s, &o.AdsParams)
		case "originParams":
			return params(s, &o.OriginParams)
		case "sessionInitHeaders":
			return params(s, &o.SessionInitHeaders)
		case "manifestParams":
			return params(s, &o.ManifestParams)
		case "manifestUrl":
			return str(s, &o.ManifestURL)
		case "trackingUrl":
			return str(s, &o.TrackingURL)
		case "trackingMode":
			return str(s, &o.TrackingMode)
		case "pollInterval":
			return num(s, &o.PollInterval)
		case "requestTimeout":
			return num(s, &o.RequestTimeout)
		case "upcomingLead":
			return numPtr(s, &o.UpcomingLead)
		case "progressInterval":
			return numPtr(s, &o.ProgressInterval)
		case "noSkip":
			return str(s, &o.NoSkip)
		case "jumpWatched":
			return boolPtr(s, &o.JumpWatched)
		case "rawTracking":
			return boolPtr(s, &o.RawTracking)
		case "liveSnapBack":
			var b *bool
			err := boolPtr(s, &b)
			o.LiveSnapBack = b != nil && *b
			return err
		case "reportingMode":
			return str(s, &o.ReportingMode)
		case "overlayAvails":
			return str(s, &o.OverlayAvails)
		case "nonce":
			return str(s, &o.Nonce)
		case "nonceParam":
			return str(s, &o.NonceKey)
		case "maxTrackingBytes":
			return integer(s, &o.MaxTrackingBytes)
		case "maxEventsPerAd":
			return integer(s, &o.MaxEventsPerAd)
		case "availSuppression":
			return suppression(s, &o.AvailSuppression)
		}
		return macroOption(s, key, &o.Macros)
	})
	return o, err
}

// macroOption reads the macro options (MacroValues); other keys are
// skipped.
func macroOption(s *jsonscan.Scanner, key string, m *MacroValues) error {
	switch key {
	case "pageUrl":
		return str(s, &m.PageURL)
	case "domain":
		return str(s, &m.Domain)
	case "deviceUA":
		return str(s, &m.DeviceUA)
	case "clientUA":
		return str(s, &m.ClientUA)
	case "gdprConsent":
		return str(s, &m.GDPRConsent)
	case "gppString":
		return str(s, &m.GPPString)
	case "gppSectionIds":
		return list(s, &m.GPPSectionIDs)
	case "regulations":
		return list(s, &m.Regulations)
	case "playerCapabilities":
		return list(s, &m.PlayerCapabilities)
	case "withholdMacros":
		return list(s, &m.Withhold)
	case "limitAdTracking":
		return boolPtr(s, &m.LimitAdTracking)
	case "macroValues":
		return params(s, &m.Values)
	}
	return s.Skip()
}

// list reads an array of strings or numbers as text (null: nothing).
func list(s *jsonscan.Scanner, dst *[]string) error {
	if s.Peek() == 'n' {
		return s.Literal("null")
	}
	if s.Peek() != '[' {
		return s.Expected("array")
	}
	return s.Array(func(int) error {
		t, ok, err := s.RawText()
		if err != nil {
			return err
		}
		if !ok {
			return s.Expected("string or number")
		}
		*dst = append(*dst, string(t))
		return nil
	})
}

func suppression(s *jsonscan.Scanner, a *session.AvailSuppression) error {
	return s.Object(func(k []byte) error {
		switch string(k) {
		case "mode":
			return str(s, &a.Mode)
		case "value":
			return str(s, &a.Value)
		case "fillPolicy":
			return str(s, &a.FillPolicy)
		}
		return s.Skip()
	})
}

// DecodeManifestInfo reads manifestLoaded's argument: {live,
// targetDuration, minimumUpdatePeriod, duration, seekableStart}, times in
// seconds.
func DecodeManifestInfo(data []byte) (ManifestInfo, error) {
	var m ManifestInfo
	var target, period float64
	err := decodeObject(data, "manifest", func(s *jsonscan.Scanner, key string) error {
		switch key {
		case "live":
			var b *bool
			err := boolPtr(s, &b)
			m.Live = b != nil && *b
			return err
		case "targetDuration":
			return num(s, &target)
		case "minimumUpdatePeriod":
			return num(s, &period)
		case "duration":
			return num(s, &m.Duration)
		case "seekableStart":
			var p *float64
			err := numPtr(s, &p)
			if p != nil {
				m.SeekableStart, m.HasSeekableStart = *p, true
			}
			return err
		}
		return s.Skip()
	})
	m.TargetDuration, m.MinimumUpdatePeriod = secs(target), secs(period)
	return m, err
}

// DecodeTrackingRequest reads fireTracking's argument: {availId, adId,
// eventType, key, urls, reason}.
func DecodeTrackingRequest(data []byte) (TrackingRequest, error) {
	var t TrackingRequest
	err := decodeObject(data, "tracking", func(s *jsonscan.Scanner, key string) error {
		switch key {
		case "availId":
			return str(s, &t.AvailID)
		case "adId":
			return str(s, &t.AdID)
		case "eventType":
			return str(s, &t.EventType)
		case "key":
			return str(s, &t.Key)
		case "reason":
			return integer(s, &t.Reason)
		case "urls":
			return s.Array(func(int) error {
				var u string
				err := str(s, &u)
				t.URLs = append(t.URLs, u)
				return err
			})
		}
		return s.Skip()
	})
	return t, err
}

// DecodeVPAIDData reads vpaidEvent's data: {muted, volume, expanded,
// message}. A field of another type is passed over, not an error: the
// data comes from a creative (an AdError's message may be any value), and
// the event still counts.
func DecodeVPAIDData(data []byte) (VPAIDData, error) {
	var d VPAIDData
	err := decodeObject(data, "vpaid", func(s *jsonscan.Scanner, key string) error {
		switch c := s.Peek(); {
		case key == "message" && c == '"':
			d.HasMessage = true
			return str(s, &d.Message)
		case (key == "muted" || key == "expanded") && c == 't':
			d.Muted, d.Expanded = d.Muted || key == "muted", d.Expanded || key == "expanded"
			return s.Literal("true")
		case key == "volume" && (c == '-' || c >= '0' && c <= '9'):
			var v float64
			err := num(s, &v)
			d.Muted = d.Muted || v == 0
			return err
		}
		return s.Skip()
	})
	return d, err
}

// DecodeReply reads what the host's fetch resolved with: {status, text}
// (the body as text, from a fetch without arrayBuffer).
func DecodeReply(data []byte) (Reply, error) {
	var r Reply
	err := decodeObject(data, "reply", func(s *jsonscan.Scanner, key string) error {
		switch key {
		case "status":
			return integer(s, &r.Status)
		case "text":
			return str(s, &r.Body)
		}
		return s.Skip()
	})
	return r, err
}

// decodeObject scans one JSON object (null or empty input: nothing) and
// names the path of the first error after root.
func decodeObject(data []byte, root string, field func(s *jsonscan.Scanner, key string) error) error {
	if len(data) == 0 {
		return nil
	}
	var s jsonscan.Scanner
	s.Reset(data)
	err := s.Object(func(k []byte) error { return field(&s, string(k)) })
	if err == nil {
		err = s.End()
	}
	if err == nil {
		return nil
	}
	if se, ok := errchain.As[*jsonscan.Error](err); ok {
		p := root
		if se.Path != "" {
			if se.Path[0] != '[' {
				p += "."
			}
			p += se.Path
		}
		return errors.New("client: " + p + ": " + se.Msg)
	}
	return errors.New("client: " + root + ": " + err.Error())
}

func str(s *jsonscan.Scanner, dst *string) error {
	if c := s.Peek(); c != '"' && c != 'n' {
		return s.Expected("string")
	}
	v, err := s.Str()
	*dst = v
	return err
}

func num(s *jsonscan.Scanner, dst *float64) error {
	var p *float64
	err := numPtr(s, &p)
	if p != nil {
		*dst = *p
	}
	return err
}

// numPtr sets *dst to a new value for a number, leaves it for null.
func numPtr(s *jsonscan.Scanner, dst **float64) error {
	if c := s.Peek(); c != 'n' && c != '-' && (c < '0' || c > '9') {
		return s.Expected("number")
	}
	v, ok, err := s.Float()
	if ok && err == nil {
		*dst = &v
	}
	return err
}

func integer(s *jsonscan.Scanner, dst *int) error {
	var f float64
	if err := num(s, &f); err != nil {
		return err
	}
	if f != float64(int(f)) {
		return s.Fail("expected an integer, got " + strconv.FormatFloat(f, 'g', -1, 64))
	}
	*dst = int(f)
	return nil
}

// boolPtr sets *dst to a new value for true or false, leaves it for null.
func boolPtr(s *jsonscan.Scanner, dst **bool) error {
	var v bool
	switch s.Peek() {
	case 't':
		v = true
		if err := s.Literal("true"); err != nil {
			return err
		}
	case 'f':
		if err := s.Literal("false"); err != nil {
			return err
		}
	case 'n':
		return s.Literal("null")
	default:
		return s.Expected("boolean")
	}
	*dst = &v
	return nil
}

// params reads an object of strings, numbers or booleans as text: they end
// up in a URL query or a JSON body of strings ([player_params.*]).
func params(s *jsonscan.Scanner, dst *map[string]string) error {
	return s.Object(func(k []byte) error {
		key := string(k)
		var v string
		switch c := s.Peek(); {
		case c == 't' || c == 'f':
			var b *bool
			if err := boolPtr(s, &b); err != nil {
				return err
			}
			v = strconv.FormatBool(*b)
		case c == 'n':
			return s.Literal("null")
		default:
			t, ok, err := s.RawText()
			if err != nil {
				return err
			}
			if !ok {
				return s.Expected("string, number or boolean")
			}
			v = string(t)
		}
		if *dst == nil {
			*dst = map[string]string{}
		}
		(*dst)[key] = v
		return nil
	})
}
