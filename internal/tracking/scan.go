package tracking

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth bounds nesting of arrays and objects, known or skipped, so a
// hostile response cannot exhaust the (small, wasm) stack.
const maxDepth = 64

// Error is a decoding error. Path names the offending JSON value in the
// response ("avails[0].ads[1].durationInSeconds"); it is "" for the root.
type Error struct {
	Path   string
	Msg    string
	Offset int // byte offset in the input where the problem was seen
}

func (e *Error) Error() string {
	s := "tracking: "
	if e.Path != "" {
		s += e.Path + ": "
	}
	return s + e.Msg
}

// pathElem is one step of the current JSON path; key is nil for an array
// index. Keys alias the input, so building the path costs nothing until an
// error needs it.
type pathElem struct {
	key []byte
	idx int
}

// scanner is a minimal pull parser over one JSON document. It validates the
// grammar of everything it reads or skips.
type scanner struct {
	data  []byte
	pos   int
	depth int
	path  []pathElem
	buf   []byte // scratch for unescaping

	events []TrackingEvent   // scratch, see trackingEvents
	urls   []string          // scratch for beaconUrls
	intern map[string]string // repeated ids and event types
}

func (s *scanner) pathString() string {
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

func (s *scanner) fail(msg string) error {
	return &Error{Path: s.pathString(), Msg: msg, Offset: s.pos}
}

func (s *scanner) syntax(msg string) error {
	if s.pos >= len(s.data) {
		return s.fail("unexpected end of input")
	}
	return s.fail(msg + " at offset " + strconv.Itoa(s.pos))
}

func (s *scanner) ws() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, 0 at end of input.
func (s *scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

func kindName(c byte) string {
	switch c {
	case '"':
		return "string"
	case '{':
		return "object"
	case '[':
		return "array"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "number"
	}
	return ""
}

// charDesc names an unexpected input byte for an error message. strconv's
// quoting is avoided: it drags Unicode printability tables into the wasm.
func charDesc(c byte) string {
	if c > ' ' && c < 0x7f {
		return "'" + string(rune(c)) + "'"
	}
	const hex = "0123456789abcdef"
	return "byte 0x" + string([]byte{hex[c>>4], hex[c&15]})
}

// typeErr reports that the value at the current position is not of kind want.
func (s *scanner) typeErr(want string) error {
	c := s.peek()
	got := kindName(c)
	if got == "" {
		if c == 0 {
			return s.syntax("")
		}
		return s.syntax("invalid character " + charDesc(c))
	}
	return s.fail("expected " + want + ", got " + got)
}

// literal consumes the literal lit ("null", "true", "false").
func (s *scanner) literal(lit string) error {
	if len(s.data)-s.pos < len(lit) || string(s.data[s.pos:s.pos+len(lit)]) != lit {
		return s.syntax("invalid literal")
	}
	s.pos += len(lit)
	return nil
}

// null consumes a null if one is next and reports whether it did.
func (s *scanner) null() (bool, error) {
	if s.peek() != 'n' {
		return false, nil
	}
	return true, s.literal("null")
}

func (s *scanner) enter() error {
	s.depth++
	if s.depth > maxDepth {
		return s.fail("nesting deeper than " + strconv.Itoa(maxDepth))
	}
	return nil
}

// object decodes an object, calling fn with each key while positioned on its
// value; fn must consume exactly that value. null is accepted as an absent
// object.
func (s *scanner) object(fn func(key []byte) error) error {
	if isNull, err := s.null(); isNull || err != nil {
		return err
	}
	if s.peek() != '{' {
		return s.typeErr("object")
	}
	if err := s.enter(); err != nil {
		return err
	}
	s.pos++
	if s.peek() == '}' {
		s.pos++
		s.depth--
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.syntax("expected object key")
		}
		key, err := s.rawString(true)
		if err != nil {
			return err
		}
		if s.peek() != ':' {
			return s.syntax("expected ':'")
		}
		s.pos++
		s.path = append(s.path, pathElem{key: key})
		if err := fn(key); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			s.depth--
			return nil
		default:
			return s.syntax("expected ',' or '}'")
		}
	}
}

// array decodes an array, calling fn for each element while positioned on
// it; fn must consume exactly that element. null is accepted as an absent
// array.
func (s *scanner) array(fn func(i int) error) error {
	if isNull, err := s.null(); isNull || err != nil {
		return err
	}
	if s.peek() != '[' {
		return s.typeErr("array")
	}
	if err := s.enter(); err != nil {
		return err
	}
	s.pos++
	if s.peek() == ']' {
		s.pos++
		s.depth--
		return nil
	}
	for i := 0; ; i++ {
		s.path = append(s.path, pathElem{idx: i})
		if err := fn(i); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			s.depth--
			return nil
		default:
			return s.syntax("expected ',' or ']'")
		}
	}
}

// rawString consumes a string and returns its unescaped bytes. Without
// escapes the result aliases the input; with escapes it is a fresh copy when
// keep is set (keys live on in the path) and the scratch buffer otherwise.
func (s *scanner) rawString(keep bool) ([]byte, error) {
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
			return nil, s.syntax("control character in string")
		}
		s.pos++
	}
	if s.pos >= len(s.data) {
		return nil, s.syntax("")
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
			return nil, s.syntax("control character in string")
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
			r, ok := s.hex4()
			if !ok {
				return nil, s.syntax("invalid \\u escape")
			}
			if utf16.IsSurrogate(r) {
				r2 := utf8.RuneError
				if s.pos+1 < len(s.data) && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
					save := s.pos
					s.pos += 2
					if lo, ok := s.hex4(); ok {
						if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
							r2 = d
						} else {
							s.pos = save // lone surrogate; the next escape stands alone
						}
					} else {
						return nil, s.syntax("invalid \\u escape")
					}
				}
				r = r2
			}
			b = utf8.AppendRune(b, r)
		default:
			s.pos--
			return nil, s.syntax("invalid escape")
		}
	}
	return nil, s.syntax("")
}

func (s *scanner) hex4() (rune, bool) {
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

// number consumes a JSON number and returns its text (aliasing the input).
func (s *scanner) number() ([]byte, error) {
	start := s.pos
	d := s.data
	i := s.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	default:
		s.pos = i
		return nil, s.syntax("invalid number")
	}
	if i < len(d) && d[i] == '.' {
		i++
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j {
			s.pos = i
			return nil, s.syntax("invalid number")
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		j := i
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
		if i == j {
			s.pos = i
			return nil, s.syntax("invalid number")
		}
	}
	s.pos = i
	return d[start:i], nil
}

// skip consumes any one value, validating it.
func (s *scanner) skip() error {
	switch c := s.peek(); c {
	case '{':
		return s.object(func([]byte) error { return s.skip() })
	case '[':
		return s.array(func(int) error { return s.skip() })
	case '"':
		_, err := s.rawString(false)
		return err
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	case 0:
		return s.syntax("")
	default:
		if c == '-' || c >= '0' && c <= '9' {
			_, err := s.number()
			return err
		}
		return s.syntax("invalid character " + charDesc(c))
	}
}

// str decodes a string; null gives "".
func (s *scanner) str() (string, error) {
	switch s.peek() {
	case '"':
		b, err := s.rawString(false)
		return string(b), err
	case 'n':
		return "", s.literal("null")
	}
	return "", s.typeErr("string")
}

// text decodes a string or a number as its text; null gives "". Identifiers
// and VAST attributes are strings in MediaTailor's output, but they are
// numbers in origin (sequence numbers, pixels), so both are taken.
func (s *scanner) text() (string, error) {
	c := s.peek()
	if c == '-' || c >= '0' && c <= '9' {
		b, err := s.number()
		return string(b), err
	}
	return s.str()
}

// maxIntern bounds the intern table so a hostile response cannot grow it
// without limit; values beyond it are simply allocated.
const maxIntern = 4096

// internText is text for values that repeat across a response (event types,
// ids shared by an ad's events): each distinct value is allocated once.
func (s *scanner) internText() (string, error) {
	var b []byte
	var err error
	switch c := s.peek(); {
	case c == '"':
		b, err = s.rawString(false)
	case c == '-' || c >= '0' && c <= '9':
		b, err = s.number()
	default:
		return s.text()
	}
	if err != nil || len(b) == 0 {
		return "", err
	}
	if v, ok := s.intern[string(b)]; ok {
		return v, nil
	}
	v := string(b)
	if len(s.intern) < maxIntern {
		if s.intern == nil {
			s.intern = make(map[string]string, 64)
		}
		s.intern[v] = v
	}
	return v, nil
}

// float decodes a number; ok is false for null.
func (s *scanner) float() (v float64, ok bool, err error) {
	c := s.peek()
	if c == 'n' {
		return 0, false, s.literal("null")
	}
	if c != '-' && (c < '0' || c > '9') {
		return 0, false, s.typeErr("number")
	}
	b, err := s.number()
	if err != nil {
		return 0, false, err
	}
	v, err = strconv.ParseFloat(string(b), 64)
	if err != nil {
		return 0, false, s.fail("number out of range")
	}
	return v, true, nil
}

// integer decodes an integer given as a number or a numeric string; ok is
// false for null and "".
func (s *scanner) integer() (v int64, ok bool, err error) {
	var b []byte
	switch c := s.peek(); {
	case c == 'n':
		return 0, false, s.literal("null")
	case c == '"':
		if b, err = s.rawString(false); err != nil {
			return 0, false, err
		}
		if len(b) == 0 {
			return 0, false, nil
		}
	case c == '-' || c >= '0' && c <= '9':
		if b, err = s.number(); err != nil {
			return 0, false, err
		}
	default:
		return 0, false, s.typeErr("integer")
	}
	v, err = strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		// Whole numbers written as 640.0 are still integers.
		f, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil || f != float64(int64(f)) {
			return 0, false, s.fail("expected integer, got " + quote(b))
		}
		v = int64(f)
	}
	return v, true, nil
}

// boolean decodes true/false, also as the strings "true"/"false" (VAST
// attributes copied verbatim); null gives false.
func (s *scanner) boolean() (bool, error) {
	switch s.peek() {
	case 't':
		return true, s.literal("true")
	case 'f':
		return false, s.literal("false")
	case 'n':
		return false, s.literal("null")
	case '"':
		b, err := s.rawString(false)
		if err != nil {
			return false, err
		}
		switch string(b) {
		case "true", "1":
			return true, nil
		case "false", "0", "":
			return false, nil
		}
		return false, s.fail("expected boolean, got " + quote(b))
	}
	return false, s.typeErr("boolean")
}
