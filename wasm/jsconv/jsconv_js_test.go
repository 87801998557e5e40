package jsconv

import (
	"errors"
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

type slot struct {
	Width, Height int
	ID            string
}

func (s *slot) UnmarshalJS(r Reader) {
	r.Int("width", &s.Width)
	r.Int("height", &s.Height)
	r.String("adSlotId", &s.ID)
}

type options struct {
	URL     string
	Ads     map[string]string
	NoSkip  string
	Lead    *float64
	UI      *bool
	Live    bool
	Beacons []string
	Slot    slot
	Emit    js.Value
	Video   js.Value
	Count   int
}

func (o *options) UnmarshalJS(r Reader) {
	r.String("sessionInitUrl", &o.URL)
	r.Params("adsParams", &o.Ads)
	r.String("noSkip", &o.NoSkip)
	r.FloatPtr("upcomingLead", &o.Lead)
	r.BoolPtr("ui", &o.UI)
	r.Bool("live", &o.Live)
	r.Strings("urls", &o.Beacons)
	r.Object("slot", &o.Slot)
	r.Func("emit", &o.Emit)
	r.Value("video", &o.Video)
	r.Int("count", &o.Count)
}

func TestDecode(t *testing.T) {
	f, lead := false, 5.5
	tests := []struct {
		name string
		in   string
		pre  options // defaults filled in before decoding
		want options
		err  string // the whole error message, "" for none
	}{
		{
			name: "full options",
			in: `{sessionInitUrl:"http://x/v1/session/a/b/c.m3u8", adsParams:{deviceType:"web", w:640, hd:true, gone:null},
				noSkip:"first", upcomingLead:5.5, ui:false, live:true, urls:["http://b/1","http://b/2"],
				slot:{width:300,height:250,adSlotId:"side"}, count:3, unknown:1}`,
			want: options{URL: "http://x/v1/session/a/b/c.m3u8", Ads: map[string]string{"deviceType": "web", "w": "640", "hd": "true"},
				NoSkip: "first", Lead: &lead, UI: &f, Live: true, Beacons: []string{"http://b/1", "http://b/2"},
				Slot: slot{300, 250, "side"}, Count: 3},
		},
		{
			name: "missing and null keep defaults",
			in:   `{noSkip:null, slot:null}`,
			pre:  options{NoSkip: "last", Count: 7, Slot: slot{ID: "keep"}},
			want: options{NoSkip: "last", Count: 7, Slot: slot{ID: "keep"}},
		},
		{name: "undefined value is no object", in: `undefined`, want: options{}},
		{name: "nested path", in: `{slot:{width:"300"}}`, err: "jsconv: slot.width: want integer, got string"},
		{name: "fractional int", in: `{count:1.5}`, err: "jsconv: count: want integer, got number 1.5"},
		{name: "unsafe int", in: `{count:2**60}`, err: "jsconv: count: want integer, got number 1.152921504606847e+18"},
		{name: "array element", in: `{urls:["a",2]}`, err: "jsconv: urls[1]: want string, got number 2"},
		{name: "object for array", in: `{urls:{}}`, err: "jsconv: urls: want array, got object"},
		{name: "array for params", in: `{adsParams:[1]}`, err: "jsconv: adsParams: want object, got array"},
		{name: "nested param", in: `{adsParams:{a:{b:1}}}`, err: "jsconv: adsParams.a: want string, got object"},
		{name: "NaN param", in: `{adsParams:{a:NaN}}`, err: "jsconv: adsParams.a: want string, got number NaN"},
		{name: "string for bool", in: `{live:"yes"}`, err: "jsconv: live: want boolean, got string"},
		{name: "object for func", in: `{emit:{}}`, err: "jsconv: emit: want function, got object"},
		{name: "string for object", in: `"hello"`, err: "jsconv: value: want object, got string"},
		{name: "first error wins", in: `{noSkip:1, count:"x"}`, err: "jsconv: noSkip: want string, got number 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.pre
			err := Decode(eval(tt.in), &got)
			if tt.err != "" {
				require.Error(t, err)
				assert.Equal(t, tt.err, err.Error())
				var de *DecodeError
				assert.True(t, errors.As(err, &de), "error is a *DecodeError")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeKeepsJSValues(t *testing.T) {
	obj := eval(`{video:{tagName:"VIDEO"}, emit(){ return 42 }}`)
	var o options
	require.NoError(t, Decode(obj, &o))
	assert.True(t, o.Video.Equal(obj.Get("video")), "the identical object")
	assert.Equal(t, 42, o.Emit.Invoke().Int(), "the function is callable")
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
			`{"eventType":"start","url":"","scheduledTime":0,"attempts":0,"ok":false,"tags":["q"],"inner":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, stringify(ValueOf(tt.in)))
		})
	}
}

// TestRoundTrip checks that what Go writes, JS parses back to the same
// values, escapes included.
func TestRoundTrip(t *testing.T) {
	in := &beacon{Type: "q\"\\\n\u2028日", URL: "http://h/p?q=1&r=\x01", At: 0.1 + 0.2, Attempts: -3}
	v := ValueOf(in)
	assert.Equal(t, in.Type, v.Get("eventType").String())
	assert.Equal(t, in.URL, v.Get("url").String())
	assert.Equal(t, in.At, v.Get("scheduledTime").Float(), "shortest float text round-trips exactly")
	assert.Equal(t, -3, v.Get("attempts").Int())
}

func BenchmarkDecode(b *testing.B) {
	v := eval(`{sessionInitUrl:"u", adsParams:{a:"b"}, slot:{width:1,height:2}, urls:["x"]}`)
	var o options
	for b.Loop() {
		_ = Decode(v, &o)
	}
}

func BenchmarkValueOfMarshaler(b *testing.B) {
	in := &beacon{Type: "impression", URL: "http://example.com/b?x=1", At: 12.5}
	for b.Loop() {
		ValueOf(in)
	}
}

// beacon is a Marshaler shaped like the plugin's event details.
type beacon struct {
	Type     string
	URL      string
	At       float64
	Attempts int
	OK       bool
	Tags     []string
}

func (b *beacon) MarshalJSONTo(w *jsonw.Writer) {
	w.BeginObject()
	w.StrField("eventType", b.Type)
	w.StrField("url", b.URL)
	w.NumField("scheduledTime", b.At)
	w.IntField("attempts", b.Attempts)
	w.BoolField("ok", b.OK)
	w.Key("tags")
	w.Strings(b.Tags)
	w.Key("inner")
	w.Null()
	w.EndObject()
}
