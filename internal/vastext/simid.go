package vastext

import (
	"strings"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/tracking"
)

// SIMID is a VAST 4.2 <InteractiveCreativeFile> for the SIMID API
// framework: an HTML creative the player runs in a cross-origin frame over
// the stitched ad.
type SIMID struct {
	// URL is the creative's http(s) address.
	URL string
	// Type is the MIME type attribute ("text/html"; "" when absent).
	Type string
	// VariableDuration says the creative may extend the ad (it asks with
	// requestChangeAdDuration); a player that cannot extend the break must
	// not render it.
	VariableDuration bool
}

// InteractiveCreativeFile is the extension type MediaTailor gives a SIMID
// creative, whether the VAST carried it under <MediaFiles> (VAST 4) or in
// an <Extension type="InteractiveCreativeFile"> (VAST 3).
const InteractiveCreativeFile = "InteractiveCreativeFile"

const (
	icfOpen  = "<InteractiveCreativeFile"
	icfClose = "</InteractiveCreativeFile"
)

// FindSIMID returns the first SIMID creative among an ad's extensions. Only
// an element whose apiFramework is SIMID and whose body is an http(s) URL
// counts; other interactive frameworks are left alone.
func FindSIMID(exts []tracking.Extension) (SIMID, bool) {
	for i := range exts {
		e := &exts[i]
		// The content decides: the type is advisory (some ad servers wrap
		// the element in a differently named extension).
		if e.Type != InteractiveCreativeFile && !strings.Contains(e.Content, icfOpen) {
			continue
		}
		if s, ok := ParseSIMID(e.Content); ok {
			return s, true
		}
	}
	return SIMID{}, false
}

// ParseSIMID reads one <InteractiveCreativeFile> element from content. It
// reports false when there is none, when its apiFramework is not SIMID, or
// when its URL is not http(s).
func ParseSIMID(content string) (SIMID, bool) {
	for rest := content; ; {
		i := strings.Index(rest, icfOpen)
		if i < 0 {
			return SIMID{}, false
		}
		rest = rest[i+len(icfOpen):]
		// "<InteractiveCreativeFileX" is another element.
		if rest == "" || !(rest[0] == '>' || rest[0] == '/' || isSpace(rest[0])) {
			continue
		}
		end := tagEnd(rest)
		if end < 0 {
			return SIMID{}, false
		}
		attrs, body := rest[:end], rest[end+1:]
		selfClosing := strings.HasSuffix(attrs, "/")
		var s SIMID
		framework := ""
		eachAttr(strings.TrimSuffix(attrs, "/"), func(name, value string) {
			switch name {
			case "apiFramework":
				framework = value
			case "type":
				s.Type = value
			case "variableDuration":
				s.VariableDuration = value == "true" || value == "1"
			}
		})
		if !equalFoldASCII(framework, "SIMID") || selfClosing {
			rest = body
			continue
		}
		if j := strings.Index(body, icfClose); j >= 0 {
			body = body[:j]
		}
		s.URL = cleanURL(body)
		// The same check as a beacon URL: http(s), a valid authority, no
		// white space or backslashes; and no backtick, which RFC 3986 does
		// not allow in a URL and no creative host needs.
		if !beacon.Allowed(s.URL) || strings.IndexByte(s.URL, '`') >= 0 {
			return SIMID{}, false
		}
		return s, true
	}
}

// tagEnd returns the index of the '>' that closes a start tag, skipping
// quoted attribute values (which may hold '>'); -1 when there is none.
func tagEnd(s string) int {
	var q byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i
		}
	}
	return -1
}

// eachAttr calls f for each name="value" (or name='value') pair of a start
// tag's attribute text, with the value's entities decoded. Attributes
// without a quoted value are skipped.
func eachAttr(s string, f func(name, value string)) {
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		eq := strings.IndexByte(s, '=')
		if eq < 0 {
			return
		}
		name := xmlTrim(s[:eq])
		if k := strings.LastIndexAny(name, " \t\r\n"); k >= 0 {
			name = name[k+1:] // a bare attribute before this one
		}
		v := strings.TrimLeft(s[eq+1:], " \t\r\n")
		if v == "" || (v[0] != '"' && v[0] != '\'') {
			return
		}
		q := v[0]
		end := strings.IndexByte(v[1:], q)
		if end < 0 {
			return
		}
		f(name, decodeEntities(v[1:1+end]))
		s = v[end+2:]
	}
}

// cleanURL turns an element body into a URL: a CDATA section is unwrapped,
// entities are decoded, and white space and the backquotes that AWS's
// published examples put around URLs are trimmed.
func cleanURL(body string) string {
	body = xmlTrim(body)
	if strings.HasPrefix(body, "<![CDATA[") {
		body = strings.TrimPrefix(body, "<![CDATA[")
		if j := strings.Index(body, "]]>"); j >= 0 {
			body = body[:j]
		}
	} else {
		body = decodeEntities(body)
	}
	return strings.Trim(body, " \t\r\n`")
}
