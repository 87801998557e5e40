package jsonscan

// Numbers and the scalars read as text (identifiers written either way).

import (
	"strconv"
)

// digits advances i past ASCII digits in d and reports whether there were
// any.
func digits(d []byte, i *int) bool {
	j := *i
	for j < len(d) && d[j] >= '0' && d[j] <= '9' {
		j++
	}
	ok := j > *i
	*i = j
	return ok
}

// Number reads a number, which the caller has seen start at the current
// offset, and returns its text (aliasing the input).
func (s *Scanner) Number() ([]byte, error) {
	start := s.pos
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	ok := true
	switch {
	case i < len(d) && d[i] == '0':
		i++
	default:
		ok = digits(d, &i) // no digit means no number
	}
	if ok && i < len(d) && d[i] == '.' {
		i++
		ok = digits(d, &i)
	}
	if ok && i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		ok = digits(d, &i)
	}
	s.pos = i
	if !ok {
		return nil, s.Syntax("invalid number")
	}
	return d[start:i], nil
}

// RawText reads a string or a number and returns its text as RawString
// does; ok is false, with no error, when the next value is neither.
func (s *Scanner) RawText() (b []byte, ok bool, err error) {
	switch c := s.Peek(); {
	case c == '"':
		b, err = s.rawString(false)
	case isNumberStart(c):
		b, err = s.Number()
	default:
		return nil, false, nil
	}
	return b, true, err
}

// Text reads a string or a number as its text; null gives "". It suits
// identifiers that some producers write as numbers.
func (s *Scanner) Text() (string, error) {
	if isNumberStart(s.Peek()) {
		b, err := s.Number()
		return string(b), err
	}
	return s.Str()
}

// Float reads a number; ok is false for null.
func (s *Scanner) Float() (v float64, ok bool, err error) {
	c := s.Peek()
	if c == 'n' {
		return 0, false, s.Literal("null")
	}
	if !isNumberStart(c) {
		return 0, false, s.Expected("number")
	}
	b, err := s.Number()
	if err != nil {
		return 0, false, err
	}
	if v, ok := exactDecimal(b); ok {
		return v, true, nil
	}
	v, err = strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, false, s.Fail("number out of range")
	}
	return v, true, nil
}

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// exactDecimal converts a plain decimal of at most 15 significant digits
// and no exponent ("12.5", "-0.010"), the shape of every *InSeconds
// number: its digits and its power of ten are exact float64s, so one
// division rounds as strconv.ParseFloat does (the fast path it takes
// itself). strconv reaches that path only after checks that cost more
// than the conversion, a good part of decoding a large reply in wasm.
// ok is false for any other shape.
func exactDecimal(b []byte) (float64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var m uint64
	digits, frac := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			if m != 0 {
				digits++
			}
		case c == '.' && frac < 0:
			frac = i
		default:
			return 0, false
		}
	}
	if digits > 15 || len(b) == 0 {
		return 0, false
	}
	k := 0
	if frac >= 0 {
		k = len(b) - frac - 1
	}
	if k >= len(pow10) {
		return 0, false
	}
	v := float64(m) / pow10[k]
	if neg {
		v = -v
	}
	return v, true
}
