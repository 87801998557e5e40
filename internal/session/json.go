package session

import (
	"errors"
	"strconv"

	"github.com/availkit/availkit/internal/errchain"
	"github.com/availkit/availkit/internal/jsonscan"
)

// field is one looked-up top-level member of a JSON object.
type field struct {
	value   string
	present bool // key present with a non-null value
	notText bool // present but not a string
}

// maxDepth bounds nesting, the root object included: replies are flat, so
// anything deep is hostile.
const maxDepth = 34

// parseFlatObject validates that data is one JSON object and returns the
// string values of the wanted top-level keys; every other member is skipped
// (validated, any nesting up to maxDepth). A repeated key keeps its last
// value. It exists so this package needs no encoding/json, which is too
// heavy for the wasm build.
func parseFlatObject(data []byte, keys ...string) ([]field, error) {
	s := jsonscan.Scanner{MaxDepth: maxDepth}
	s.Reset(data)
	out := make([]field, len(keys))
	if s.Peek() != '{' {
		return nil, jsonError(s.Syntax("expected a JSON object"))
	}
	err := s.Object(func(key []byte) error {
		idx := -1
		for i, want := range keys {
			if want == string(key) {
				idx = i
			}
		}
		if idx < 0 {
			return s.Skip()
		}
		var err error
		switch s.Peek() {
		case '"':
			out[idx].value, err = s.Str()
			out[idx].present, out[idx].notText = true, false
		case 'n':
			out[idx], err = field{}, s.Literal("null")
		default:
			out[idx], err = field{present: true, notText: true}, s.Skip()
		}
		return err
	})
	if err == nil {
		err = s.End()
	}
	if err != nil {
		return nil, jsonError(err)
	}
	return out, nil
}

// jsonError words a scanner error for KindBadJSON messages: the JSON path
// means nothing to the host, the offset does.
func jsonError(err error) error {
	se, ok := errchain.As[*jsonscan.Error](err)
	if !ok {
		return err
	}
	msg := se.Msg
	if errchain.Is(err, jsonscan.ErrTooDeep) {
		msg = "nesting too deep at offset " + strconv.Itoa(se.Offset)
	}
	return errors.New("invalid JSON: " + msg)
}
