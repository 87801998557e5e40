package jsonscan

// Strings: the fast path over plain bytes, escapes, \u and surrogates.

import (
	"unicode/utf16"
	"unicode/utf8"
)

// RawString reads a string, which the caller has seen start at the
// current offset, and returns its unescaped bytes; they alias the input or
// a scratch buffer, so they are valid only until the next call.
func (s *Scanner) RawString() ([]byte, error) { return s.rawString(false) }

// plain marks the bytes a string holds as they are: not the closing
// quote, a backslash or a control byte. Strings are most of a tracking
// reply's bytes (beacon URLs): one lookup per byte in a loop on locals
// (not on s.pos, a load and a store per byte in wasm) is what reading
// them costs.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 256; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// plainRun returns the end of the run of plain bytes of d from i.
func plainRun(d []byte, i int) int {
	for i < len(d) && plain[d[i]] {
		i++
	}
	return i
}

// rawString is RawString; with keep set, an unescaped result is a fresh
// copy rather than the scratch buffer (keys live on in the path).
func (s *Scanner) rawString(keep bool) ([]byte, error) {
	d := s.data
	start := s.pos + 1 // past the opening quote
	i := plainRun(d, start)
	s.pos = i
	if i < len(d) && d[i] == '"' {
		s.pos++
		return d[start:i], nil
	}
	b := append(s.buf[:0], d[start:i]...)
	for s.pos < len(d) {
		c := d[s.pos]
		switch {
		case c == '"':
			s.pos++
			s.buf = b
			if keep {
				return append([]byte(nil), b...), nil
			}
			return b, nil
		case c < 0x20:
			return nil, s.Syntax(controlMsg(c))
		case c != '\\':
			j := plainRun(d, s.pos)
			b = append(b, d[s.pos:j]...)
			s.pos = j
			continue
		}
		s.pos++
		if s.pos >= len(d) {
			break
		}
		e := d[s.pos]
		s.pos++
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
			r, err := s.unicodeEscape()
			if err != nil {
				return nil, err
			}
			b = utf8.AppendRune(b, r)
		default:
			s.pos--
			return nil, s.Syntax("invalid escape")
		}
	}
	return nil, s.Syntax("")
}

// unicodeEscape reads the hex digits of a \u escape and, for a high
// surrogate, the low one that should follow. A lone surrogate becomes
// U+FFFD; an escape that does not pair with it stands alone.
func (s *Scanner) unicodeEscape() (rune, error) {
	r, ok := s.hex4()
	if !ok {
		return 0, s.Syntax("invalid \\u escape")
	}
	if !utf16.IsSurrogate(r) {
		return r, nil
	}
	if s.pos+1 >= len(s.data) || s.data[s.pos] != '\\' || s.data[s.pos+1] != 'u' {
		return utf8.RuneError, nil
	}
	save := s.pos
	s.pos += 2
	lo, ok := s.hex4()
	if !ok {
		return 0, s.Syntax("invalid \\u escape")
	}
	if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
		return d, nil
	}
	s.pos = save
	return utf8.RuneError, nil
}

func (s *Scanner) hex4() (rune, bool) {
	if len(s.data)-s.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	s.pos += 4
	return r, true
}

// Str reads a string; null gives "".
func (s *Scanner) Str() (string, error) {
	switch s.Peek() {
	case '"':
		b, err := s.rawString(false)
		return string(b), err
	case 'n':
		return "", s.Literal("null")
	}
	return "", s.Expected("string")
}
