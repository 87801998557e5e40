package emulator

// The tests in this file replay the emulator rows of issue 15 ("an emulator
// that is safe on a team's network"): each reproduces an attack a web page
// or a LAN neighbour could mount against a tester's emulator and asserts it
// fails.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawGet sends a request line exactly as given (like curl --path-as-is),
// so no client cleans the dot segments first.
func rawGet(t *testing.T, base, target string, hdr ...string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer c.Close()
	req := "GET " + target + " HTTP/1.1\r\nHost: " + strings.TrimPrefix(base, "http://") + "\r\nConnection: close\r\n"
	for i := 0; i+1 < len(hdr); i += 2 {
		req += hdr[i] + ": " + hdr[i+1] + "\r\n"
	}
	_, err = io.WriteString(c, req+"\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// demoRoot is a --root with the served directories and, beside them, the
// files a repository checkout holds that must never be served.
func demoRoot(t *testing.T) string {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html": "<!doctype html>qa", "go.mod": "module secret", ".git/config": "[remote] token=secret",
		"dist/availkit.js": "export {}", "dist/.env": "SECRET=1", "web/app.js": "app", "tests/page.html": "page",
		"node_modules/hls.js/dist/hls.mjs": "hls", "node_modules/hls.js/package.json": "{}",
		"node_modules/dashjs/dist/modern/esm/dash.all.min.js": "dash",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

func TestStaticRoutesStayInTheirDirectories(t *testing.T) {
	root := demoRoot(t)
	h := newHarness(t, nil, func(o *Options) { o.Root = root })
	for _, target := range []string{
		"/dist/../.git/config", "/web/..%2fgo.mod", "/web/..%2F..%2Fgo.mod", "/tests/../go.mod",
		"/node_modules/hls.js/dist/../../../go.mod", "/node_modules/hls.js/dist/../package.json",
		"/web/%2e%2e/go.mod", "/dist/.env", "/.git/config", "/go.mod", "/dist/./../go.mod",
		"/node_modules/hls.js/package.json", "/dist//../go.mod",
	} {
		t.Run(target, func(t *testing.T) {
			status, body := rawGet(t, h.ts.URL, target)
			assert.Contains(t, []int{400, 404}, status, body)
			assert.NotContains(t, body, "secret")
			assert.NotContains(t, body, "SECRET")
		})
	}
	for target, want := range map[string]string{
		"/": "<!doctype html>qa", "/index.html": "<!doctype html>qa", "/dist/availkit.js": "export {}",
		"/web/app.js": "app", "/tests/page.html": "page", "/node_modules/hls.js/dist/hls.mjs": "hls",
		"/node_modules/dashjs/dist/modern/esm/dash.all.min.js": "dash",
	} {
		t.Run("serves "+target, func(t *testing.T) {
			status, body := rawGet(t, h.ts.URL, target)
			assert.Equal(t, 200, status)
			assert.Equal(t, want, body)
		})
	}
}

// adServerVictim is a listener that must never receive the emulator's ad
// requests: it stands for a host on the tester's network.
func adServerVictim(t *testing.T) (host string, hits *atomic.Int32) {
	hits = &atomic.Int32{}
	v := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(v.Close)
	return strings.TrimPrefix(v.URL, "http://"), hits
}

// initWithHost creates a VOD session through base with a forged Host and
// X-Forwarded-Proto, then requests its media playlist (the ad decision)
// and returns the session's tracking report.
func initWithHost(t *testing.T, base, host, asset string) (initReply, trackingResponse, *http.Response) {
	req, err := http.NewRequest("POST", base+"/v1/session/"+acct+"/availkit/"+asset, strings.NewReader("{}"))
	require.NoError(t, err)
	req.Host = host
	req.Header.Set("X-Forwarded-Proto", "http")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var r initReply
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	resp.Body.Close()
	mreq, err := http.NewRequest("GET", base+r.ManifestURL, nil)
	require.NoError(t, err)
	mreq.Host = host
	if !strings.HasSuffix(asset, ".mpd") {
		id := r.ManifestURL[strings.Index(r.ManifestURL, "aws.sessionId=")+len("aws.sessionId="):]
		mreq, err = http.NewRequest("GET", base+"/v1/manifest/"+acct+"/availkit/"+id+"/0.m3u8", nil)
		require.NoError(t, err)
		mreq.Host = host
	}
	mresp, err := http.DefaultClient.Do(mreq)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, mresp.Body)
	mresp.Body.Close()
	require.Equal(t, 200, mresp.StatusCode)
	tresp, err := http.Get(base + r.TrackingURL)
	require.NoError(t, err)
	defer tresp.Body.Close()
	var tr trackingResponse
	require.NoError(t, json.NewDecoder(tresp.Body).Decode(&tr))
	return r, tr, mresp
}

func TestRelativeAdServerIgnoresHostHeader(t *testing.T) {
	t.Run("default: the address the connection reached", func(t *testing.T) {
		victim, hits := adServerVictim(t)
		h := newHarness(t, nil)
		_, tr, _ := initWithHost(t, h.ts.URL, victim, "vod/index.m3u8")
		assert.Zero(t, hits.Load(), "the forged Host received the ad request")
		require.Len(t, tr.Avails, 2)
		require.NotEmpty(t, tr.Avails[0].Ads, "ads decided by the emulator's own ad server")
		u := tr.Avails[0].Ads[0].TrackingEvents[0].BeaconURLs[0]
		assert.True(t, strings.HasPrefix(u, h.ts.URL+"/beacon/"), u)
	})
	t.Run("--public-base", func(t *testing.T) {
		victim, hits := adServerVictim(t)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		base := "http://" + ln.Addr().String()
		srv, err := New(Options{Catalog: testCatalog(t), PublicBase: base, Logf: t.Logf})
		require.NoError(t, err)
		hs := &http.Server{Handler: srv}
		go func() { _ = hs.Serve(ln) }()
		t.Cleanup(func() { _ = hs.Close() })
		_, tr, _ := initWithHost(t, base, victim, "vod/index.m3u8")
		assert.Zero(t, hits.Load(), "the forged Host received the ad request")
		require.NotEmpty(t, tr.Avails)
		require.NotEmpty(t, tr.Avails[0].Ads)
		r, _, _ := initWithHost(t, base, victim, "vod/index.mpd")
		req, _ := http.NewRequest("GET", base+r.ManifestURL, nil)
		req.Host = victim
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Contains(t, string(b), "<Location>"+base+"/v1/dash/", "the MPD's Location names the public base")
		assert.Zero(t, hits.Load())
	})
}

func beaconCount(t *testing.T, h *harness, id string) (int, int) {
	t.Helper()
	resp, b := h.do("GET", "/debug/sessions/"+id+"/beacons", "")
	if resp.StatusCode != 200 {
		return -1, resp.StatusCode
	}
	var hits []Beacon
	require.NoError(t, json.Unmarshal([]byte(b), &hits))
	return len(hits), 200
}

func TestCollectorIsBounded(t *testing.T) {
	t.Run("unknown sessions record nothing", func(t *testing.T) {
		h := newHarness(t, nil)
		const unknown = "00000000-0000-4000-8000-00000000dead"
		for i := 0; i < 3; i++ {
			resp, b := h.do("GET", "/beacon/"+unknown+"/impression?q="+strings.Repeat("x", 1000), "")
			require.Equal(t, 200, resp.StatusCode, "a pixel is still answered")
			assert.Equal(t, "image/gif", resp.Header.Get("Content-Type"), b)
		}
		n, status := beaconCount(t, h, unknown)
		assert.Equal(t, 404, status, "%d hits kept for a session that does not exist", n)
		_, status = beaconCount(t, h, unknown)
		assert.Equal(t, 404, status, "the first GET created a log")
		resp, _ := h.do("DELETE", "/debug/sessions/"+unknown+"/beacons", "")
		assert.Equal(t, 404, resp.StatusCode)
	})
	t.Run("capped by count and bytes per session", func(t *testing.T) {
		h := newHarness(t, nil, func(o *Options) { o.MaxBeaconsPerSession = 5; o.MaxBeaconBytesPerSession = 64 << 10 })
		_, id := h.session("vod/index.m3u8", nil)
		for i := 0; i < 8; i++ {
			h.do("GET", fmt.Sprintf("/beacon/%s/start?i=%d", id, i), "")
		}
		n, _ := beaconCount(t, h, id)
		assert.Equal(t, 5, n, "count cap")
		_, id = h.session("vod/index.m3u8", nil)
		big := strings.Repeat("y", 20<<10)
		for i := 0; i < 8; i++ {
			h.do("GET", fmt.Sprintf("/beacon/%s/start?i=%d&q=%s", id, i, big), "")
		}
		n, _ = beaconCount(t, h, id)
		assert.Equal(t, 3, n, "byte cap: three 20 KB queries fit in 64 KB")
		_, b := h.do("GET", "/debug/sessions/"+id, "")
		assert.Contains(t, b, `"beacons":3`)
	})
	t.Run("capped over all sessions", func(t *testing.T) {
		h := newHarness(t, nil, func(o *Options) { o.MaxBeaconBytesPerSession = 64 << 10; o.MaxBeaconBytes = 100 << 10 })
		big := strings.Repeat("y", 20<<10)
		send := func(id string, n int) {
			for i := 0; i < n; i++ {
				h.do("GET", fmt.Sprintf("/beacon/%s/start?i=%d&q=%s", id, i, big), "")
			}
		}
		_, a := h.session("vod/index.m3u8", nil)
		_, b := h.session("vod/index.m3u8", nil)
		send(a, 3)
		send(b, 3)
		na, _ := beaconCount(t, h, a)
		nb, _ := beaconCount(t, h, b)
		assert.Equal(t, []int{3, 1}, []int{na, nb}, "100 KB for all: the second session gets what is left")
		resp, _ := h.do("DELETE", "/debug/sessions/"+a+"/beacons", "")
		require.Equal(t, 204, resp.StatusCode)
		send(b, 1)
		nb, _ = beaconCount(t, h, b)
		assert.Equal(t, 2, nb, "clearing a log returns its bytes")
	})
	t.Run("dropped when the session is swept", func(t *testing.T) {
		h := newHarness(t, nil)
		r, id := h.session("vod/index.m3u8", nil)
		h.do("GET", "/beacon/"+id+"/start", "")
		n, _ := beaconCount(t, h, id)
		require.Equal(t, 1, n)
		// 20 s of content: idle limit 200 s, swept after 400 s.
		h.clock.Add(401 * time.Second)
		resp, _ := h.do("GET", r.TrackingURL, "")
		require.Equal(t, 404, resp.StatusCode, "swept")
		_, status := beaconCount(t, h, id)
		assert.Equal(t, 404, status, "the swept session's beacons are gone")
	})
}

// remote serves a request in-process as if it came from another machine.
func remote(h *harness, method, path string, hdr ...string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, h.ts.URL+path, nil)
	req.RemoteAddr = "192.0.2.7:51000"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	h.srv.ServeHTTP(rec, req)
	return rec
}

func TestDebugRoutesAreLocal(t *testing.T) {
	h := newHarness(t, nil)
	_, id := h.session("vod/index.m3u8", nil)
	routes := []struct{ method, path string }{
		{"GET", "/debug/sessions"}, {"GET", "/debug/sessions/" + id}, {"GET", "/debug/stats"},
		{"GET", "/debug/sessions/" + id + "/beacons"}, {"DELETE", "/debug/sessions/" + id + "/beacons"},
		{"POST", "/debug/sessions/" + id + "/faults"},
	}
	for _, rt := range routes {
		t.Run("remote "+rt.method+" "+rt.path, func(t *testing.T) {
			assert.Equal(t, http.StatusForbidden, remote(h, rt.method, rt.path).Code)
		})
		t.Run("other origin "+rt.method+" "+rt.path, func(t *testing.T) {
			// A page the tester visits, running in the tester's browser on
			// the same machine.
			resp, _ := h.do(rt.method, rt.path, "", "Origin", "https://evil.example")
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
		})
	}
	t.Run("preflight exposes nothing", func(t *testing.T) {
		resp, _ := h.do("OPTIONS", "/debug/sessions/"+id+"/beacons", "", "Origin", "https://evil.example",
			"Access-Control-Request-Method", "DELETE")
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Methods"))
	})
	t.Run("DNS rebinding host", func(t *testing.T) {
		req, _ := http.NewRequest("GET", h.ts.URL+"/debug/sessions", nil)
		req.Host = "rebind.evil.example:" + h.ts.URL[strings.LastIndex(h.ts.URL, ":")+1:]
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("loopback, same origin", func(t *testing.T) {
		resp, b := h.do("GET", "/debug/sessions/"+id, "", "Origin", h.ts.URL)
		assert.Equal(t, 200, resp.StatusCode, b)
		resp, b = h.do("GET", "/debug/sessions", "")
		assert.Equal(t, 200, resp.StatusCode, b)
	})
	t.Run("the API keeps CORS open", func(t *testing.T) {
		resp, _ := h.do("GET", "/v1/tracking/"+acct+"/availkit/x", "", "Origin", "https://player.example")
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	})
}

func TestDebugToken(t *testing.T) {
	h := newHarness(t, nil, func(o *Options) { o.DebugToken = "s3cret" })
	for _, tc := range []struct {
		name   string
		hdr    []string
		remote bool
		want   int
	}{
		{"loopback without token", nil, false, http.StatusUnauthorized},
		{"remote without token", nil, true, http.StatusUnauthorized},
		{"wrong token", []string{"Authorization", "Bearer nope"}, true, http.StatusUnauthorized},
		{"remote with token", []string{"Authorization", "Bearer s3cret"}, true, http.StatusOK},
		{"loopback with token", []string{"Authorization", "Bearer s3cret"}, false, http.StatusOK},
		{"token, other origin", []string{"Authorization", "Bearer s3cret", "Origin", "https://evil.example"}, true, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var code int
			if tc.remote {
				code = remote(h, "GET", "/debug/sessions", tc.hdr...).Code
			} else {
				resp, _ := h.do("GET", "/debug/sessions", "", tc.hdr...)
				code = resp.StatusCode
			}
			assert.Equal(t, tc.want, code)
		})
	}
}

// TestHTTPServerTimeouts opens the connections a slow or idle client
// leaves behind and checks the server closes them.
func TestHTTPServerTimeouts(t *testing.T) {
	srv, err := New(Options{Catalog: testCatalog(t), Logf: t.Logf,
		Timeouts: Timeouts{ReadHeader: 300 * time.Millisecond, Read: 600 * time.Millisecond, Write: time.Second, Idle: 600 * time.Millisecond}})
	require.NoError(t, err)
	hs := srv.HTTPServer()
	require.NotZero(t, hs.ReadHeaderTimeout)
	require.NotZero(t, hs.ReadTimeout)
	require.NotZero(t, hs.WriteTimeout)
	require.NotZero(t, hs.IdleTimeout)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	addr := ln.Addr().String()
	closedWithin := func(t *testing.T, c net.Conn, d time.Duration) {
		t.Helper()
		_ = c.SetReadDeadline(time.Now().Add(d))
		_, err := io.Copy(io.Discard, c)
		assert.NoError(t, err, "still open after %s", d)
	}
	for _, tc := range []struct {
		name  string
		write string
	}{
		{"slow headers", "GET /debug/stats HTTP/1.1\r\nHost: x\r\n"},
		{"slow body", "POST /v1/session/" + acct + "/availkit/vod/index.m3u8 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"},
		{"idle keep-alive", "GET /debug/stats HTTP/1.1\r\nHost: x\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", addr)
			require.NoError(t, err)
			defer c.Close()
			_, err = io.WriteString(c, tc.write)
			require.NoError(t, err)
			closedWithin(t, c, 3*time.Second)
		})
	}
}
