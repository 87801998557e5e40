package vastext

import "strings"

// xmlTokenizer walks a fragment of XML (no single root required) and reports
// elements and character data. It knows elements, attributes, CDATA,
// comments, processing instructions and the five predefined entities plus
// numeric character references; a DOCTYPE or anything it cannot read is
// skipped. Names are reported without their namespace prefix, because VAST
// 4 documents put everything in a default namespace and some ad servers use
// a prefix.
type xmlTokenizer struct {
	s   string
	pos int
}

// xmlTokenKind is what next found.
type xmlTokenKind int

const (
	xmlEOF xmlTokenKind = iota
	xmlStart
	xmlEnd
	xmlText
)

// xmlToken is one token; for xmlStart, selfClosing says the element has
// no content and no xmlEnd follows.
type xmlToken struct {
	kind        xmlTokenKind
	name        string // local name
	attrs       []xmlAttr
	text        string // decoded character data
	selfClosing bool
}

type xmlAttr struct{ name, value string }

// attr returns the value of the attribute named name (local name,
// case-sensitive as XML is), "" when absent.
func (t *xmlToken) attr(name string) string {
	for _, a := range t.attrs {
		if a.name == name {
			return a.value
		}
	}
	return ""
}

func (z *xmlTokenizer) next() xmlToken {
	for z.pos < len(z.s) {
		if z.s[z.pos] != '<' {
			end := strings.IndexByte(z.s[z.pos:], '<')
			if end < 0 {
				end = len(z.s) - z.pos
			}
			raw := z.s[z.pos : z.pos+end]
			z.pos += end
			return xmlToken{kind: xmlText, text: decodeEntities(raw)}
		}
		rest := z.s[z.pos:]
		switch {
		case strings.HasPrefix(rest, "<![CDATA["):
			end := strings.Index(rest, "]]>")
			if end < 0 {
				z.pos = len(z.s)
				return xmlToken{kind: xmlText, text: rest[9:]}
			}
			z.pos += end + 3
			return xmlToken{kind: xmlText, text: rest[9:end]}
		case strings.HasPrefix(rest, "<!--"):
			z.skipPast("-->")
		case strings.HasPrefix(rest, "<?"):
			z.skipPast("?>")
		case strings.HasPrefix(rest, "<!"):
			z.skipPast(">")
		case strings.HasPrefix(rest, "</"):
			end := strings.IndexByte(rest, '>')
			if end < 0 {
				z.pos = len(z.s)
				return xmlToken{}
			}
			z.pos += end + 1
			return xmlToken{kind: xmlEnd, name: localName(xmlTrim(rest[2:end]))}
		default:
			if t, ok := z.startTag(); ok {
				return t
			}
			// A lone "<" that starts no tag: treat it as text.
			z.pos++
			return xmlToken{kind: xmlText, text: "<"}
		}
	}
	return xmlToken{}
}

func (z *xmlTokenizer) skipPast(marker string) {
	end := strings.Index(z.s[z.pos:], marker)
	if end < 0 {
		z.pos = len(z.s)
		return
	}
	z.pos += end + len(marker)
}

// startTag reads "<name attr="v" ...>" at z.pos.
func (z *xmlTokenizer) startTag() (xmlToken, bool) {
	i := z.pos + 1
	start := i
	for i < len(z.s) && isNameByte(z.s[i]) {
		i++
	}
	if i == start {
		return xmlToken{}, false
	}
	t := xmlToken{kind: xmlStart, name: localName(z.s[start:i])}
	for i < len(z.s) {
		for i < len(z.s) && isSpace(z.s[i]) {
			i++
		}
		if i >= len(z.s) {
			break
		}
		switch z.s[i] {
		case '>':
			z.pos = i + 1
			return t, true
		case '/':
			if i+1 < len(z.s) && z.s[i+1] == '>' {
				t.selfClosing = true
				z.pos = i + 2
				return t, true
			}
			i++
			continue
		}
		ns := i
		for i < len(z.s) && isNameByte(z.s[i]) {
			i++
		}
		if i == ns {
			i++ // garbage byte inside a tag
			continue
		}
		name := localName(z.s[ns:i])
		for i < len(z.s) && isSpace(z.s[i]) {
			i++
		}
		if i >= len(z.s) || z.s[i] != '=' {
			t.attrs = append(t.attrs, xmlAttr{name: name})
			continue
		}
		i++
		for i < len(z.s) && isSpace(z.s[i]) {
			i++
		}
		if i >= len(z.s) {
			break
		}
		q := z.s[i]
		if q != '"' && q != '\'' {
			vs := i
			for i < len(z.s) && !isSpace(z.s[i]) && z.s[i] != '>' {
				i++
			}
			t.attrs = append(t.attrs, xmlAttr{name: name, value: decodeEntities(z.s[vs:i])})
			continue
		}
		end := strings.IndexByte(z.s[i+1:], q)
		if end < 0 {
			break
		}
		t.attrs = append(t.attrs, xmlAttr{name: name, value: decodeEntities(z.s[i+1 : i+1+end])})
		i += end + 2
	}
	// Unterminated tag: consume the rest so the walk ends.
	z.pos = len(z.s)
	return t, true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func localName(s string) string {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// decodeEntities replaces the predefined entities and numeric character
// references; an unknown entity is kept as written.
func decodeEntities(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			b.WriteByte(s[i])
			continue
		}
		end := strings.IndexByte(s[i:], ';')
		if end < 0 || end > 10 {
			b.WriteByte('&')
			continue
		}
		ent := s[i+1 : i+end]
		if r, ok := entity(ent); ok {
			b.WriteRune(r)
			i += end
			continue
		}
		b.WriteByte('&')
	}
	return b.String()
}

func entity(e string) (rune, bool) {
	switch e {
	case "amp":
		return '&', true
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(e) < 2 || e[0] != '#' {
		return 0, false
	}
	base, digits := 10, e[1:]
	if digits[0] == 'x' || digits[0] == 'X' {
		base, digits = 16, digits[1:]
	}
	if digits == "" {
		return 0, false
	}
	var r rune
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		var v rune
		switch {
		case c >= '0' && c <= '9':
			v = rune(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return 0, false
		}
		r = r*rune(base) + v
		if r > 0x10FFFF {
			return 0, false
		}
	}
	return r, true
}

// xmlTrim removes XML white space (the S production: space, tab, CR, LF)
// from both ends of s. Other Unicode spaces, such as a no-break space, are
// content in XML; strings.TrimSpace would remove them and link the Unicode
// tables into the plugin.
func xmlTrim(s string) string { return strings.Trim(s, " \t\r\n") }
