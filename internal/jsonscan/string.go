package jsonscan

// Strings: the fast path over plain bytes, escapes, \\u and surrogates.

import (
	"unicode/utf16"
	"unicode/utf8"
)

// RawString reads a string, which the caller has seen start at the
// current offset, and returns its unescaped bytes; they alias the input or
// a scratch buffer, so they are valid only until the next call.
func (s *Scanner) RawString() ([]byte, error) { return s.rawString(false) }

// rawString is RawString; with keep set, an unescaped result is a fresh
// copy rather than the scratch buffer (keys live on in the path).
func (s *Scanner) rawString(keep bool) ([]byte, error) {
	s.pos++ // opening quote
	start := s.pos
	for s.pos < len(s.data) {
		c := s.data[s.pos]
		if c == '"' {
			b := s.data[start:s.pos]
			s.pos++
			return b, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return nil, s.Syntax(controlMsg(c))
		}
		s.pos++
	}
	if s.pos >= len(s.data) {
		return nil, s.Syntax("")
	}
	b := append(s.buf[:0], s.data[start:s.pos]...)
	for s.pos < len(s.data) {
		c := s.data[s.pos]
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
			b = append(b, c)
			s.pos++
			continue
		}
		s.pos++
		if s.pos >= len(s.data) {
			break
		}
		e := s.data[s.pos]
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
