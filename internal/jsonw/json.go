// Package jsonw writes JSON without reflection: a type says how it is
// written, once, in a MarshalJSONTo method that calls a Writer. The Writer
// escapes and formats like JavaScript's JSON.stringify, so a value written
// here parses in one JSON.parse on the other side of the wasm boundary.
// encoding/json is not used because reflection costs the plugin about
// 150 KB brotli (see wasm/jsdeps).
package jsonw

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// A Marshaler writes itself as one JSON value.
type Marshaler interface {
	MarshalJSONTo(w *Writer)
}

// AppendJSON appends the JSON encoding of m to dst.
func AppendJSON(dst []byte, m Marshaler) []byte {
	w := Writer{buf: dst}
	m.MarshalJSONTo(&w)
	return w.buf
}

// Writer builds JSON text. It places commas and colons itself: callers write
// keys and values in order and never punctuation. The zero value writes into
// a new buffer. Writer does not check that the sequence of calls forms valid
// JSON (a key outside an object, unbalanced ends); Marshalers are small and
// covered by tests.
type Writer struct {
	buf   []byte
	comma bool // a value was written at this level: the next one needs ','
}

// NewWriter returns a Writer appending to dst.
func NewWriter(dst []byte) *Writer { return &Writer{buf: dst} }

// Bytes returns the text written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// Reset empties the buffer, keeping its storage.
func (w *Writer) Reset() { w.buf, w.comma = w.buf[:0], false }

func (w *Writer) sep() {
	if w.comma {
		w.buf = append(w.buf, ',')
	}
	w.comma = true
}

// BeginObject writes '{'.
func (w *Writer) BeginObject() { w.sep(); w.buf = append(w.buf, '{'); w.comma = false }

// EndObject writes '}'.
func (w *Writer) EndObject() { w.buf = append(w.buf, '}'); w.comma = true }

// BeginArray writes '['.
func (w *Writer) BeginArray() { w.sep(); w.buf = append(w.buf, '['); w.comma = false }

// EndArray writes ']'.
func (w *Writer) EndArray() { w.buf = append(w.buf, ']'); w.comma = true }

// Key writes an object key; the next call writes its value.
func (w *Writer) Key(k string) {
	w.sep()
	w.buf = AppendString(w.buf, k)
	w.buf = append(w.buf, ':')
	w.comma = false
}

// String writes a string value.
func (w *Writer) String(s string) { w.sep(); w.buf = AppendString(w.buf, s) }

// Number writes a number; NaN and ±Inf, which JSON cannot hold, are written
// as null, as JSON.stringify does.
func (w *Writer) Number(f float64) {
	w.sep()
	if math.IsNaN(f) || math.IsInf(f, 0) {
		w.buf = append(w.buf, "null"...)
		return
	}
	w.buf = strconv.AppendFloat(w.buf, f, 'g', -1, 64)
}

// Int writes an integer.
func (w *Writer) Int(i int) { w.sep(); w.buf = strconv.AppendInt(w.buf, int64(i), 10) }

// Bool writes true or false.
func (w *Writer) Bool(b bool) { w.sep(); w.buf = strconv.AppendBool(w.buf, b) }

// Null writes null.
func (w *Writer) Null() { w.sep(); w.buf = append(w.buf, "null"...) }

// Value writes m, or null when m is nil.
func (w *Writer) Value(m Marshaler) {
	if m == nil {
		w.Null()
		return
	}
	m.MarshalJSONTo(w)
}

// Strings writes an array of strings; nil is written as [].
func (w *Writer) Strings(ss []string) {
	w.BeginArray()
	for _, s := range ss {
		w.String(s)
	}
	w.EndArray()
}

// StrField, NumField, IntField and BoolField write one key and its value.
func (w *Writer) StrField(k, v string)         { w.Key(k); w.String(v) }
func (w *Writer) NumField(k string, v float64) { w.Key(k); w.Number(v) }
func (w *Writer) IntField(k string, v int)     { w.Key(k); w.Int(v) }
func (w *Writer) BoolField(k string, v bool)   { w.Key(k); w.Bool(v) }

// AppendString appends s as a JSON string literal. Invalid UTF-8 is
// replaced by U+FFFD so the output always parses.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\ufffd"...)
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
