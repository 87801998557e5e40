// Package jsonscan is a small pull parser for JSON, for the packages that go
// into the size-budgeted wasm plugin and so cannot use encoding/json (which
// brings reflect and fmt). It validates the grammar of everything it reads or
// skips, bounds nesting, and reports errors with the JSON path of the value
// at fault. It allocates only for strings the caller keeps.
package jsonscan

import "strconv"

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

// Open consumes the opening delimiter of an object ('{') or an array
// ('[') and reports whether members follow; null is an absent, so empty,
// container. Object and Array walk a container in one call; Open, with
// Key or Elem before each member and Next after it, walks it a member at a
// time, so a caller can stop between members and resume later (a large
// document read in steps).
func (s *Scanner) Open(delim byte) (bool, error) {
	if isNull, err := s.Null(); isNull || err != nil {
		return false, err
	}
	if s.Peek() != delim {
		return false, s.Expected(Kind(delim))
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

// Key reads the key of the next object member and its colon, leaving the
// scanner on the value; the key is part of Path until Next.
func (s *Scanner) Key() ([]byte, error) {
	if s.Peek() != '"' {
		return nil, s.Syntax("expected object key")
	}
	key, err := s.rawString(true)
	if err != nil {
		return nil, err
	}
	if s.Peek() != ':' {
		return nil, s.Syntax("expected ':'")
	}
	s.pos++
	s.path = append(s.path, pathElem{key: key})
	return key, nil
}

// Elem makes array element i part of Path until Next.
func (s *Scanner) Elem(i int) { s.path = append(s.path, pathElem{idx: i}) }

// Next ends the member Key or Elem began: it consumes a comma, reporting
// that another member follows, or the closing delimiter ('}' or ']').
func (s *Scanner) Next(closing byte) (bool, error) {
	s.path = s.path[:len(s.path)-1]
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
	more, err := s.Open('{')
	for more && err == nil {
		key, kerr := s.Key()
		if kerr != nil {
			return kerr
		}
		if ferr := fn(key); ferr != nil {
			return ferr
		}
		more, err = s.Next('}')
	}
	return err
}

// Array reads an array, calling fn for each element while positioned on
// it; fn must consume exactly that element. null is accepted as an absent
// array.
func (s *Scanner) Array(fn func(i int) error) error {
	more, err := s.Open('[')
	for i := 0; more && err == nil; i++ {
		s.Elem(i)
		if ferr := fn(i); ferr != nil {
			return ferr
		}
		more, err = s.Next(']')
	}
	return err
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
