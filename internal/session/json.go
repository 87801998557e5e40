package session

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// field is one looked-up top-level member of a JSON object.
type field struct {
	value   string
	present bool // key present with a non-null value
	notText bool // present but not a string
}

const maxDepth = 32

// parseFlatObject validates that data is one JSON object and returns the
// string values of the wanted top-level keys; every other member is skipped
// (validated, any nesting up to maxDepth). It exists so this package needs
// no encoding/json, which is too heavy for the wasm build.
func parseFlatObject(data []byte, keys ...string) ([]field, error) {
	p := jsonParser{data: data}
	out := make([]field, len(keys))
	p.ws()
	if p.peek() != '{' {
		return nil, p.err("expected a JSON object")
	}
	p.pos++
	p.ws()
	if p.peek() == '}' {
		p.pos++
	} else {
		for {
			p.ws()
			if p.peek() != '"' {
				return nil, p.err("expected object key")
			}
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.ws()
			if p.peek() != ':' {
				return nil, p.err("expected ':'")
			}
			p.pos++
			p.ws()
			idx := -1
			for i, want := range keys {
				if want == k {
					idx = i
				}
			}
			switch {
			case idx >= 0 && p.peek() == '"':
				v, err := p.str()
				if err != nil {
					return nil, err
				}
				out[idx] = field{value: v, present: true}
			case idx >= 0 && p.peek() == 'n':
				if err := p.skip(0); err != nil {
					return nil, err
				}
				out[idx] = field{}
			default:
				if err := p.skip(0); err != nil {
					return nil, err
				}
				if idx >= 0 {
					out[idx] = field{present: true, notText: true}
				}
			}
			p.ws()
			if p.peek() == ',' {
				p.pos++
				continue
			}
			if p.peek() == '}' {
				p.pos++
				break
			}
			return nil, p.err("expected ',' or '}'")
		}
	}
	p.ws()
	if p.pos != len(p.data) {
		return nil, p.err("trailing data")
	}
	return out, nil
}

type jsonParser struct {
	data []byte
	pos  int
}

func (p *jsonParser) err(msg string) error {
	if p.pos >= len(p.data) {
		return errors.New("invalid JSON: unexpected end of input")
	}
	return errors.New("invalid JSON: " + msg + " at offset " + strconv.Itoa(p.pos))
}

func (p *jsonParser) peek() byte {
	if p.pos >= len(p.data) {
		return 0
	}
	return p.data[p.pos]
}

func (p *jsonParser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) str() (string, error) {
	p.pos++
	var b []byte
	start := p.pos
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			if b == nil {
				return string(p.data[start : p.pos-1]), nil
			}
			return string(b), nil
		case c < 0x20:
			return "", p.err("control character in string")
		case c != '\\':
			if b != nil {
				b = append(b, c)
			}
			p.pos++
			continue
		}
		if b == nil {
			b = append([]byte{}, p.data[start:p.pos]...)
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.err("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					save := p.pos
					p.pos += 2
					lo, ok := p.hex4()
					if !ok {
						return "", p.err("invalid \\u escape")
					}
					if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
						r2 = d
					} else {
						p.pos = save
					}
				}
				r = r2
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", p.err("invalid escape")
		}
	}
	return "", p.err("")
}

func (p *jsonParser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.data[p.pos:p.pos+4]), 16, 16)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}

// skip consumes and validates one value.
func (p *jsonParser) skip(depth int) error {
	if depth > maxDepth {
		return p.err("nesting too deep")
	}
	p.ws()
	switch c := p.peek(); {
	case c == '"':
		_, err := p.str()
		return err
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		p.pos++
		p.ws()
		if p.peek() == end {
			p.pos++
			return nil
		}
		for {
			p.ws()
			if c == '{' {
				if p.peek() != '"' {
					return p.err("expected object key")
				}
				if _, err := p.str(); err != nil {
					return err
				}
				p.ws()
				if p.peek() != ':' {
					return p.err("expected ':'")
				}
				p.pos++
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			p.ws()
			switch p.peek() {
			case ',':
				p.pos++
			case end:
				p.pos++
				return nil
			default:
				return p.err("expected ',' or '" + string(end) + "'")
			}
		}
	case c == 't':
		return p.lit("true")
	case c == 'f':
		return p.lit("false")
	case c == 'n':
		return p.lit("null")
	case c == '-' || c >= '0' && c <= '9':
		start := p.pos
		for p.pos < len(p.data) && (p.data[p.pos] == '-' || p.data[p.pos] == '+' || p.data[p.pos] == '.' ||
			p.data[p.pos] == 'e' || p.data[p.pos] == 'E' || p.data[p.pos] >= '0' && p.data[p.pos] <= '9') {
			p.pos++
		}
		if _, err := strconv.ParseFloat(string(p.data[start:p.pos]), 64); err != nil {
			var ne *strconv.NumError
			if !errors.As(err, &ne) || ne.Err != strconv.ErrRange {
				p.pos = start
				return p.err("invalid number")
			}
		}
		return nil
	}
	return p.err("unexpected character")
}

func (p *jsonParser) lit(s string) error {
	if len(p.data)-p.pos < len(s) || string(p.data[p.pos:p.pos+len(s)]) != s {
		return p.err("invalid literal")
	}
	p.pos += len(s)
	return nil
}
