package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cleanTracking = `{"hlsAnchorMediaSequenceNumber":1,"avails":[{"availId":"1","startTime":"PT10S","duration":"PT10S","ads":[{"adId":"a","startTime":"PT10S","duration":"PT10S",
"trackingEvents":[{"eventType":"impression","startTime":"PT10S","beaconUrls":["https://x.example/i"]},{"eventType":"firstQuartile","startTime":"PT12.5S","beaconUrls":["https://x.example/q1"]},
{"eventType":"midpoint","startTime":"PT15S","beaconUrls":["https://x.example/m"]},{"eventType":"thirdQuartile","startTime":"PT17.5S","beaconUrls":["https://x.example/q3"]},
{"eventType":"complete","startTime":"PT20S","beaconUrls":["https://x.example/c"]}]}]}]}`

func TestLintCommand(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	broken := filepath.Join(dir, "broken.json")
	require.NoError(t, os.WriteFile(good, []byte(cleanTracking), 0o644))
	require.NoError(t, os.WriteFile(bad, []byte(strings.Replace(cleanTracking, "https://x.example/i", "javascript:alert(1)", 1)), 0o644))
	require.NoError(t, os.WriteFile(broken, []byte(`{"avails":[...]}`), 0o644))
	var loaded []string // what a session-init run requested, in order
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		loaded = append(loaded, r.Method+" "+r.URL.Path)
		switch r.URL.Path {
		case "/v1/tracking/a/b/s":
			w.Write([]byte(cleanTracking))
		case "/v1/session/a/b/index.m3u8":
			if r.Method != http.MethodPost {
				http.Error(w, "POST only", http.StatusMethodNotAllowed)
				return
			}
			w.Write([]byte(`{"manifestUrl":"/v1/master/a/b/index.m3u8?aws.sessionId=s","trackingUrl":"/v1/tracking/a/b/s"}`))
		case "/v1/master/a/b/index.m3u8":
			w.Write([]byte("#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nv1/index.m3u8?aws.sessionId=s\n"))
		case "/v1/master/a/b/v1/index.m3u8":
			w.Write([]byte("#EXTM3U\n#EXT-X-TARGETDURATION:2\n"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	t.Run("clean file passes", func(t *testing.T) {
		var out strings.Builder
		require.NoError(t, lintMain([]string{"--schedule", good}, &out, srv.Client()))
		assert.Contains(t, out.String(), "good.json: 0 errors, 0 warnings")
		assert.Contains(t, out.String(), "10.000s  impression ad \"a\" https://x.example/i")
	})
	t.Run("flags after the file", func(t *testing.T) {
		var out strings.Builder
		require.NoError(t, lintMain([]string{good, "--json"}, &out, srv.Client()))
		assert.True(t, strings.HasPrefix(strings.TrimSpace(out.String()), "["), "JSON, not text: %s", out.String())
		assert.NotContains(t, out.String(), "--json")
	})
	t.Run("error finding fails", func(t *testing.T) {
		var out strings.Builder
		err := lintMain([]string{bad}, &out, srv.Client())
		require.Error(t, err)
		assert.Contains(t, out.String(), "error beacon-not-http avails[0].ads[0].trackingEvents[0].beaconUrls[0]")
	})
	t.Run("decode error names line and path", func(t *testing.T) {
		var out strings.Builder
		require.Error(t, lintMain([]string{broken}, &out, srv.Client()))
		assert.Contains(t, out.String(), "broken.json:1:12: error decode avails[0]: expected object")
	})
	t.Run("URL and JSON export", func(t *testing.T) {
		var out strings.Builder
		err := lintMain([]string{"--json", srv.URL + "/v1/tracking/a/b/s", srv.URL + "/missing"}, &out, srv.Client())
		require.Error(t, err, "the 404 fails the run")
		var res []linted
		require.NoError(t, json.Unmarshal([]byte(out.String()), &res))
		require.Len(t, res, 2)
		require.NotNil(t, res[0].Report)
		assert.Empty(t, res[0].Report.Findings)
		assert.Len(t, res[0].Report.Timeline, 1)
		assert.Len(t, res[0].Report.Schedule, 5)
		assert.Equal(t, "HTTP 404", res[1].Error)
	})
	t.Run("session init URL", func(t *testing.T) {
		loaded = nil
		var out strings.Builder
		require.NoError(t, lintMain([]string{"--init", srv.URL + "/v1/session/a/b/index.m3u8"}, &out, srv.Client()))
		assert.Equal(t, []string{"POST /v1/session/a/b/index.m3u8", "GET /v1/master/a/b/index.m3u8",
			"GET /v1/master/a/b/v1/index.m3u8", "GET /v1/tracking/a/b/s"}, loaded, "manifest and playlist loaded before tracking")
		assert.Contains(t, out.String(), "0 errors, 0 warnings")
	})
	t.Run("no input", func(t *testing.T) {
		var out strings.Builder
		assert.Error(t, lintMain(nil, &out, srv.Client()))
	})
}
