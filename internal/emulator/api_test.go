package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionInit(t *testing.T) {
	h := newHarness(t, nil)
	tests := []struct {
		name, path, body string
		status           int
		errType          string
		manifestPrefix   string
		trackingSuffix   string
	}{
		{name: "hls", path: "vod/index.m3u8", body: `{"adsParams":{"deviceType":"ipad"},"auth_token":"kjhdsaf7gh"}`, status: 200,
			manifestPrefix: "/v1/master/" + acct + "/availkit/vod/index.m3u8?aws.sessionId="},
		{name: "dash with asset path containing slashes", path: "a/b/live/index.mpd", body: `{}`, status: 200,
			manifestPrefix: "/v1/dash/" + acct + "/availkit/a/b/live/index.mpd?aws.sessionId="},
		{name: "manifestParams appended", path: "vod/index.m3u8", body: `{"manifestParams":{"test":"123"}}`, status: 200,
			manifestPrefix: "/v1/master/", trackingSuffix: "?test=123"},
		{name: "empty body", path: "vod/index.m3u8", body: ``, status: 200, manifestPrefix: "/v1/master/"},
		{name: "doc example with missing comma", path: "vod/index.m3u8",
			body: `{"adsParams": {"deviceType": "ipad"} "auth_token": "kjhdsaf7gh"}`, status: 400, errType: "BadRequestException"},
		{name: "trailing comma", path: "vod/index.m3u8", body: `{"adsParams":{"param3":"value3",}}`, status: 400, errType: "BadRequestException"},
		{name: "bad reportingMode", path: "vod/index.m3u8", body: `{"reportingMode":"both"}`, status: 400, errType: "BadRequestException"},
		{name: "bad logMode", path: "vod/index.m3u8", body: `{"logMode":"debug"}`, status: 400, errType: "BadRequestException"},
		{name: "bad extension", path: "vod/index.ts", body: `{}`, status: 400, errType: "BadRequestException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/"+tc.path, tc.body, "Content-Type", "application/json")
			require.Equal(t, tc.status, resp.StatusCode, b)
			assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
			if tc.status != 200 {
				assertErrorShape(t, resp, b, tc.errType)
				return
			}
			var r initReply
			require.NoError(t, json.Unmarshal([]byte(b), &r))
			assert.True(t, strings.HasPrefix(r.ManifestURL, tc.manifestPrefix), r.ManifestURL)
			id := strings.TrimPrefix(r.TrackingURL, "/v1/tracking/"+acct+"/availkit/")
			id = strings.TrimSuffix(id, tc.trackingSuffix)
			assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id, "tracking URL has no asset path, ends in the session uuid")
			assert.Contains(t, r.ManifestURL, "aws.sessionId="+id)
			if tc.trackingSuffix != "" {
				assert.True(t, strings.HasSuffix(r.ManifestURL, "&test=123"), r.ManifestURL)
			}
		})
	}
}

func assertErrorShape(t *testing.T, resp *http.Response, body, errType string) {
	t.Helper()
	var e map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &e), body)
	assert.Len(t, e, 1, "only a message key")
	assert.NotEmpty(t, e["message"])
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(resp.Header.Get("x-amzn-ErrorType"), errType+":"), resp.Header.Get("x-amzn-ErrorType"))
	assert.NotEmpty(t, resp.Header.Get("x-amzn-RequestId"))
}

func TestNotFoundShapes(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct{ name, method, path string }{
		{"unknown configuration", "POST", "/v1/session/" + acct + "/nope/vod/index.m3u8"},
		{"unknown account", "POST", "/v1/session/0000/availkit/vod/index.m3u8"},
		{"unknown session tracking", "GET", "/v1/tracking/" + acct + "/availkit/00000000-0000-4000-8000-000000000000"},
		{"unknown session playlist", "GET", "/v1/manifest/" + acct + "/availkit/00000000-0000-4000-8000-000000000000/0.m3u8"},
		{"unknown media", "GET", "/media/content/main/video/seg-99999.m4s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := h.do(tc.method, tc.path, "")
			require.Equal(t, 404, resp.StatusCode, b)
			assertErrorShape(t, resp, b, "NotFoundException")
		})
	}
}

func TestCORSPreflight(t *testing.T) {
	h := newHarness(t, nil)
	for _, path := range []string{"/v1/session/" + acct + "/availkit/vod/index.m3u8", "/v1/tracking/" + acct + "/availkit/x", "/beacon/x/start", "/media/catalog.json"} {
		t.Run(path, func(t *testing.T) {
			resp, _ := h.do("OPTIONS", path, "", "Origin", "http://example.test", "Access-Control-Request-Method", "POST",
				"Access-Control-Request-Headers", "content-type,x-custom-thing")
			assert.Equal(t, http.StatusNoContent, resp.StatusCode)
			assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
			assert.Equal(t, "content-type,x-custom-thing", resp.Header.Get("Access-Control-Allow-Headers"))
			assert.Contains(t, resp.Header.Get("Access-Control-Allow-Methods"), "POST")
			assert.Contains(t, resp.Header.Get("Access-Control-Expose-Headers"), "x-amzn-ErrorType")
		})
	}
}

func TestImplicitSessions(t *testing.T) {
	h := newHarness(t, nil)
	for _, tc := range []struct{ name, path, want string }{
		{"hls", "/v1/master/" + acct + "/availkit/vod/index.m3u8?ads.scenario=vpaid&manifest.token=abc&aws.reportingMode=CLIENT&cdn=x",
			"/v1/master/" + acct + "/availkit/vod/index.m3u8?aws.sessionId="},
		{"dash", "/v1/dash/" + acct + "/availkit/live/index.mpd?ads.scenario=vpaid&manifest.token=abc", "/v1/dash/" + acct + "/availkit/live/index.mpd?aws.sessionId="},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, _ := h.do("GET", tc.path, "")
			require.Equal(t, http.StatusFound, resp.StatusCode)
			loc := resp.Header.Get("Location")
			assert.True(t, strings.HasPrefix(loc, tc.want), loc)
			assert.True(t, strings.HasSuffix(loc, "&token=abc"), "manifest. prefix stripped: %s", loc)
			id := strings.TrimSuffix(loc[strings.Index(loc, "=")+1:], "&token=abc")
			resp, b := h.do("GET", "/debug/sessions/"+id, "")
			require.Equal(t, 200, resp.StatusCode, b)
			var info sessionInfo
			require.NoError(t, json.Unmarshal([]byte(b), &info))
			assert.Equal(t, "vpaid", info.AdsParams["scenario"])
			resp, b = h.do("GET", loc, "")
			require.Equal(t, 200, resp.StatusCode, b)
		})
	}
}

func TestSessionExpiry(t *testing.T) {
	h := newHarness(t, nil)
	r, id := h.session("vod/index.m3u8", nil)
	h.mediaPlaylist(id, "0")
	// 20 s of content → 200 s idle limit.
	h.clock.Add(199 * 1e9)
	resp, b := h.do("GET", r.TrackingURL, "")
	require.Equal(t, 200, resp.StatusCode, b)
	h.clock.Add(201 * 1e9)
	resp, b = h.do("GET", r.TrackingURL, "")
	require.Equal(t, 400, resp.StatusCode)
	assertErrorShape(t, resp, b, "BadRequestException")
}
