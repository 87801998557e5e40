package session

import (
	"strconv"
	"strings"
)

// Kind classifies a session or tracking failure for the host page.
type Kind string

// Error kinds, as shown to the host in error events.
const (
	KindNetwork  Kind = "network"  // request failed before a status arrived
	KindTimeout  Kind = "timeout"  // no answer in time
	KindHTTP     Kind = "http"     // non-2xx status
	KindBadJSON  Kind = "badjson"  // 2xx body that is not the expected JSON
	KindBadReply Kind = "badreply" // valid JSON lacking what is needed
	KindExpired  Kind = "expired"  // the session is gone; start a new one
)

// Error is a typed session/tracking failure.
type Error struct {
	Kind Kind
	// Status is the HTTP status, 0 when none was received.
	Status int
	// Message is MediaTailor's message or a description of the problem.
	Message string
}

func (e *Error) Error() string {
	s := "session: " + string(e.Kind)
	if e.Status != 0 {
		s += " " + strconv.Itoa(e.Status)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// maxMessage bounds the text kept from an error body, which may be an HTML
// page from a CDN.
const maxMessage = 200

// HTTPError builds the KindHTTP error for a non-2xx reply, taking Message
// from a MediaTailor JSON body ({"message": …}, also "Message") or, failing
// that, from the start of the body text.
func HTTPError(status int, body []byte) *Error {
	e := &Error{Kind: KindHTTP, Status: status}
	if f, err := parseFlatObject(body, "message", "Message"); err == nil {
		switch {
		case f[0].present:
			e.Message = f[0].value
		case f[1].present:
			e.Message = f[1].value
		}
	} else {
		e.Message = strings.Trim(string(body), " \t\r\n") // strings.TrimSpace would link Unicode tables
	}
	if len(e.Message) > maxMessage {
		e.Message = e.Message[:maxMessage] + "…"
	}
	return e
}

// TrackingError classifies the reply to a tracking GET: nil for 2xx, else
// KindExpired for 404 and 410 (MediaTailor's answers for a session that no
// longer exists) and for a 400 whose message says "expired" (idle sessions),
// else KindHTTP. An expired session must not be polled again.
func TrackingError(status int, body []byte) *Error {
	if status >= 200 && status <= 299 {
		return nil
	}
	e := HTTPError(status, body)
	if status == 404 || status == 410 || status == 400 && containsFold(e.Message, "expired") {
		e.Kind = KindExpired
	}
	return e
}

// containsFold reports whether s contains the lower-case ASCII word sub,
// ignoring ASCII case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		j := 0
		for ; j < len(sub); j++ {
			c := s[i+j]
			if c >= 'A' && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != sub[j] {
				break
			}
		}
		if j == len(sub) {
			return true
		}
	}
	return false
}
