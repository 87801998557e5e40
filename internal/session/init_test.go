package session

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

func TestBuildInitBody(t *testing.T) {
	tests := []struct {
		name string
		opts InitOptions
	}{
		{"empty", InitOptions{}},
		{"seed example", InitOptions{
			AdsParams:    map[string]string{"deviceType": "ipad"},
			OriginParams: map[string]string{"auth_token": "kjhdsaf7gh"},
		}},
		{"everything", InitOptions{
			AdsParams:        map[string]string{"scenario": "default", "param 2": "value with spaces", "q": `he said "hi" \ bye`},
			OriginParams:     map[string]string{"originServerParam1": "originValue1", "adsParams": "hijack", "reportingMode": "server", "manifestParams": "x", "logMode": "DEBUG"},
			ReportingMode:    "client",
			ManifestParams:   map[string]string{"test": "123"},
			AvailSuppression: AvailSuppression{Mode: "BEHIND_LIVE_EDGE", Value: "00:00:00", FillPolicy: "PARTIAL_AVAIL"},
			OverlayAvails:    "on",
			Nonce:            "n-1",
			NonceKey:         "ak_nonce",
		}},
		{"nonce default key, host key wins", InitOptions{
			AdsParams: map[string]string{"nonce": "host"},
			Nonce:     "plugin",
		}},
		{"nonce without ads params", InitOptions{Nonce: "abc"}},
		{"escaping", InitOptions{
			AdsParams: map[string]string{"ctl": "a\x00b\x1fc\nd\te\r", "uni": "é😀\u2028", "bad": "x\xffy", "lt": "</script>"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := BuildInitBody(tt.opts)
			golden := "testdata/init-" + sanitize(tt.name) + ".golden"
			if *update {
				require.NoError(t, os.WriteFile(golden, append(body, '\n'), 0o644))
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(body)+"\n")

			// Whatever the input, the body is valid JSON whose reserved keys
			// are ours, and it round-trips the values (checked with the
			// standard library, which the package itself must not use).
			var got map[string]any
			require.NoError(t, json.Unmarshal(body, &got), string(body))
			for k := range tt.opts.OriginParams {
				if Reserved(k) {
					assert.NotEqual(t, tt.opts.OriginParams[k], got[k], "origin param %q overrode a reserved key", k)
				} else {
					assert.Equal(t, tt.opts.OriginParams[k], got[k])
				}
			}
			if len(tt.opts.AdsParams) > 0 {
				ads := got["adsParams"].(map[string]any)
				for k, v := range tt.opts.AdsParams {
					if k == "bad" {
						assert.Equal(t, "x\uFFFDy", ads[k])
						continue
					}
					assert.Equal(t, v, ads[k])
				}
			}
		})
	}
}

func sanitize(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}

func TestParseInitReply(t *testing.T) {
	const initURL = "https://mt.example.com/v1/session/acct/availkit/vod/index.m3u8"
	tests := []struct {
		name         string
		initURL      string
		body         string
		status       int
		wantManifest string
		wantTracking string
		wantKind     Kind
		wantMsg      string
	}{
		{"relative URLs resolved", initURL,
			`{"manifestUrl":"/v1/master/acct/availkit/vod/index.m3u8?aws.sessionId=171e4158-6ad1","trackingUrl":"/v1/tracking/acct/availkit/171e4158-6ad1"}`, 200,
			"https://mt.example.com/v1/master/acct/availkit/vod/index.m3u8?aws.sessionId=171e4158-6ad1",
			"https://mt.example.com/v1/tracking/acct/availkit/171e4158-6ad1", "", ""},
		{"absolute URLs kept, extra keys ignored", "http://127.0.0.1:8080/v1/session/a/b/c.mpd",
			`{"x":{"y":[1,2,null]},"manifestUrl":"https://cdn.example.com/m.mpd","trackingUrl":"http://127.0.0.1:8080/v1/tracking/a/b/s?test=123"}`, 200,
			"https://cdn.example.com/m.mpd", "http://127.0.0.1:8080/v1/tracking/a/b/s?test=123", "", ""},
		{"path-relative", "http://h.example/v1/session/a/b/c.m3u8",
			`{"manifestUrl":"../../master/x.m3u8","trackingUrl":"t"}`, 201,
			"http://h.example/v1/session/master/x.m3u8", "http://h.example/v1/session/a/b/t", "", ""},
		{"mediatailor error body", initURL, `{"message":"Unknown playback configuration"}`, 404, "", "", KindHTTP, "Unknown playback configuration"},
		{"5xx html body", initURL, "<html>Bad Gateway</html>\n", 502, "", "", KindHTTP, "<html>Bad Gateway</html>"},
		{"garbage 200", initURL, `not json`, 200, "", "", KindBadJSON, "invalid JSON: expected a JSON object at offset 0"},
		{"truncated 200", initURL, `{"manifestUrl":"/v1/ma`, 200, "", "", KindBadJSON, "invalid JSON: unexpected end of input"},
		{"trailing garbage", initURL, `{"manifestUrl":"/m","trackingUrl":"/t"} x`, 200, "", "", KindBadJSON, "invalid JSON: trailing data at offset 40"},
		{"array body", initURL, `[]`, 200, "", "", KindBadJSON, "invalid JSON: expected a JSON object at offset 0"},
		{"missing tracking", initURL, `{"manifestUrl":"/m"}`, 200, "", "", KindBadReply, "trackingUrl missing in session reply"},
		{"null manifest", initURL, `{"manifestUrl":null,"trackingUrl":"/t"}`, 200, "", "", KindBadReply, "manifestUrl missing in session reply"},
		{"number manifest", initURL, `{"manifestUrl":5,"trackingUrl":"/t"}`, 200, "", "", KindBadReply, "manifestUrl is not a string"},
		{"javascript URL", initURL, `{"manifestUrl":"javascript:alert(1)","trackingUrl":"/t"}`, 200, "", "", KindBadReply, `manifestUrl must be an http(s) URL with a host: "javascript:alert(1)"`},
		{"bad URL", initURL, `{"manifestUrl":"http://[::1","trackingUrl":"/t"}`, 200, "", "", KindBadReply, `manifestUrl must be an http(s) URL with a host: "http://[::1"`},
		{"space in URL", initURL, `{"manifestUrl":"/a b","trackingUrl":"/t"}`, 200, "", "", KindBadReply, `manifestUrl is not a URL: "/a b"`},
		{"credentials", initURL, `{"manifestUrl":"//u:p@evil.example/m","trackingUrl":"/t"}`, 200, "", "", KindBadReply, `manifestUrl must be an http(s) URL with a host: "//u:p@evil.example/m"`},
		{"relative init URL", "/v1/session/a/b/c", `{"manifestUrl":"/m","trackingUrl":"/t"}`, 200, "", "", KindBadReply, `init URL is not an absolute http(s) URL: "/v1/session/a/b/c"`},
		{"escaped URL", initURL, `{"manifestUrl":"\/m\u003fa=1","trackingUrl":"/t"}`, 200, "https://mt.example.com/m?a=1", "https://mt.example.com/t", "", ""},
		{"deep nesting refused", initURL, `{"x":` + repeat("[", 100) + repeat("]", 100) + `}`, 200, "", "", KindBadJSON, "invalid JSON: nesting too deep at offset 38"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, tr, err := ParseInitReply(tt.initURL, []byte(tt.body), tt.status)
			if tt.wantKind == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.wantManifest, m)
				assert.Equal(t, tt.wantTracking, tr)
				return
			}
			var se *Error
			require.True(t, errors.As(err, &se), "error %v is not *Error", err)
			assert.Equal(t, tt.wantKind, se.Kind)
			assert.Equal(t, tt.status, se.Status)
			assert.Equal(t, tt.wantMsg, se.Message)
			assert.Empty(t, m)
			assert.Empty(t, tr)
		})
	}
}

func repeat(s string, n int) string {
	out := ""
	for range n {
		out += s
	}
	return out
}

func TestTrackingError(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   *Error
	}{
		{200, `{}`, nil},
		{204, ``, nil},
		{404, `{"message":"Session not found"}`, &Error{Kind: KindExpired, Status: 404, Message: "Session not found"}},
		{410, ``, &Error{Kind: KindExpired, Status: 410}},
		{400, `{"Message":"Session expired due to inactivity"}`, &Error{Kind: KindExpired, Status: 400, Message: "Session expired due to inactivity"}},
		{400, `{"message":"bad nextToken"}`, &Error{Kind: KindHTTP, Status: 400, Message: "bad nextToken"}},
		{503, `{"message":` + `"` + repeat("x", 300) + `"}`, &Error{Kind: KindHTTP, Status: 503, Message: repeat("x", 200) + "…"}},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			got := TrackingError(tt.status, []byte(tt.body))
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Equal(t, "session: http 503: LoadShed", (&Error{Kind: KindHTTP, Status: 503, Message: "LoadShed"}).Error())
	assert.Equal(t, "session: timeout", (&Error{Kind: KindTimeout}).Error())
}

func FuzzParseInitReply(f *testing.F) {
	f.Add([]byte(`{"manifestUrl":"/m?a=1","trackingUrl":"/t"}`), 200)
	f.Add([]byte(`{"message":"x"}`), 400)
	f.Add([]byte(`{"a":[{"b":"\ud83d\ude00"}],"manifestUrl":"//h/x","trackingUrl":"t"}`), 200)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		m, tr, err := ParseInitReply("https://mt.example.com/v1/session/a/b/c.m3u8", body, status)
		if err != nil {
			var se *Error
			require.True(t, errors.As(err, &se))
			return
		}
		require.NotEmpty(t, m)
		require.NotEmpty(t, tr)
		require.True(t, json.Valid(body), "accepted invalid JSON %q", body)
	})
}
