package jsonw

import (
	"encoding/json"
	"math"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// beacon is a Marshaler shaped like the plugin's event details.
type beacon struct {
	Type     string
	URL      string
	At       float64
	Attempts int
	OK       bool
	Tags     []string
	Inner    *beacon
}

func (b *beacon) MarshalJSONTo(w *Writer) {
	w.BeginObject()
	w.StrField("eventType", b.Type)
	w.StrField("url", b.URL)
	w.NumField("scheduledTime", b.At)
	w.IntField("attempts", b.Attempts)
	w.BoolField("ok", b.OK)
	w.Key("tags")
	w.Strings(b.Tags)
	w.Key("inner")
	if b.Inner != nil {
		w.Value(b.Inner)
	} else {
		w.Null()
	}
	w.EndObject()
}

type list []*beacon

func (l list) MarshalJSONTo(w *Writer) {
	w.BeginArray()
	for _, b := range l {
		w.Value(b)
	}
	w.EndArray()
}

func TestAppendJSON(t *testing.T) {
	tests := []struct {
		name string
		in   Marshaler
		want string
	}{
		{"object", &beacon{Type: "impression", URL: "http://a/?x=1&y=<2>", At: 12.5, Attempts: 2, OK: true, Tags: []string{"t"}},
			`{"eventType":"impression","url":"http://a/?x=1&y=<2>","scheduledTime":12.5,"attempts":2,"ok":true,"tags":["t"],"inner":null}`},
		{"nil slice is empty array", &beacon{}, `{"eventType":"","url":"","scheduledTime":0,"attempts":0,"ok":false,"tags":[],"inner":null}`},
		{"nested", &beacon{Inner: &beacon{Type: "in"}},
			`{"eventType":"","url":"","scheduledTime":0,"attempts":0,"ok":false,"tags":[],"inner":{"eventType":"in","url":"","scheduledTime":0,"attempts":0,"ok":false,"tags":[],"inner":null}}`},
		{"array of objects", list{{Type: "a"}, {Type: "b"}},
			`[{"eventType":"a","url":"","scheduledTime":0,"attempts":0,"ok":false,"tags":[],"inner":null},{"eventType":"b","url":"","scheduledTime":0,"attempts":0,"ok":false,"tags":[],"inner":null}]`},
		{"empty array", list{}, `[]`},
		{"NaN and Inf are null", &beacon{At: math.NaN()}, `{"eventType":"","url":"","scheduledTime":null,"attempts":0,"ok":false,"tags":[],"inner":null}`},
		{"large and tiny numbers", list{{At: 1e21}, {At: -5e-324}}, `[{"eventType":"","url":"","scheduledTime":1e21,"attempts":0,"ok":false,"tags":[],"inner":null},{"eventType":"","url":"","scheduledTime":-5e-324,"attempts":0,"ok":false,"tags":[],"inner":null}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AppendJSON([]byte("prefix:"), tt.in)
			require.Equal(t, "prefix:", string(got[:7]), "AppendJSON appends")
			got = got[7:]
			require.True(t, json.Valid(got), "invalid JSON: %s", got)
			assert.JSONEq(t, tt.want, string(got))
		})
	}
}

func TestWriterReset(t *testing.T) {
	w := NewWriter(nil)
	w.BeginArray()
	w.Int(1)
	w.EndArray()
	w.Reset()
	w.BeginArray()
	w.Int(2)
	w.Int(3)
	w.EndArray()
	assert.Equal(t, "[2,3]", string(w.Bytes()), "Reset must also forget the pending comma")
}

func TestAppendStringRoundTrip(t *testing.T) {
	for _, s := range []string{"", "plain", "\x00\x1f\x7f", "日本語", "\"\\/", "tab\tcr\r\nlf", "\u2028", "\xc3\x28", "a\xffb"} {
		t.Run(s, func(t *testing.T) {
			var back string
			require.NoError(t, json.Unmarshal(AppendString(nil, s), &back))
			if utf8.ValidString(s) {
				assert.Equal(t, s, back)
			} else {
				assert.Equal(t, string([]rune(s)), back, "invalid UTF-8 comes back as U+FFFD")
			}
		})
	}
}

// TestAppendStringEscapes pins the characters written as escapes: those
// JSON requires; everything else passes through raw, as JSON.stringify
// writes it (the session-init body and the JavaScript mirror of it agree).
func TestAppendStringEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\"b\\c", `"a\"b\\c"`},
		{"\x00\x1f\n\r\t", `"\u0000\u001f\n\r\t"`},
		{"\x7f\u2028é😀</script>", "\"\x7f\u2028é😀</script>\""},
		{"x\xffy", "\"x\ufffdy\""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			assert.Equal(t, tt.want, string(AppendString(nil, tt.in)))
		})
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\x00", "\xff", "日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString(nil, s)
		var back string
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("AppendString(%q) = %s: %v", s, out, err)
		}
		if utf8.ValidString(s) && back != s {
			t.Fatalf("round trip %q -> %q", s, back)
		}
	})
}

func BenchmarkAppendJSON(b *testing.B) {
	v := &beacon{Type: "impression", URL: "http://example.com/b?x=1", At: 12.5, Tags: []string{"a", "b"}}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendJSON(buf[:0], v)
	}
}
