package jsonscan

// Numbers and the scalars read as text (identifiers written either way).

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
	v, ok = ParseFloat(b)
	if !ok {
		return 0, false, s.Fail("number out of range")
	}
	return v, true, nil
}
