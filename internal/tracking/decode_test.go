package tracking

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the decoder's output")

// dump renders every non-zero field of v as "path = value" lines, so golden
// files show exactly what the decoder produced and nothing else.
func dump(v any) string {
	var b strings.Builder
	dumpValue(&b, "", reflect.ValueOf(v))
	return b.String()
}

func dumpValue(b *strings.Builder, path string, v reflect.Value) {
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Type() == reflect.TypeOf(time.Duration(0)) {
		if v.Int() != 0 {
			fmt.Fprintf(b, "%s = %v\n", path, time.Duration(v.Int()))
		}
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			p := v.Type().Field(i).Name
			if path != "" {
				p = path + "." + p
			}
			dumpValue(b, p, v.Field(i))
		}
	case reflect.Slice:
		if v.Len() == 0 {
			return
		}
		fmt.Fprintf(b, "%s: %d\n", path, v.Len())
		for i := 0; i < v.Len(); i++ {
			dumpValue(b, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	default:
		if !v.IsZero() {
			fmt.Fprintf(b, "%s = %#v\n", path, v.Interface())
		}
	}
}

func TestDecodeGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			r, err := Decode(data)
			require.NoError(t, err)
			got := dump(r)
			golden := strings.TrimSuffix(f, ".json") + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "run go test -update to create %s", golden)
			assert.Equal(t, string(want), got)
		})
	}
}

// TestDecodeSemantics spells out the facts the golden files encode that a
// player depends on, so a careless -update cannot hide a regression.
func TestDecodeSemantics(t *testing.T) {
	load := func(t *testing.T, name string) *Response {
		data, err := os.ReadFile("testdata/" + name)
		require.NoError(t, err)
		r, err := Decode(data)
		require.NoError(t, err)
		return r
	}
	t.Run("vod ISO precision beats InSeconds", func(t *testing.T) {
		r := load(t, "seed-vod.json")
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, 17817798612*time.Nanosecond, ad.StartTime)
		assert.Equal(t, 15100000078*time.Nanosecond, ad.Duration)
		require.Len(t, ad.TrackingEvents, 6)
		assert.Equal(t, "8104390", ad.TrackingEvents[5].EventID)
		assert.Equal(t, 32917798690*time.Nanosecond, ad.TrackingEvents[5].StartTime)
	})
	t.Run("vpaid fields lifted out of mediaFiles", func(t *testing.T) {
		r := load(t, "seed-vpaid.json")
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, 39700000165*time.Nanosecond, ad.StartTime)
		assert.Equal(t, 15066667079*time.Nanosecond, ad.Duration)
		assert.Contains(t, ad.AdParameters, `"mimetype":"video/mp4"`)
		require.Len(t, ad.TrackingEvents, 1)
		assert.Equal(t, "impression", ad.TrackingEvents[0].EventType)
		require.Len(t, ad.MediaFiles.MediaFilesList, 2)
		assert.Equal(t, "VPAID", ad.MediaFiles.MediaFilesList[0].APIFramework)
		assert.Equal(t, 176, ad.MediaFiles.MediaFilesList[0].Width)
	})
	t.Run("companion with empty tracking placeholder", func(t *testing.T) {
		r := load(t, "seed-companion.json")
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, 116060003037*time.Nanosecond, ad.StartTime)
		require.Len(t, ad.CompanionAds, 1)
		assert.Empty(t, ad.CompanionAds[0].TrackingEvents)
		assert.Equal(t, "REQUIRED", ad.CompanionAds[0].Attributes.Width)
		assert.True(t, strings.HasPrefix(ad.CompanionAds[0].HTMLResource, `<![CDATA[<!doctype html><html><head><meta name="viewport"`))
	})
	t.Run("full schema", func(t *testing.T) {
		r := load(t, "full.json")
		assert.True(t, r.HasHLSAnchor)
		assert.EqualValues(t, 8104380, r.HLSAnchorMediaSequence)
		ad := r.Avails[0].Ads[0]
		assert.Equal(t, "Café 🍰 \"Spring\" sale", ad.AdTitle)
		require.Len(t, ad.CompanionAds, 2)
		assert.Equal(t, []TrackingEvent{{EventType: "creativeView", BeaconURLs: []string{"https://ads.example.com/cv?id=2"}}}, ad.CompanionAds[1].TrackingEvents)
		assert.Equal(t, "300", ad.CompanionAds[1].Attributes.Width)
		assert.Equal(t, "any", ad.CompanionAds[0].Attributes.Required)
		require.Len(t, ad.Extensions, 1, "the legacy {extension:{}} entry carries no type/content")
		assert.Equal(t, "verificationNotExecuted", ad.AdVerifications[0].TrackingEvents[0].EventType)
		assert.True(t, ad.AdVerifications[0].JavaScriptResource[0].BrowserOptional)
		assert.Len(t, r.Avails[0].AdBreakTrackingEvents, 3)
		nl := r.NonLinearAvails[0].NonLinearAdsList[0].NonLinearAdList[0]
		assert.Equal(t, 10*time.Second, nl.Duration)
		assert.Equal(t, 5*time.Second, nl.MinSuggestedDuration)
		assert.Equal(t, 2*time.Minute, r.NonLinearAvails[0].StartTime)
	})
	t.Run("unfilled avail keeps its break events", func(t *testing.T) {
		r := load(t, "unfilled.json")
		require.Len(t, r.Avails, 1)
		assert.Empty(t, r.Avails[0].Ads)
		assert.Zero(t, r.Avails[0].Duration)
		assert.Len(t, r.Avails[0].AdBreakTrackingEvents, 2)
		assert.True(t, r.HasHLSAnchor)
		assert.Zero(t, r.HLSAnchorMediaSequence)
	})
	t.Run("live dash long start times", func(t *testing.T) {
		r := load(t, "live-dash.json")
		assert.Equal(t, "2022-10-05T19:00:00Z", r.DashAvailabilityStartTime)
		assert.False(t, r.HasHLSAnchor)
		assert.Equal(t, 5042*time.Hour+27*time.Minute+59931*time.Millisecond, r.Avails[0].StartTime)
		assert.Equal(t, 30*time.Second, r.Avails[0].AdMarkerDuration)
	})
}

func TestDecodeFallbackAndNulls(t *testing.T) {
	tests := []struct {
		name string
		json string
		want *Response
	}{
		{"all null", `{"avails":null,"nonLinearAvails":null,"nextToken":null,"dashAvailabilityStartTime":null,"hlsAnchorMediaSequenceNumber":null}`, &Response{}},
		{"empty object", `{}`, &Response{}},
		{"InSeconds fallback", `{"avails":[{"availId":7,"startTimeInSeconds":12.5,"durationInSeconds":30}]}`,
			&Response{Avails: []Avail{{AvailID: "7", StartTime: 12500 * time.Millisecond, Duration: 30 * time.Second}}}},
		{"ISO wins regardless of order", `{"avails":[{"startTimeInSeconds":1.999,"startTime":"PT1.999999999S"}]}`,
			&Response{Avails: []Avail{{StartTime: 1999999999}}}},
		{"null ISO falls back", `{"avails":[{"startTime":null,"startTimeInSeconds":3}]}`,
			&Response{Avails: []Avail{{StartTime: 3 * time.Second}}}},
		{"hls anchor as number", `{"hlsAnchorMediaSequenceNumber":42}`, &Response{HLSAnchorMediaSequence: 42, HasHLSAnchor: true}},
		{"hls anchor empty string", `{"hlsAnchorMediaSequenceNumber":""}`, &Response{}},
		{"unknown keys skipped at any depth", `{"x":{"a":[{"b":{"c":[1,"\u0041",null,true]}}]},"avails":[{"ads":[{"zzz":[[]],"adId":"1"}]}]}`,
			&Response{Avails: []Avail{{Ads: []Ad{{AdID: "1"}}}}}},
		{"escapes", `{"nextToken":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\ud800x"}`,
			&Response{NextToken: "a\"b\\c/d\b\f\n\r\t\u00e9\U0001F600\uFFFDx"}},
		{"lone low surrogate then pair", `{"nextToken":"\udc00\ud83d\ude00"}`, &Response{NextToken: "\uFFFD\U0001F600"}},
		{"null beacon url dropped", `{"avails":[{"ads":[{"trackingEvents":[{"eventType":"start","beaconUrls":[null,"u"]}]}]}]}`,
			&Response{Avails: []Avail{{Ads: []Ad{{TrackingEvents: []TrackingEvent{{EventType: "start", BeaconURLs: []string{"u"}}}}}}}}},
		{"own ad fields beat mediaFiles ones", `{"avails":[{"ads":[{"duration":"PT1S","mediaFiles":{"duration":"PT2S","startTime":"PT3S","adParameters":"p"}}]}]}`,
			&Response{Avails: []Avail{{Ads: []Ad{{Duration: time.Second, StartTime: 3 * time.Second, AdParameters: "p"}}}}}},
		{"whitespace everywhere", " \n{ \"nextToken\" : \"t\" \t}\r\n", &Response{NextToken: "t"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode([]byte(tt.json))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	deep := strings.Repeat(`{"x":`, 100) + "1" + strings.Repeat("}", 100)
	tests := []struct {
		name string
		json string
		want string
	}{
		{"wrong type names the path", `{"avails":[{"ads":[{},{"durationInSeconds":"15"}]}]}`,
			`tracking: avails[0].ads[1].durationInSeconds: expected number, got string`},
		{"avails not array", `{"avails":{}}`, `tracking: avails: expected array, got object`},
		{"ISO as number", `{"avails":[{"duration":15}]}`, `tracking: avails[0].duration: expected ISO-8601 duration string, got number`},
		{"bad ISO", `{"avails":[{"startTime":"15 seconds"}]}`, `tracking: avails[0].startTime: invalid ISO-8601 duration "15 seconds"`},
		{"negative ISO", `{"avails":[{"ads":[{"duration":"-PT5S"}]}]}`, `tracking: avails[0].ads[0].duration: negative duration "-PT5S"`},
		{"negative component", `{"avails":[{"duration":"PT-1M"}]}`, `tracking: avails[0].duration: negative duration "PT-1M"`},
		{"negative seconds", `{"avails":[{"startTimeInSeconds":-3.5}]}`, `tracking: avails[0].startTimeInSeconds: negative time -3.5`},
		{"beacon url not string", `{"avails":[{"ads":[{"trackingEvents":[{"beaconUrls":[1]}]}]}]}`,
			`tracking: avails[0].ads[0].trackingEvents[0].beaconUrls[0]: expected string, got number`},
		{"width not integer", `{"avails":[{"ads":[{"mediaFiles":{"mediaFilesList":[{"width":"wide"}]}}]}]}`,
			`tracking: avails[0].ads[0].mediaFiles.mediaFilesList[0].width: expected integer, got "wide"`},
		{"fractional width", `{"avails":[{"ads":[{"mediaFiles":{"mediaFilesList":[{"width":1.5}]}}]}]}`,
			`tracking: avails[0].ads[0].mediaFiles.mediaFilesList[0].width: expected integer, got "1.5"`},
		{"anchor not integer", `{"hlsAnchorMediaSequenceNumber":"abc"}`, `tracking: hlsAnchorMediaSequenceNumber: expected integer, got "abc"`},
		{"boolean string", `{"avails":[{"ads":[{"mediaFiles":{"mediaFilesList":[{"scalable":"yes"}]}}]}]}`,
			`tracking: avails[0].ads[0].mediaFiles.mediaFilesList[0].scalable: expected boolean, got "yes"`},
		{"companion attributes not object", `{"avails":[{"ads":[{"companionAds":[{"attributes":[]}]}]}]}`,
			`tracking: avails[0].ads[0].companionAds[0].attributes: expected object, got array`},
		{"root array", `[]`, `tracking: expected object, got array`},
		{"root null", `null`, `tracking: expected object, got null`},
		{"empty input", ``, `tracking: unexpected end of input`},
		{"truncated", `{"avails":[{"ads":[`, `tracking: avails[0].ads[0]: unexpected end of input`},
		{"truncated string", `{"nextToken":"abc`, `tracking: nextToken: unexpected end of input`},
		{"garbage", `{"avails":[xyz]}`, `tracking: avails[0]: expected object, got invalid character 'x' at offset 11`},
		{"elision placeholder", `{"avails":[{"ads":[...]}]}`, `tracking: avails[0].ads[0]: expected object, got "..." (an elision placeholder, not JSON) at offset 19`},
		{"placeholder in skipped value", `{"x":[...]}`, `tracking: x[0]: expected a JSON value, got "..." (an elision placeholder, not JSON) at offset 6`},
		{"two documents", `{}{}`, `tracking: trailing data: a second JSON document follows the first at offset 2`},
		{"number where ad expected", `{"avails":[{"ads":[1]}]}`, `tracking: avails[0].ads[0]: expected object, got number`},
		{"trailing garbage", `{} x`, `tracking: trailing data at offset 3`},
		{"missing colon", `{"a" 1}`, `tracking: expected ':' at offset 5`},
		{"missing comma", `{"a":1 "b":2}`, `tracking: expected ',' or '}' at offset 7`},
		{"trailing comma", `{"a":1,}`, `tracking: expected object key at offset 7`},
		{"bad escape", `{"nextToken":"\x"}`, `tracking: nextToken: invalid escape at offset 15`},
		{"bad unicode", `{"nextToken":"\u12G4"}`, `tracking: nextToken: invalid \u escape at offset 16`},
		{"control char", "{\"nextToken\":\"a\nb\"}", `tracking: nextToken: raw line break in string (expected it escaped as \n) at offset 15`},
		{"control byte", "{\"nextToken\":\"a\x01b\"}", `tracking: nextToken: control character byte 0x01 in string at offset 15`},
		{"bad number", `{"x":-}`, `tracking: x: invalid number at offset 6`},
		{"bad literal", `{"x":nul}`, `tracking: x: invalid literal at offset 5`},
		{"too deep", deep, "tracking: " + strings.Repeat("x.", 63) + "x: nesting deeper than 64"},
		{"huge number", `{"avails":[{"durationInSeconds":1e999}]}`, `tracking: avails[0].durationInSeconds: number out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Decode([]byte(tt.json))
			require.Error(t, err)
			assert.Nil(t, r)
			var de *Error
			require.True(t, errors.As(err, &de))
			assert.Equal(t, tt.want, err.Error())
		})
	}
}

func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"avails":[{"ads":[{"mediaFiles":{"trackingEvents":[{"event":"x","uri":"u"}]}}]}]}`))
	f.Add([]byte(`{"nextToken":"\ud800\udc00\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		orig := bytes.Clone(data)
		r1, err1 := Decode(data)
		require.Equal(t, orig, data, "Decode must not modify its input")
		r2, err2 := Decode(data)
		if err1 != nil {
			require.Nil(t, r1)
			require.Error(t, err2)
			require.Equal(t, err1.Error(), err2.Error())
			return
		}
		require.NoError(t, err2)
		require.Equal(t, r1, r2)
	})
}

func TestDecodeDoesNotAliasInput(t *testing.T) {
	data, err := os.ReadFile("testdata/full.json")
	require.NoError(t, err)
	r, err := Decode(data)
	require.NoError(t, err)
	want := dump(r)
	for i := range data {
		data[i] = 'x'
	}
	assert.Equal(t, want, dump(r), "decoded strings must survive reuse of the input buffer")
}
