package jsconv

import (
	"math"
	"strconv"
	"syscall/js"

	"github.com/availkit/availkit/internal/jsonw"
)

var (
	jsonParse = js.Global().Get("JSON").Get("parse")
	object    = js.Global().Get("Object")
	array     = js.Global().Get("Array")
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

// A DecodeError reports a JavaScript value whose type does not fit the Go
// destination. Path names the property, as in "config.adsParams.deviceType".
type DecodeError struct {
	Path string
	Want string // expected JavaScript type
	Got  string // what was found
}

func (e *DecodeError) Error() string {
	p := e.Path
	if p == "" {
		p = "value"
	}
	return "jsconv: " + p + ": want " + e.Want + ", got " + e.Got
}

// An Unmarshaler reads itself from the properties of a JavaScript object.
type Unmarshaler interface {
	UnmarshalJS(r Reader)
}

// Decode fills u from the JavaScript object v. undefined and null leave u
// as it is; any other non-object is a *DecodeError. The first mismatch
// found by u's UnmarshalJS is returned.
func Decode(v js.Value, u Unmarshaler) error {
	var err *DecodeError
	r := Reader{v: v, err: &err}
	if r.object("") {
		u.UnmarshalJS(r)
	}
	if err != nil {
		return err
	}
	return nil
}

// Reader reads typed properties of one JavaScript object for UnmarshalJS.
// Each getter leaves its destination untouched when the property is
// missing, undefined or null, and after the first mismatch every getter is
// a no-op; Decode returns that mismatch.
type Reader struct {
	v    js.Value
	path string
	err  **DecodeError
}

func (r Reader) join(name string) string {
	if r.path == "" {
		return name
	}
	return r.path + "." + name
}

// get returns the property and whether the getter should proceed.
func (r Reader) get(name string) (js.Value, bool) {
	if *r.err != nil {
		return js.Value{}, false
	}
	p := r.v.Get(name)
	t := p.Type()
	return p, t != js.TypeUndefined && t != js.TypeNull
}

func (r Reader) fail(path, want string, got js.Value) {
	g := got.Type().String()
	if got.Type() == js.TypeNumber {
		g = "number " + strconv.FormatFloat(got.Float(), 'g', -1, 64)
	} else if isArray(got) {
		g = "array"
	}
	*r.err = &DecodeError{Path: path, Want: want, Got: g}
}

// object checks that r's own value is an object (or absent).
func (r Reader) object(path string) bool {
	t := r.v.Type()
	if t == js.TypeUndefined || t == js.TypeNull {
		return false
	}
	if t != js.TypeObject && t != js.TypeFunction {
		r.fail(path, "object", r.v)
		return false
	}
	return true
}

// Has reports whether the property is present and neither undefined nor
// null.
func (r Reader) Has(name string) bool {
	_, ok := r.get(name)
	return ok
}

// String reads a string property.
func (r Reader) String(name string, dst *string) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if p.Type() != js.TypeString {
		r.fail(r.join(name), "string", p)
		return
	}
	*dst = p.String()
}

// Float reads a number property.
func (r Reader) Float(name string, dst *float64) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if p.Type() != js.TypeNumber {
		r.fail(r.join(name), "number", p)
		return
	}
	*dst = p.Float()
}

// FloatPtr reads an optional number property: dst stays nil when absent.
func (r Reader) FloatPtr(name string, dst **float64) {
	if !r.Has(name) {
		return
	}
	var f float64
	r.Float(name, &f)
	if *r.err == nil {
		*dst = &f
	}
}

// Int reads a number property that is an exact integer.
func (r Reader) Int(name string, dst *int) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if p.Type() != js.TypeNumber {
		r.fail(r.join(name), "integer", p)
		return
	}
	f := p.Float()
	if f != math.Trunc(f) || math.Abs(f) > 1<<53 { // beyond 2^53 a number is not an exact integer
		r.fail(r.join(name), "integer", p)
		return
	}
	*dst = int(f)
}

// Bool reads a boolean property.
func (r Reader) Bool(name string, dst *bool) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if p.Type() != js.TypeBoolean {
		r.fail(r.join(name), "boolean", p)
		return
	}
	*dst = p.Bool()
}

// BoolPtr reads an optional boolean property: dst stays nil when absent.
func (r Reader) BoolPtr(name string, dst **bool) {
	if !r.Has(name) {
		return
	}
	var b bool
	r.Bool(name, &b)
	if *r.err == nil {
		*dst = &b
	}
}

// Func reads a function property.
func (r Reader) Func(name string, dst *js.Value) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if p.Type() != js.TypeFunction {
		r.fail(r.join(name), "function", p)
		return
	}
	*dst = p
}

// Value reads any property as is.
func (r Reader) Value(name string, dst *js.Value) {
	if p, ok := r.get(name); ok {
		*dst = p
	}
}

// Strings reads an array of strings.
func (r Reader) Strings(name string, dst *[]string) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if !isArray(p) {
		r.fail(r.join(name), "array", p)
		return
	}
	out := make([]string, p.Length())
	for i := range out {
		e := p.Index(i)
		if e.Type() != js.TypeString {
			r.fail(r.join(name)+"["+strconv.Itoa(i)+"]", "string", e)
			return
		}
		out[i] = e.String()
	}
	*dst = out
}

// Params reads an object of parameters into a string map the way query
// and template parameters are read: strings as they are, finite numbers and
// booleans in their JSON text, null and undefined values left out. Nested
// objects and arrays are mismatches.
func (r Reader) Params(name string, dst *map[string]string) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	if p.Type() != js.TypeObject || isArray(p) {
		r.fail(r.join(name), "object", p)
		return
	}
	keys := object.Call("keys", p)
	out := make(map[string]string, keys.Length())
	for i := range keys.Length() {
		k := keys.Index(i).String()
		e := p.Get(k)
		switch e.Type() {
		case js.TypeString:
			out[k] = e.String()
		case js.TypeNumber:
			f := e.Float()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				r.fail(r.join(name)+"."+k, "string", e)
				return
			}
			out[k] = strconv.FormatFloat(f, 'f', -1, 64)
		case js.TypeBoolean:
			out[k] = strconv.FormatBool(e.Bool())
		case js.TypeUndefined, js.TypeNull:
		default:
			r.fail(r.join(name)+"."+k, "string", e)
			return
		}
	}
	*dst = out
}

// Object reads a nested object property into u.
func (r Reader) Object(name string, u Unmarshaler) {
	p, ok := r.get(name)
	if !ok {
		return
	}
	sub := Reader{v: p, path: r.join(name), err: r.err}
	if sub.object(sub.path) {
		u.UnmarshalJS(sub)
	}
}

func isArray(v js.Value) bool {
	return v.Type() == js.TypeObject && array.Call("isArray", v).Bool()
}
