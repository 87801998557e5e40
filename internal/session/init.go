// Package session builds the MediaTailor session-initialization request,
// interprets its reply and schedules tracking polls. It performs no I/O:
// callers send the bytes, pass the clock in and report results back, so the
// same code runs natively in tests and under wasm.
package session

import (
	"slices"

	"github.com/availkit/availkit/internal/httpurl"
	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/internal/jsonw"
)

// InitOptions is the content of a session-initialization POST.
type InitOptions struct {
	// AdsParams feed [player_params.<key>] in the ad-server template.
	AdsParams map[string]string
	// OriginParams become top-level keys, which MediaTailor forwards to the
	// origin. Keys MediaTailor reserves (see Reserved) are dropped so an
	// origin parameter can never change the session's own settings.
	OriginParams map[string]string
	// ReportingMode is "client" (MediaTailor's default when absent) or
	// "server"; "" leaves the key out.
	ReportingMode string
	// ManifestParams are appended by MediaTailor to every generated URL.
	ManifestParams map[string]string
	// AvailSuppression is sent when Mode is not "".
	AvailSuppression AvailSuppression
	// OverlayAvails is "on" or "off"; "" leaves the key out.
	OverlayAvails string
	// Nonce, when not "", is added to AdsParams under NonceKey ("nonce" when
	// empty) unless AdsParams already has that key.
	Nonce, NonceKey string
}

// AvailSuppression is MediaTailor's availSuppression object.
type AvailSuppression struct {
	_          [0]func() // not comparable: the core then carries no generated == for it
	Mode       string    // OFF | BEHIND_LIVE_EDGE | AFTER_LIVE_EDGE
	Value      string    // HH:MM:SS
	FillPolicy string    // optional, "" leaves it out
}

// reserved lists the top-level keys MediaTailor consumes itself.
var reserved = [...]string{
	"adsParams", "playerParams", "manifestParams", "reportingMode",
	"availSuppression", "overlayAvails", "adSignaling", "logMode", "streamId",
	"startTime", "preroll", "insertionMode",
}

// Reserved reports whether key is a top-level key MediaTailor interprets
// itself and that BuildInitBody therefore refuses as an origin parameter.
func Reserved(key string) bool {
	return slices.Contains(reserved[:], key)
}

// BuildInitBody returns the JSON body for POST <prefix>/v1/session/....
// Keys of every map are written in sorted order so the body is stable.
func BuildInitBody(opts InitOptions) []byte {
	b := make([]byte, 0, 256)
	b = append(b, '{')
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = jsonw.AppendString(b, k)
		b = append(b, ':')
	}

	ads := opts.AdsParams
	if opts.Nonce != "" {
		nk := opts.NonceKey
		if nk == "" {
			nk = "nonce"
		}
		if _, taken := ads[nk]; !taken {
			ads = make(map[string]string, len(opts.AdsParams)+1)
			for k, v := range opts.AdsParams {
				ads[k] = v
			}
			ads[nk] = opts.Nonce
		}
	}
	if len(ads) > 0 {
		key("adsParams")
		b = appendJSONObject(b, ads)
	}
	if len(opts.ManifestParams) > 0 {
		key("manifestParams")
		b = appendJSONObject(b, opts.ManifestParams)
	}
	if opts.ReportingMode != "" {
		key("reportingMode")
		b = jsonw.AppendString(b, opts.ReportingMode)
	}
	if s := opts.AvailSuppression; s.Mode != "" {
		key("availSuppression")
		b = append(b, `{"mode":`...)
		b = jsonw.AppendString(b, s.Mode)
		if s.Value != "" {
			b = append(b, `,"value":`...)
			b = jsonw.AppendString(b, s.Value)
		}
		if s.FillPolicy != "" {
			b = append(b, `,"fillPolicy":`...)
			b = jsonw.AppendString(b, s.FillPolicy)
		}
		b = append(b, '}')
	}
	if opts.OverlayAvails != "" {
		key("overlayAvails")
		b = jsonw.AppendString(b, opts.OverlayAvails)
	}
	for _, k := range sortedKeys(opts.OriginParams) {
		if Reserved(k) {
			continue
		}
		key(k)
		b = jsonw.AppendString(b, opts.OriginParams[k])
	}
	return append(b, '}')
}

// quote renders a rejected value for an error message.
func quote(s string) string { return jsonscan.Quote(s, 0) }

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Insertion sort: parameter maps are small, and slices.Sort would add
	// a generic pdqsort instantiation to the wasm build.
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func appendJSONObject(b []byte, m map[string]string) []byte {
	b = append(b, '{')
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonw.AppendString(b, k)
		b = append(b, ':')
		b = jsonw.AppendString(b, m[k])
	}
	return append(b, '}')
}

// ParseInitReply interprets the reply to a session-initialization POST made
// to initURL. On success it returns the manifest and tracking URLs resolved
// against initURL (MediaTailor sends them relative). Failures are *Error:
// KindHTTP for a non-2xx status (Message from MediaTailor's {"message": …}
// body when present), KindBadJSON for an unparsable body, KindBadReply for a
// reply without usable URLs. Network failures and timeouts never reach this
// function; the caller reports them as KindNetwork / KindTimeout.
func ParseInitReply(initURL string, body []byte, status int) (manifestURL, trackingURL string, err error) {
	if status < 200 || status > 299 {
		return "", "", HTTPError(status, body)
	}
	fields, perr := parseFlatObject(body, "manifestUrl", "trackingUrl")
	if perr != nil {
		return "", "", &Error{Kind: KindBadJSON, Status: status, Message: perr.Error()}
	}
	base, ok := parseRef(initURL)
	if !ok || !base.hasScheme || (base.scheme != "http" && base.scheme != "https") || !httpurl.ValidAuthority(base.authority) {
		return "", "", &Error{Kind: KindBadReply, Status: status, Message: "init URL is not an absolute http(s) URL: " + quote(initURL)}
	}
	manifestURL, err = resolve(base, "manifestUrl", fields[0], status)
	if err != nil {
		return "", "", err
	}
	trackingURL, err = resolve(base, "trackingUrl", fields[1], status)
	if err != nil {
		return "", "", err
	}
	return manifestURL, trackingURL, nil
}

func resolve(base uriRef, name string, f field, status int) (string, error) {
	if f.notText {
		return "", &Error{Kind: KindBadReply, Status: status, Message: name + " is not a string"}
	}
	if !f.present || f.value == "" {
		return "", &Error{Kind: KindBadReply, Status: status, Message: name + " missing in session reply"}
	}
	ref, ok := parseRef(f.value)
	if !ok {
		return "", &Error{Kind: KindBadReply, Status: status, Message: name + " is not a URL: " + quote(f.value)}
	}
	u := resolveRef(base, ref)
	if (u.scheme != "http" && u.scheme != "https") || !httpurl.ValidAuthority(u.authority) {
		return "", &Error{Kind: KindBadReply, Status: status, Message: name + " must be an http(s) URL with a host: " + quote(f.value)}
	}
	return u.String(), nil
}
