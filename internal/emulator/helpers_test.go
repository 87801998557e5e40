package emulator

import (
	"encoding/json"
	"fmt"
	"github.com/availkit/availkit/media"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/require"
)

const acct = DefaultAccount

// testCatalog is a small synthetic catalog: 20 s of content in 2 s segments,
// three ads (6, 8 and 10 s) and a 2 s slate.
func testCatalog(t testing.TB) *media.Catalog {
	t.Helper()
	type track struct {
		Codecs    string  `json:"codecs"`
		Width     int     `json:"width,omitempty"`
		Height    int     `json:"height,omitempty"`
		Bandwidth int     `json:"bandwidth"`
		Timescale int64   `json:"timescale"`
		Ticks     []int64 `json:"segmentTicks"`
	}
	type entry struct {
		ID       string    `json:"id"`
		Kind     string    `json:"kind"`
		Title    string    `json:"title"`
		Path     string    `json:"path"`
		Segments []float64 `json:"segments"`
		Video    track     `json:"video"`
		Audio    track     `json:"audio"`
	}
	fsys := fstest.MapFS{}
	mk := func(id, kind, path string, n int) entry {
		e := entry{ID: id, Kind: kind, Title: strings.ToUpper(id), Path: path,
			Video: track{Codecs: "avc1.4d401e", Width: 640, Height: 360, Bandwidth: 300000, Timescale: 15360},
			Audio: track{Codecs: "mp4a.40.2", Bandwidth: 64000, Timescale: 48000}}
		for i := 0; i < n; i++ {
			e.Segments = append(e.Segments, 2)
			e.Video.Ticks = append(e.Video.Ticks, 30720)
			e.Audio.Ticks = append(e.Audio.Ticks, 96256)
		}
		for _, tr := range []string{"video", "audio"} {
			fsys[path+"/"+tr+"/init.mp4"] = &fstest.MapFile{Data: []byte("init " + id)}
			for i := 1; i <= n; i++ {
				fsys[fmt.Sprintf("%s/%s/seg-%05d.m4s", path, tr, i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("%s %s %d", id, tr, i))}
			}
		}
		return e
	}
	entries := []entry{mk("main", "content", "content/main", 10), mk("ad-a", "ad", "ads/ad-a", 5),
		mk("ad-b", "ad", "ads/ad-b", 3), mk("ad-d", "ad", "ads/ad-d", 4), mk("slate", "slate", "slate", 1)}
	raw, err := json.Marshal(map[string]any{"version": 1, "assets": entries})
	require.NoError(t, err)
	fsys["catalog.json"] = &fstest.MapFile{Data: raw}
	cat, err := media.LoadFS(fsys)
	require.NoError(t, err)
	return cat
}

// clock is a settable fake clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type harness struct {
	t     testing.TB
	srv   *Server
	ts    *httptest.Server
	clock *clock
}

// newHarness starts an emulator on the synthetic catalog. Live breaks come
// every 40 s for 20 s. opts adjust the server's options.
func newHarness(t testing.TB, mutate func(*Config), opts ...func(*Options)) *harness {
	t.Helper()
	cfg := DefaultConfig()
	cfg.PlaybackConfigurations[0].LiveBreakEverySecs = 40
	cfg.PlaybackConfigurations[0].LiveBreakDurationSecs = 20
	if mutate != nil {
		mutate(cfg)
	}
	c := &clock{t: time.Date(2026, 11, 25, 10, 0, 1, 0, time.UTC)}
	// A fake clock does not move while a decision runs: wait for it.
	// Background ad decisions may outlive the test (the ad server is gone
	// once the httptest server closes): stop logging to t when it ends.
	var logMu sync.Mutex
	ended := false
	t.Cleanup(func() { logMu.Lock(); ended = true; logMu.Unlock() })
	logf := func(format string, args ...any) {
		logMu.Lock()
		defer logMu.Unlock()
		if !ended {
			t.Logf(format, args...)
		}
	}
	o := Options{Config: cfg, Catalog: testCatalog(t), Now: c.Now, Logf: logf, DecisionWait: 10 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	srv, err := New(o)
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &harness{t: t, srv: srv, ts: ts, clock: c}
}

func (h *harness) do(method, path, body string, hdr ...string) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.ts.URL+path, strings.NewReader(body))
	require.NoError(h.t, err)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	cl := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := cl.Do(req)
	require.NoError(h.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(h.t, err)
	return resp, string(b)
}

type initReply struct {
	ManifestURL string `json:"manifestUrl"`
	TrackingURL string `json:"trackingUrl"`
}

// session creates an explicit session for asset with the given adsParams.
func (h *harness) session(asset string, ads map[string]string) (initReply, string) {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"adsParams": ads})
	resp, b := h.do("POST", "/v1/session/"+acct+"/availkit/"+asset, string(body))
	require.Equal(h.t, 200, resp.StatusCode, b)
	var r initReply
	require.NoError(h.t, json.Unmarshal([]byte(b), &r))
	id := r.ManifestURL[strings.Index(r.ManifestURL, "aws.sessionId=")+len("aws.sessionId="):]
	if i := strings.IndexByte(id, '&'); i >= 0 {
		id = id[:i]
	}
	return r, id
}

func (h *harness) mediaPlaylist(id, n string) string {
	h.t.Helper()
	resp, b := h.do("GET", fmt.Sprintf("/v1/manifest/%s/availkit/%s/%s.m3u8", acct, id, n), "")
	require.Equal(h.t, 200, resp.StatusCode, b)
	return b
}

func (h *harness) tracking(url string) trackingResponse {
	h.t.Helper()
	resp, b := h.do("GET", url, "")
	require.Equal(h.t, 200, resp.StatusCode, b)
	var tr trackingResponse
	require.NoError(h.t, json.Unmarshal([]byte(b), &tr), b)
	return tr
}

// direct serves a request in-process, without a network round trip.
func (h *harness) direct(method, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, h.ts.URL+path, nil)
	h.srv.ServeHTTP(rec, req)
	return rec
}
