package emulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// player runs the plugin's session client (internal/client, what the wasm
// bridge drives) against the emulator over real HTTP: requests and beacons
// are answered synchronously, timers run by hand on a manual clock.
type player struct {
	t      *testing.T
	h      *harness
	s      *client.Session
	now    time.Time
	timers []*playerTimer
	// polls lists every tracking request: URL and status.
	polls []poll
	// beacons lists every beacon URL sent, in order.
	beacons []string
	events  []string // event types, in order
	details map[string][]string
}

type poll struct {
	url    string
	status int
	body   string
}

type playerTimer struct {
	at   time.Time
	f    func()
	dead bool
}

func newPlayer(t *testing.T, h *harness, asset string, ads map[string]string) *player {
	t.Helper()
	p := &player{t: t, h: h, now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), details: map[string][]string{}}
	get := func(method, u, body string) (int, string) {
		req, err := http.NewRequest(method, u, strings.NewReader(body))
		require.NoError(t, err)
		resp, err := h.ts.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	deps := client.Deps{
		Fetch: func(r client.Request, done func(client.Reply, error)) {
			status, body := get(r.Method, r.URL, r.Body)
			if strings.Contains(r.URL, "/v1/tracking/") {
				p.polls = append(p.polls, poll{r.URL, status, body})
			}
			done(client.Reply{Status: status, Body: body}, nil)
		},
		Send: func(u string, done func(error)) {
			p.beacons = append(p.beacons, u)
			status, _ := get("GET", u, "")
			if status >= 400 {
				done(errStatus(status))
				return
			}
			done(nil)
		},
		After: func(d time.Duration, f func()) func() {
			tm := &playerTimer{at: p.now.Add(d), f: f}
			p.timers = append(p.timers, tm)
			return func() { tm.dead = true }
		},
		Now:  func() time.Time { return p.now },
		Rand: func() uint64 { return 0 },
		Emit: func(typ string, d jsonw.Marshaler) {
			p.events = append(p.events, typ)
			p.details[typ] = append(p.details[typ], string(jsonw.AppendJSON(nil, d)))
		},
	}
	s, err := client.New(client.Config{SessionInitURL: h.ts.URL + "/v1/session/" + acct + "/availkit/" + asset,
		Init: session.InitOptions{AdsParams: ads}, Engine: engine.DefaultConfig()}, deps)
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	p.s = s
	var initErr *client.ErrorDetail
	s.Init(func(_ client.InitResult, err *client.ErrorDetail) { initErr = err })
	require.Nil(t, initErr, "session init")
	return p
}

type errStatus int

func (e errStatus) Error() string { return "HTTP " + http.StatusText(int(e)) }

// sessionID is the last path element of the session's tracking URL.
func (p *player) sessionID() string {
	u := p.s.Result().TrackingURL
	return u[strings.LastIndexByte(u, '/')+1:]
}

// runTimers runs the timers due now.
func (p *player) runTimers() {
	for {
		var next *playerTimer
		for _, tm := range p.timers {
			if !tm.dead && !tm.at.After(p.now) {
				next = tm
				break
			}
		}
		if next == nil {
			return
		}
		next.dead = true
		next.f()
	}
}

// loadVOD serves the session's first media playlist (ad decisions happen
// there) and tells the client, which polls tracking.
func (p *player) loadVOD(duration float64) {
	p.h.mediaPlaylist(p.sessionID(), "0")
	p.s.ManifestLoaded(client.ManifestInfo{Duration: duration})
	p.runTimers()
}

// play advances the playhead from..to in steps of dt seconds, flushing
// the beacons the engine asks for.
func (p *player) play(from, to, dt float64) {
	for ph := from; ph <= to+1e-9; ph += dt {
		p.now = p.now.Add(time.Duration(dt * float64(time.Second)))
		p.runTimers()
		if p.s.Update(ph, float64(p.now.UnixMilli()), engine.FlagRendered)&engine.StatusActions != 0 {
			p.s.Flush()
		}
	}
}

// collected returns the event types the emulator's collector recorded for
// the session, in arrival order.
func (p *player) collected() []string {
	_, b := p.h.do("GET", "/debug/sessions/"+p.sessionID()+"/beacons", "")
	var hits []Beacon
	require.NoError(p.t, json.Unmarshal([]byte(b), &hits), b)
	var out []string
	for _, h := range hits {
		out = append(out, h.EventType)
	}
	return out
}

// TestPluginSendsTokenBack runs the plugin's poller against the emulator in
// pagination mode: the token the emulator writes URL-encoded ("…%3D") must
// come back verbatim, not escaped again ("…%253D", which the emulator
// refuses with 400 like the real service refuses a token it cannot read).
// The last event's position and the clock decide the token's length: the
// cases give tokens with two, one and no padding characters.
func TestPluginSendsTokenBack(t *testing.T) {
	tests := []struct {
		scenario string
		clock    time.Duration // added to the harness's whole-second clock
		padding  string
	}{
		{"single", 0, "%3D%3D"},              // "PT22S_…:01Z_1", 28 bytes
		{"single", time.Millisecond, "%3D"},  // "PT22S_…:01.001Z_1", 32 bytes
		{"long", 0, ""},                      // "PT1M10S_…:01Z_1", 30 bytes
		{"default", time.Microsecond, "%3D"}, // "PT48S_…:01.000001Z_1", 35 bytes
	}
	for _, tc := range tests {
		t.Run(tc.scenario+tc.padding, func(t *testing.T) {
			h := newHarness(t, nil)
			h.clock.Add(tc.clock)
			p := newPlayer(t, h, "vod/index.m3u8", map[string]string{"scenario": tc.scenario})
			p.loadVOD(0)
			require.Len(t, p.polls, 1)
			require.Equal(t, 200, p.polls[0].status, p.polls[0].body)
			var first trackingResponse
			require.NoError(t, json.Unmarshal([]byte(p.polls[0].body), &first))
			require.NotNil(t, first.NextToken)
			tok := *first.NextToken
			assert.NotContains(t, tok, "=", "the token is written URL-encoded")
			assert.Equal(t, tc.padding, paddingOf(tok), "token %s", tok)

			p.s.PollNow()
			p.runTimers()
			require.Len(t, p.polls, 2)
			assert.True(t, strings.HasSuffix(p.polls[1].url, "?nextToken="+tok), "sent back verbatim: %s", p.polls[1].url)
			assert.NotContains(t, p.polls[1].url, "%25", "not escaped twice")
			require.Equal(t, 200, p.polls[1].status, p.polls[1].body)
			var again trackingResponse
			require.NoError(t, json.Unmarshal([]byte(p.polls[1].body), &again))
			assert.Empty(t, again.Avails, "nothing after the last event")
			require.NotNil(t, again.NextToken)
			assert.Equal(t, tok, *again.NextToken, "the same token echoed, still encoded")
			assert.NotContains(t, p.events, client.EventError)
		})
	}
}

// paddingOf returns the escaped base64 padding that ends tok.
func paddingOf(tok string) string {
	n := 0
	for strings.HasSuffix(tok[:len(tok)-3*n], "%3D") {
		n++
	}
	return strings.Repeat("%3D", n)
}

// TestTokenEncoding checks the token's shape both ways, and that a token
// escaped a second time is refused.
func TestTokenEncoding(t *testing.T) {
	now := time.Date(2023, 8, 14, 19, 50, 41, 397920385, time.UTC)
	tests := []struct {
		pos  time.Duration
		now  time.Time
		want string
	}{
		// Tokens of the real service for these positions and times (corpus,
		// player-controls and beaconing pages): nanoseconds and, in the
		// older one, microseconds.
		{8*time.Minute + 42289*time.Millisecond, now, "UFQ4TTQyLjI4OVNfMjAyMy0wOC0xNFQxOTo1MDo0MS4zOTc5MjAzODVaXzE%3D"},
		{5*time.Minute + 34967*time.Millisecond, time.Date(2022, 11, 18, 4, 33, 52, 245197000, time.UTC),
			"UFQ1TTM0Ljk2N1NfMjAyMi0xMS0xOFQwNDozMzo1Mi4yNDUxOTdaXzE%3D"},
		// "PT1M10.5S_…_1" is 42 bytes: no padding, nothing to escape.
		{70500 * time.Millisecond, now, "UFQxTTEwLjVTXzIwMjMtMDgtMTRUMTk6NTA6NDEuMzk3OTIwMzg1Wl8x"},
	}
	for _, tc := range tests {
		t.Run(tc.want, func(t *testing.T) {
			tok := encodeToken(tc.pos, tc.now)
			assert.Equal(t, tc.want, tok)
			h := newHarness(t, nil)
			r, id := h.session("vod/index.m3u8", map[string]string{"scenario": "default"})
			h.mediaPlaylist(id, "0")
			resp, b := h.do("GET", r.TrackingURL+"?nextToken="+tok, "")
			assert.Equal(t, 200, resp.StatusCode, b)
			twice := strings.ReplaceAll(tok, "%", "%25")
			if twice != tok {
				resp, b = h.do("GET", r.TrackingURL+"?nextToken="+twice, "")
				assert.Equal(t, 400, resp.StatusCode, "a token escaped twice is refused: %s", b)
			}
		})
	}
}

// TestPluginUnfilledAvails plays VOD sessions whose avails the ad server
// leaves unfilled, as in the response captured from the real service: no
// ads, PT0S, and in the second scenario breakEnd listed before breakStart.
// The plugin must not leave an ad break open (no ad UI stuck on screen)
// and must send each break beacon once, breakStart first, whatever the
// list order.
func TestPluginUnfilledAvails(t *testing.T) {
	for _, scenario := range []string{"empty", scenarioBreakEndFirst} {
		t.Run(scenario, func(t *testing.T) {
			h := newHarness(t, nil)
			p := newPlayer(t, h, "vod/index.m3u8", map[string]string{"scenario": scenario})
			p.loadVOD(20)
			require.Len(t, p.polls, 1)
			var tr trackingResponse
			require.NoError(t, json.Unmarshal([]byte(p.polls[0].body), &tr))
			require.Len(t, tr.Avails, 2)
			first := tr.Avails[0].AdBreakTrackingEvents[0].EventType
			if scenario == scenarioBreakEndFirst {
				assert.Equal(t, "breakEnd", first, "listed as the real capture lists it")
			} else {
				assert.Equal(t, "breakStart", first)
			}

			p.play(0, 20, 0.25)
			assert.Equal(t, []string{"breakStart", "breakEnd", "breakStart", "breakEnd"}, p.collected(),
				"each unfilled avail's break beacons, once each, in time order")
			assert.NotContains(t, p.events, "adstart", "no ad plays")
			assert.Equal(t, len(p.details["adbreakstart"]), len(p.details["adbreakend"]), "every break opened is closed: %v", p.events)
			for _, ph := range []float64{0, 10, 20} {
				assert.Contains(t, p.s.UI(ph), `"inAd":false`, "no ad UI at %g s", ph)
			}
			assert.NotContains(t, p.events, client.EventError)
		})
	}
}
