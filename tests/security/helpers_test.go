// Package security_test replays, against the real emulator handler and the
// real decoders, every row of the "Measured" table of issue 15 (an
// emulator that is safe on a team's network, a plugin that survives what a
// page or an ad server sends). README.md beside this file maps each row to
// its tests, including the rows only a browser can show.
package security_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/emulator"
	"github.com/availkit/availkit/media"
	"github.com/stretchr/testify/require"
)

// acct is the account id of the emulator's default configuration.
const acct = "4f1c2a9e8b7d6c5f4e3d2c1b0a9f8e7d6c5b4a39"

// clock is a settable time source, so a test can age sessions past their
// sweep without waiting.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// emu is the emulator behind a loopback listener, built as the CLI builds
// it (Server.HTTPServer).
type emu struct {
	t     *testing.T
	srv   *emulator.Server
	url   string
	clock *clock
}

func newEmu(t *testing.T, opts ...func(*emulator.Options)) *emu {
	t.Helper()
	cat, err := media.Load()
	require.NoError(t, err)
	c := &clock{t: time.Date(2026, 11, 25, 10, 0, 1, 0, time.UTC)}
	o := emulator.Options{Catalog: cat, Now: c.Now, Logf: func(string, ...any) {}}
	for _, f := range opts {
		f(&o)
	}
	srv, err := emulator.New(o)
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := srv.HTTPServer()
	go func() { _ = hs.Serve(ln) }()
	t.Cleanup(func() { _ = hs.Close() })
	return &emu{t: t, srv: srv, url: "http://" + ln.Addr().String(), clock: c}
}

// do sends a request (redirects not followed) and returns status and body.
func (e *emu) do(method, path string, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.url+path, nil)
	require.NoError(e.t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	return resp, string(b)
}

// remote serves a request in-process as if it came from another machine
// on the LAN (a documentation address, 192.0.2.0/24).
func (e *emu) remote(method, path string, hdr ...string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, e.url+path, nil)
	req.RemoteAddr = "192.0.2.7:51000"
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	e.srv.ServeHTTP(rec, req)
	return rec
}

type initReply struct {
	ManifestURL string `json:"manifestUrl"`
	TrackingURL string `json:"trackingUrl"`
}

// session creates a VOD session (Host and X-Forwarded-Proto as given, if
// any), asks for its media playlist so the ads are decided, and returns
// the init reply and the session id.
func (e *emu) session(hdr ...string) (initReply, string) {
	e.t.Helper()
	req, err := http.NewRequest("POST", e.url+"/v1/session/"+acct+"/availkit/vod/index.m3u8", strings.NewReader("{}"))
	require.NoError(e.t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	require.Equal(e.t, 200, resp.StatusCode)
	var r initReply
	require.NoError(e.t, json.NewDecoder(resp.Body).Decode(&r))
	id := r.ManifestURL[strings.Index(r.ManifestURL, "aws.sessionId=")+len("aws.sessionId="):]
	if i := strings.IndexByte(id, '&'); i >= 0 {
		id = id[:i]
	}
	mr, mb := e.do("GET", "/v1/manifest/"+acct+"/availkit/"+id+"/0.m3u8", hdr...)
	require.Equal(e.t, 200, mr.StatusCode, mb)
	return r, id
}

// rawGet sends the request line exactly as given, as curl --path-as-is
// does: no client cleans the dot segments first.
func rawGet(t *testing.T, base, target string) (int, string) {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	require.NoError(t, err)
	defer c.Close()
	_, err = io.WriteString(c, "GET "+target+" HTTP/1.1\r\nHost: "+strings.TrimPrefix(base, "http://")+"\r\nConnection: close\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// checkoutRoot is a --root laid out like a repository checkout: the
// directories the emulator serves and, beside them, what it must not.
func checkoutRoot(t *testing.T) string {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html": "<!doctype html>qa", "go.mod": "module secret", ".git/config": "[remote] token=secret",
		"dist/availkit.js": "export {}", "dist/.env": "SECRET=1", "web/app.js": "app", "web/.htpasswd": "secret",
		"tests/page.html": "page", "node_modules/hls.js/dist/hls.mjs": "hls",
		"node_modules/hls.js/package.json": `{"secret":1}`, "node_modules/.package-lock.json": "secret",
		"node_modules/dashjs/dist/modern/esm/dash.all.min.js": "dash",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}
