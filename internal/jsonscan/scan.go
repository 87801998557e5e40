// Package jsonscan is a small pull parser for JSON, for the packages that go
// into the size-budgeted wasm plugin and so cannot use encoding/json (which
// brings reflect and fmt). It validates the grammar of everything it reads or
// skips, bounds nesting, and reports errors with the JSON path of the value
// at fault. It allocates only for strings the caller keeps.
package jsonscan

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// DefaultMaxDepth is the nesting bound of a Scanner whose MaxDepth is 0.
const DefaultMaxDepth = 64

// ErrTooDeep is wrapped by the *Error a Scanner returns when arrays and
// objects nest deeper than its MaxDepth.
var ErrTooDeep = errors.New("jsonscan: nesting too deep")

// Error is a scanning or decoding error. Path names the offending value
// ("avails[0].ads[1].durationInSeconds"); it is "" for the root. Msg ends in
// " at offset N" for malformed JSON (except at the end of the input), and
// not for well-formed JSON of the wrong shape.
type Error struct {
	Path   string
	Msg    string
	Offset int   // byte offset in the input where the problem was seen
	Err    error // ErrTooDeep or nil
}

func (e *Error) Error() string {
	if e.Path == "" {
		return "json: " + e.Msg
	}
	return "json: " + e.Path + ": " + e.Msg
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// pathElem is one step of the current JSON path; key is nil for an array
// index. Keys alias the input, so building the path costs nothing until an
// error needs it.
type pathElem struct {
	key []byte
	idx int
}

// Scanner reads one JSON document from a byte slice. The zero value scans
// an empty input; Reset starts it on a document. Value methods (Object,
// Array, Str, Skip, …) each consume exactly one value; callers check what
// follows the document themselves (see End).
//
// A Scanner is not safe for concurrent use. Strings it returns as []byte
// alias its input or its scratch buffer and are valid only until the next
// call; strings returned as string are copies.
type Scanner struct {
	// MaxDepth bounds the nesting of arrays and objects, read or skipped,
	// so a hostile document cannot exhaust the (small, wasm) stack; 0 means
	// DefaultMaxDepth. The root container counts as depth 1.
	MaxDepth int

	data  []byte
	pos   int
	depth int
	path  []pathElem
	buf   []byte // scratch for unescaping
}

// Reset starts s on data, keeping its buffers and MaxDepth. s keeps a
// reference to data until the next Reset.
func (s *Scanner) Reset(data []byte) {
	s.data, s.pos, s.depth = data, 0, 0
	if s.path == nil {
		s.path = make([]pathElem, 0, 8)
	}
	s.path = s.path[:0]
}

// Offset returns the byte offset of the next unread byte.
func (s *Scanner) Offset() int { return s.pos }

// Path returns the JSON path of the value being read, "" at the root.
func (s *Scanner) Path() string {
	var b []byte
	for _, p := range s.path {
		if p.key == nil {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(p.idx), 10)
			b = append(b, ']')
			continue
		}
		if len(b) > 0 {
			b = append(b, '.')
		}
		b = append(b, p.key...)
	}
	return string(b)
}

// Fail returns an *Error for the current path and offset; use it for JSON
// that is well-formed but not what the caller expects.
func (s *Scanner) Fail(msg string) error { return s.FailAt(s.pos, msg) }

// FailAt is Fail with the offset given.
func (s *Scanner) FailAt(offset int, msg string) error {
	return &Error{Path: s.Path(), Msg: msg, Offset: offset}
}

// Syntax returns an *Error for malformed JSON at the current offset: msg
// with the offset appended, or "unexpected end of input" at the end.
func (s *Scanner) Syntax(msg string) error {
	if s.pos >= len(s.data) {
		return s.Fail("unexpected end of input")
	}
	return s.Fail(msg + " at offset " + strconv.Itoa(s.pos))
}

// Peek skips white space and returns the next byte, 0 at end of input.
func (s *Scanner) Peek() byte {
	for s.pos < len(s.data) {
		switch c := s.data[s.pos]; c {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return c
		}
	}
	return 0
}

// End returns nil if only white space is left, else a "trailing data" error.
// A second document right after the first (the "}{" of two examples pasted
// together) is named as such.
func (s *Scanner) End() error {
	switch s.Peek() {
	case 0:
		return nil
	case '{', '[':
		return s.Syntax("trailing data: a second JSON document follows the first")
	}
	return s.Syntax("trailing data")
}

// Literal consumes the literal lit ("null", "true", "false"), which the
// caller has seen start at the current offset.
func (s *Scanner) Literal(lit string) error {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		return s.Syntax("invalid literal")
	}
	s.pos += len(lit)
	return nil
}

// Null consumes a null if one is next and reports whether it did.
func (s *Scanner) Null() (bool, error) {
	if s.Peek() != 'n' {
		return false, nil
	}
	return true, s.Literal("null")
}

// open consumes the opening delimiter of a container of the given kind
// ('{' or '[') and reports whether members follow; null is an absent, so
// empty, container.
func (s *Scanner) open(delim byte, kind string) (bool, error) {
	if isNull, err := s.Null(); isNull || err != nil {
		return false, err
	}
	if s.Peek() != delim {
		return false, s.Expected(kind)
	}
	max := s.MaxDepth
	if max == 0 {
		max = DefaultMaxDepth
	}
	if s.depth >= max {
		return false, &Error{Path: s.Path(), Msg: "nesting deeper than " + strconv.Itoa(max), Offset: s.pos, Err: ErrTooDeep}
	}
	s.depth++
	s.pos++
	if s.Peek() == delim+2 { // '{'+2 is '}', '['+2 is ']'
		s.pos++
		s.depth--
		return false, nil
	}
	return true, nil
}

// next consumes what follows a member: a comma, reporting that another
// member follows, or the closing delimiter.
func (s *Scanner) next(closing byte) (bool, error) {
	switch s.Peek() {
	case ',':
		s.pos++
		return true, nil
	case closing:
		s.pos++
		s.depth--
		return false, nil
	}
	return false, s.Syntax("expected ',' or '" + string(rune(closing)) + "'")
}

// Object reads an object, calling fn with each key while positioned on its
// value; fn must consume exactly that value, and key is valid only during
// the call. null is accepted as an absent object.
func (s *Scanner) Object(fn func(key []byte) error) error {
	more, err := s.open('{', "object")
	for more && err == nil {
		if s.Peek() != '"' {
			return s.Syntax("expected object key")
		}
		key, kerr := s.rawString(true)
		if kerr != nil {
			return kerr
		}
		if s.Peek() != ':' {
			return s.Syntax("expected ':'")
		}
		s.pos++
		s.path = append(s.path, pathElem{key: key})
		if ferr := fn(key); ferr != nil {
			return ferr
		}
		s.path = s.path[:len(s.path)-1]
		more, err = s.next('}')
	}
	return err
}

// Array reads an array, calling fn for each element while positioned on
// it; fn must consume exactly that element. null is accepted as an absent
// array.
func (s *Scanner) Array(fn func(i int) error) error {
	more, err := s.open('[', "array")
	for i := 0; more && err == nil; i++ {
		s.path = append(s.path, pathElem{idx: i})
		if ferr := fn(i); ferr != nil {
			return ferr
		}
		s.path = s.path[:len(s.path)-1]
		more, err = s.next(']')
	}
	return err
}

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

// Skip reads any one value, validating it.
func (s *Scanner) Skip() error {
	switch c := s.Peek(); c {
	case '{':
		return s.Object(func([]byte) error { return s.Skip() })
	case '[':
		return s.Array(func(int) error { return s.Skip() })
	case '"':
		_, err := s.rawString(false)
		return err
	case 't':
		return s.Literal("true")
	case 'f':
		return s.Literal("false")
	case 'n':
		return s.Literal("null")
	default:
		if isNumberStart(c) {
			_, err := s.Number()
			return err
		}
		return s.Expected("")
	}
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
	v, err = strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, false, s.Fail("number out of range")
	}
	return v, true, nil
}
