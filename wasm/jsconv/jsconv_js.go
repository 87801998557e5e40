package jsconv

import (
	"syscall/js"

	"github.com/availkit/availkit/internal/jsonw"
)

var (
	jsonParse     = js.Global().Get("JSON").Get("parse")
	jsonStringify = js.Global().Get("JSON").Get("stringify")
	array         = js.Global().Get("Array")
	jsNumber      = js.Global().Get("Number")
)

// ValueOf returns x as a JavaScript value. It accepts what js.ValueOf
// accepts (nil, bool, numbers, string, js.Value, js.Func, []any,
// map[string]any), plus []string and Marshalers, which are written as JSON
// and parsed by JSON.parse in one crossing. Anything else panics, as
// js.ValueOf does: it is a programming error, not bad input.
func ValueOf(x any) js.Value {
	switch x := x.(type) {
	case jsonw.Marshaler:
		return jsonParse.Invoke(string(jsonw.AppendJSON(nil, x)))
	case []string:
		a := array.New(len(x))
		for i, s := range x {
			a.SetIndex(i, s)
		}
		return a
	}
	return js.ValueOf(x)
}

// Text returns the JSON text of v (JSON.stringify, one crossing): nil for
// undefined, and for what JSON.stringify refuses (a cycle, a BigInt) an
// error naming why. Functions and DOM-only values inside v are dropped, as
// JSON.stringify drops them; the host's data fields are what cross.
func Text(v js.Value) (b []byte, err error) {
	if v.IsUndefined() {
		return nil, nil
	}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(js.Error)
			if !ok {
				panic(r)
			}
			err = &TextError{Msg: e.Value.Get("message").String()}
		}
	}()
	s := jsonStringify.Invoke(v)
	if s.Type() != js.TypeString {
		return nil, nil // a function or a symbol: nothing to read
	}
	return []byte(s.String()), nil
}

// A TextError is a value JSON.stringify refused.
type TextError struct{ Msg string }

func (e *TextError) Error() string { return "jsconv: not JSON data: " + e.Msg }
