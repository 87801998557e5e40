package jsconv

import (
	"syscall/js"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/availkit/availkit/internal/jsonw"
)

// eval returns the value of a JavaScript expression; fixtures are object
// literals, as in syscall/js's own tests.
func eval(expr string) js.Value {
	return js.Global().Call("eval", "("+expr+")")
}

func stringify(v js.Value) string {
	return js.Global().Get("JSON").Call("stringify", v).String()
}

type beacon struct {
	Type, URL string
	At        float64
	Attempts  int
	Tags      []string
}

func (b *beacon) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.StrField("eventType", b.Type)
	w.StrField("url", b.URL)
	w.NumField("scheduledTime", b.At)
	w.IntField("attempts", b.Attempts)
	w.Key("tags")
	w.BeginArray()
	for _, t := range b.Tags {
		w.String(t)
	}
	w.EndArray()
	w.EndObject()
}

func TestValueOf(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string // JSON.stringify of the result
	}{
		{"nil", nil, `null`},
		{"string", "a\"b", `"a\"b"`},
		{"number", 1.5, `1.5`},
		{"strings", []string{"a", "b"}, `["a","b"]`},
		{"map", map[string]any{"k": []any{1, "x"}}, `{"k":[1,"x"]}`},
		{"marshaler", &beacon{Type: "start", Tags: []string{"q"}},
			`{"eventType":"start","url":"","scheduledTime":0,"attempts":0,"tags":["q"]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, stringify(ValueOf(tt.in)))
		})
	}
}

// TestRoundTrip checks that what Go writes, JS parses back to the same
// values, escapes included, and that Text reads them back.
func TestRoundTrip(t *testing.T) {
	in := &beacon{Type: "q\"\\\n\u2028日", URL: "http://h/p?q=1&r=\x01", At: 0.1 + 0.2, Attempts: -3}
	v := ValueOf(in)
	assert.Equal(t, in.Type, v.Get("eventType").String())
	assert.Equal(t, in.URL, v.Get("url").String())
	assert.Equal(t, in.At, v.Get("scheduledTime").Float(), "shortest float text round-trips exactly")
	assert.Equal(t, -3, v.Get("attempts").Int())
	b, err := Text(v)
	require.NoError(t, err)
	assert.Equal(t, string(jsonw.AppendJSON(nil, in)), string(b))
}

func TestText(t *testing.T) {
	tests := []struct {
		name, expr, want, err string
	}{
		{"object, functions dropped", `{a:1, f(){}, v:undefined, n:null}`, `{"a":1,"n":null}`, ""},
		{"undefined", `undefined`, "", ""},
		{"function", `function(){}`, "", ""},
		{"cycle", `(() => { const o = {}; o.o = o; return o; })()`, "", "jsconv: not JSON data: "},
		{"bigint", `{n: 1n}`, "", "jsconv: not JSON data: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Text(eval(tt.expr))
			if tt.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(b))
		})
	}
}

func BenchmarkText(b *testing.B) {
	v := eval(`{sessionInitUrl:"u", adsParams:{a:"b"}, slot:{width:1,height:2}, urls:["x"]}`)
	for b.Loop() {
		_, _ = Text(v)
	}
}

func BenchmarkValueOfMarshaler(b *testing.B) {
	in := &beacon{Type: "impression", URL: "http://example.com/b?x=1", At: 12.5}
	for b.Loop() {
		ValueOf(in)
	}
}
