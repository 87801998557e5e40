package jsonscan

// Errors, and the JSON path of the value they are about.

import (
	"errors"
	"strconv"
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
