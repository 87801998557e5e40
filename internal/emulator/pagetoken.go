package emulator

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"time"
)

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
