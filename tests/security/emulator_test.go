package security_test

// The emulator rows of issue 15: what a web page the tester visits, or a
// neighbour on the LAN, could do to a running emulator.

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/emulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Row "Static routes serve any file under --root, .git/ included".
func TestRowStaticTraversal(t *testing.T) {
	e := newEmu(t, func(o *emulator.Options) { o.Root = checkoutRoot(t) })
	for _, target := range []string{
		// The table's reproductions, byte for byte.
		"/dist/../.git/config", "/web/..%2fgo.mod", "/tests/../go.mod", "/node_modules/hls.js/dist/../../../go.mod",
		// Their variants: other encodings, dotfiles inside a served
		// directory, a package file outside the two bundles' dist/.
		"/web/..%2F..%2Fgo.mod", "/web/%2e%2e/go.mod", "/web/%2E%2E%2Fgo.mod", "/dist/./../go.mod", "/dist//../go.mod",
		"/dist/.env", "/web/.htpasswd", "/.git/config", "/go.mod", "/node_modules/hls.js/package.json",
		"/node_modules/hls.js/dist/../package.json", "/node_modules/.package-lock.json",
	} {
		t.Run(target, func(t *testing.T) {
			status, body := rawGet(t, e.url, target)
			assert.Contains(t, []int{400, 404}, status, body)
			assert.NotContains(t, strings.ToLower(body), "secret")
		})
	}
	for target, want := range map[string]string{
		"/": "<!doctype html>qa", "/dist/availkit.js": "export {}", "/web/app.js": "app", "/tests/page.html": "page",
		"/node_modules/hls.js/dist/hls.mjs": "hls", "/node_modules/dashjs/dist/modern/esm/dash.all.min.js": "dash",
	} {
		t.Run("still serves "+target, func(t *testing.T) {
			status, body := rawGet(t, e.url, target)
			assert.Equal(t, 200, status)
			assert.Equal(t, want, body)
		})
	}
}

// victim is a listener on another port of the tester's machine (standing
// for any host the emulator can reach): it must receive nothing.
func victim(t *testing.T) (hostport string, hits *atomic.Int32) {
	hits = &atomic.Int32{}
	v := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(v.Close)
	return strings.TrimPrefix(v.URL, "http://"), hits
}

// Row "SSRF through Host".
func TestRowSSRFThroughHost(t *testing.T) {
	for _, tc := range []struct {
		name string
		hdr  func(victim string) []string
	}{
		{"Host", func(v string) []string { return []string{"Host", v} }},
		{"Host and X-Forwarded-Proto", func(v string) []string { return []string{"Host", v, "X-Forwarded-Proto", "http"} }},
		{"X-Forwarded-Host", func(v string) []string { return []string{"X-Forwarded-Host", v, "X-Forwarded-Proto", "http"} }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, hits := victim(t)
			e := newEmu(t)
			r, id := e.session(tc.hdr(v)...)
			assert.Zero(t, hits.Load(), "the listener named by the request received the ad request")
			resp, body := e.do("GET", r.TrackingURL)
			require.Equal(t, 200, resp.StatusCode, body)
			var tr struct {
				Avails []struct {
					Ads []struct {
						TrackingEvents []struct {
							BeaconURLs []string `json:"beaconUrls"`
						} `json:"trackingEvents"`
					} `json:"ads"`
				} `json:"avails"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &tr))
			require.NotEmpty(t, tr.Avails, "the ads were decided by the emulator's own ad server")
			require.NotEmpty(t, tr.Avails[0].Ads)
			u := tr.Avails[0].Ads[0].TrackingEvents[0].BeaconURLs[0]
			assert.True(t, strings.HasPrefix(u, e.url+"/beacon/"+id+"/"), "beacon URL %s", u)
			assert.NotContains(t, body, v)
		})
	}
}

// beacons returns how many hits the collector kept for id, or the status
// of /debug/sessions/<id>/beacons when it is not 200.
func (e *emu) beacons(id string) (n, status int) {
	e.t.Helper()
	resp, body := e.do("GET", "/debug/sessions/"+id+"/beacons")
	if resp.StatusCode != 200 {
		return -1, resp.StatusCode
	}
	var hits []json.RawMessage
	require.NoError(e.t, json.Unmarshal([]byte(body), &hits))
	return len(hits), 200
}

// fire sends n beacons of event for id with a query of size bytes.
func (e *emu) fire(id string, n, size int) {
	e.t.Helper()
	q := strings.Repeat("q", size)
	for i := range n {
		resp, _ := e.do("GET", fmt.Sprintf("/beacon/%s/impression?i=%d&q=%s", id, i, q))
		require.Equal(e.t, 200, resp.StatusCode, "the pixel is answered either way")
	}
}

// Row "The collector grows without bound". The bound is read from the
// collector's own accounting: with a global budget of 1 MiB, what unknown
// ids and swept sessions hold shows as room a known session no longer has.
func TestRowCollectorBounded(t *testing.T) {
	const query = 400 << 10 // the table's 400 KB queries
	budget := func(o *emulator.Options) {
		o.MaxBeaconBytes = 1 << 20
		o.MaxBeaconBytesPerSession = 1 << 20
	}
	t.Run("unknown ids are refused and take no room", func(t *testing.T) {
		e := newEmu(t, budget)
		var ids []string
		for i := range 150 {
			ids = append(ids, fmt.Sprintf("00000000-0000-4000-8000-%012d", i))
			e.fire(ids[i], 1, query)
		}
		for _, id := range ids[:3] {
			_, status := e.beacons(id)
			assert.Equal(t, 404, status, "a log exists for unknown id %s", id)
			_, status = e.beacons(id)
			assert.Equal(t, 404, status, "the first GET created a log for %s", id)
		}
		_, id := e.session()
		e.fire(id, 2, query)
		n, _ := e.beacons(id)
		assert.Equal(t, 2, n, "150 × 400 KB to unknown ids used the 1 MiB budget")
	})
	t.Run("per-session count cap", func(t *testing.T) {
		e := newEmu(t, func(o *emulator.Options) { o.MaxBeaconsPerSession = 5 })
		_, id := e.session()
		e.fire(id, 8, 10)
		n, _ := e.beacons(id)
		assert.Equal(t, 5, n)
	})
	t.Run("per-session byte cap", func(t *testing.T) {
		e := newEmu(t, func(o *emulator.Options) { o.MaxBeaconBytesPerSession = 1 << 20 })
		_, id := e.session()
		e.fire(id, 5, query)
		n, _ := e.beacons(id)
		assert.Equal(t, 2, n, "two 400 KB queries fit in 1 MiB, a third does not")
	})
	t.Run("swept with the session, room returned", func(t *testing.T) {
		e := newEmu(t, budget)
		r, id := e.session()
		e.fire(id, 3, query)
		n, _ := e.beacons(id)
		require.Equal(t, 2, n)
		e.clock.Add(24 * time.Hour)
		resp, _ := e.do("GET", r.TrackingURL)
		require.Equal(t, 404, resp.StatusCode, "the idle session was swept")
		_, status := e.beacons(id)
		assert.Equal(t, 404, status, "its beacons went with it")
		_, id2 := e.session()
		e.fire(id2, 2, query)
		n, _ = e.beacons(id2)
		assert.Equal(t, 2, n, "the swept session's bytes were given back")
	})
}

// Row "Emulator timeouts": the server the CLI runs has every timeout, and a
// client that sends slowly or idles is cut off.
func TestRowSlowClientsCutOff(t *testing.T) {
	t.Run("defaults", func(t *testing.T) {
		cat := newEmu(t).srv.HTTPServer()
		for name, d := range map[string]time.Duration{"ReadHeaderTimeout": cat.ReadHeaderTimeout,
			"ReadTimeout": cat.ReadTimeout, "WriteTimeout": cat.WriteTimeout, "IdleTimeout": cat.IdleTimeout} {
			assert.Greater(t, d, time.Duration(0), name)
			assert.LessOrEqual(t, d, time.Minute, name)
		}
	})
	e := newEmu(t, func(o *emulator.Options) {
		o.Timeouts = emulator.Timeouts{ReadHeader: 300 * time.Millisecond, Read: 600 * time.Millisecond,
			Write: time.Second, Idle: 600 * time.Millisecond}
	})
	for _, tc := range []struct{ name, write string }{
		{"slow headers", "GET /debug/stats HTTP/1.1\r\nHost: x\r\n"},
		{"slow body (1 byte of 100)", "POST /v1/session/" + acct + "/availkit/vod/index.m3u8 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"},
		{"idle keep-alive", "GET /debug/stats HTTP/1.1\r\nHost: x\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
			require.NoError(t, err)
			defer c.Close()
			_, err = io.WriteString(c, tc.write)
			require.NoError(t, err)
			start := time.Now()
			_ = c.SetReadDeadline(start.Add(5 * time.Second))
			_, err = io.Copy(io.Discard, c) // returns at EOF: the server closed
			assert.NoError(t, err, "still open after 5 s")
			assert.Less(t, time.Since(start), 3*time.Second)
		})
	}
}

// Row "/debug has no protection and, with CORS *, any page can list
// sessions, expire them or clear beacons".
func TestRowDebugProtected(t *testing.T) {
	e := newEmu(t)
	_, id := e.session()
	routes := []struct{ method, path string }{
		{"GET", "/debug/sessions"}, {"GET", "/debug/sessions/" + id}, {"GET", "/debug/stats"},
		{"GET", "/debug/sessions/" + id + "/beacons"}, {"DELETE", "/debug/sessions/" + id + "/beacons"},
		{"POST", "/debug/sessions/" + id + "/faults"},
	}
	for _, rt := range routes {
		t.Run("from the LAN "+rt.method+" "+rt.path, func(t *testing.T) {
			assert.Equal(t, http.StatusForbidden, e.remote(rt.method, rt.path).Code)
		})
		t.Run("from another origin "+rt.method+" "+rt.path, func(t *testing.T) {
			resp, _ := e.do(rt.method, rt.path, "Origin", "https://evil.example")
			assert.Equal(t, http.StatusForbidden, resp.StatusCode)
			assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
		})
	}
	t.Run("preflight from another origin", func(t *testing.T) {
		resp, _ := e.do("OPTIONS", "/debug/sessions/"+id+"/beacons", "Origin", "https://evil.example",
			"Access-Control-Request-Method", "DELETE")
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Origin"))
		assert.Empty(t, resp.Header.Get("Access-Control-Allow-Methods"))
	})
	t.Run("DNS-rebound Host", func(t *testing.T) {
		resp, _ := e.do("GET", "/debug/sessions", "Host", "rebind.evil.example"+e.url[strings.LastIndex(e.url, ":"):])
		assert.Equal(t, http.StatusForbidden, resp.StatusCode)
	})
	t.Run("loopback, same origin", func(t *testing.T) {
		resp, body := e.do("GET", "/debug/sessions/"+id, "Origin", e.url)
		assert.Equal(t, 200, resp.StatusCode, body)
	})
	t.Run("the API keeps CORS open", func(t *testing.T) {
		resp, _ := e.do("GET", "/v1/tracking/"+acct+"/availkit/"+id, "Origin", "https://player.example")
		assert.Equal(t, "*", resp.Header.Get("Access-Control-Allow-Origin"))
	})
	t.Run("--debug-token", func(t *testing.T) {
		e := newEmu(t, func(o *emulator.Options) { o.DebugToken = "s3cret" })
		resp, _ := e.do("GET", "/debug/sessions")
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "loopback without the token")
		assert.Equal(t, http.StatusUnauthorized, e.remote("GET", "/debug/sessions", "Authorization", "Bearer nope").Code)
		assert.Equal(t, http.StatusOK, e.remote("GET", "/debug/sessions", "Authorization", "Bearer s3cret").Code)
		assert.Equal(t, http.StatusForbidden, e.remote("GET", "/debug/sessions", "Authorization", "Bearer s3cret",
			"Origin", "https://evil.example").Code, "the token does not open /debug to other origins")
	})
}
