package tracking

import (
	"github.com/availkit/availkit/internal/errchain"
	"github.com/availkit/availkit/internal/jsonscan"
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

// asError turns a scanner error into the package's *Error.
func asError(err error) error {
	if se, ok := errchain.As[*jsonscan.Error](err); ok {
		return &Error{Path: se.Path, Msg: se.Msg, Offset: se.Offset}
	}
	return err
}

// decoder is the scanner plus the scratch space decoding reuses across a
// response.
type decoder struct {
	jsonscan.Scanner

	events []TrackingEvent // scratch, see trackingEvents
	urls   []string        // scratch for beaconUrls
	intern []string        // internSlots long once used

	// park, when set, is called at the boundaries of avails, ads and
	// tracking events once the input read passes limit (Decoder.Step); it
	// returns when the next step begins, or an error to abandon the decode.
	park  func() error
	limit int
}

// checkpoint parks the decode if this step has read its budget.
func (s *decoder) checkpoint() error {
	if s.park == nil || s.Offset() < s.limit {
		return nil
	}
	return s.park()
}

// internSlots is the size of the intern cache, a power of two. It is
// direct-mapped, not a map: the values that repeat (event types, an eventId
// shared by an ad's events) repeat close together, and the unique ones (a
// large reply's 20,000 eventIds) would only grow a map and hash every key
// through it, most of decoding's time in wasm.
const internSlots = 64

// internText is Text for values that repeat across a response (event
// types, ids shared by an ad's events): a value met again while still in
// its cache slot is not allocated again.
func (s *decoder) internText() (string, error) {
	b, ok, err := s.RawText()
	if !ok {
		return s.Str()
	}
	if err != nil || len(b) == 0 {
		return "", err
	}
	h := uint(len(b))
	for _, c := range b {
		h = h*31 + uint(c)
	}
	if s.intern == nil {
		s.intern = make([]string, internSlots)
	}
	slot := &s.intern[h&(internSlots-1)]
	if *slot != string(b) {
		*slot = string(b)
	}
	return *slot, nil
}

// integer decodes an integer given as a number or a numeric string; ok is
// false for null and "".
func (s *decoder) integer() (v int64, ok bool, err error) {
	if isNull, err := s.Null(); isNull || err != nil {
		return 0, false, err
	}
	b, ok, err := s.RawText()
	switch {
	case !ok:
		return 0, false, s.Expected("integer")
	case err != nil || len(b) == 0:
		return 0, false, err
	}
	v, ok = jsonscan.ParseInt(b)
	if !ok {
		// Whole numbers written as 640.0 are still integers.
		f, fok := jsonscan.ParseFloat(b)
		if !fok || f != float64(int64(f)) {
			return 0, false, s.Fail("expected integer, got " + quote(b))
		}
		v = int64(f)
	}
	return v, true, nil
}

// boolean decodes true/false, also as the strings "true"/"false" (VAST
// attributes copied verbatim); null gives false.
func (s *decoder) boolean() (bool, error) {
	switch s.Peek() {
	case 't':
		return true, s.Literal("true")
	case 'f':
		return false, s.Literal("false")
	case 'n':
		return false, s.Literal("null")
	case '"':
		b, err := s.RawString()
		if err != nil {
			return false, err
		}
		switch string(b) {
		case "true", "1":
			return true, nil
		case "false", "0", "":
			return false, nil
		}
		return false, s.Fail("expected boolean, got " + quote(b))
	}
	return false, s.Expected("boolean")
}

// quote renders an offending value for an error message, shortened.
func quote(b []byte) string { return jsonscan.Quote(string(b), 40) }
