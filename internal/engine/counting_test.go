package engine

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counter drives an Engine and a beacon.Dispatcher the way the session
// client does (every Beacon action to Fire with its BeaconKey) and counts
// what reaches the network and what is left to the server.
type counter struct {
	t     *testing.T
	e     *Engine
	d     *beacon.Dispatcher
	polls map[string]*tracking.Response
	ph    float64
	now   float64
	flags Flags
	buf   []Action
	// sent and server count beacons by "ad:eventType" ("avail:eventType"
	// for break events); urls keeps the URL each sent beacon used.
	sent, server map[string]int
	urls         map[string][]string
}

func newCounter(t *testing.T, cfg Config, serverMode bool, polls map[string]*tracking.Response) *counter {
	c := &counter{t: t, e: New(cfg), polls: polls, now: 1.7e12,
		sent: map[string]int{}, server: map[string]int{}, urls: map[string][]string{}}
	c.d = beacon.NewDispatcher(func(_ string, done func(error)) { done(nil) }, func(r beacon.Result) {
		require.NoError(t, r.Err)
		who := r.Key.AdID
		if who == "" {
			who = r.Key.AvailID
		}
		k := who + ":" + r.Key.EventType
		if r.FiredBy == beacon.FiredByServer {
			c.server[k]++
			return
		}
		c.sent[k]++
		c.urls[k] = append(c.urls[k], r.URL)
	})
	c.d.SetServerReporting(serverMode)
	return c
}

// drain fires the pending beacons and returns the last Seek target, NaN
// when none.
func (c *counter) drain() float64 {
	seek := math.NaN()
	c.buf = c.e.Drain(c.buf[:0])
	for i := range c.buf {
		a := &c.buf[i]
		switch a.Kind {
		case ActionBeacon:
			c.d.Fire(a.BeaconKey(), a.URL)
		case ActionSeek:
			seek = a.To
		}
	}
	return seek
}

func (c *counter) update(ph float64) float64 {
	if d := ph - c.ph; d > 0 {
		c.now += d * 1000
	} else {
		c.now += 100
	}
	c.ph = ph
	c.e.Update(ph, c.now, c.flags)
	return c.drain()
}

// run plays a script: "play T" (0.25 s steps to T, following the engine's
// own seeks), "pause", "resume", "mute", "unmute", "fs", "exitfs", "click",
// "skip", "error CODE", "vpaid EVENT", "vpaidstop", "seek T native|api",
// "merge POLL", "prune T" (prune and forget the pruned avails).
func (c *counter) run(script ...string) {
	for _, line := range script {
		f := strings.Fields(line)
		num := func(i int) float64 {
			v, err := strconv.ParseFloat(f[i], 64)
			require.NoError(c.t, err, line)
			return v
		}
		switch f[0] {
		case "play":
			to := num(1)
			for n := 0; c.ph < to-eps; n++ {
				require.Less(c.t, n, 100000, line)
				next := math.Min(to, math.Round((c.ph+0.25)*1e6)/1e6)
				if s := c.update(next); !math.IsNaN(s) {
					c.update(s) // the player lands where the engine sent it
				}
			}
		case "pause", "resume", "mute", "unmute", "fs", "exitfs":
			bit := map[string]Flags{"pause": FlagPaused, "resume": FlagPaused, "mute": FlagMuted,
				"unmute": FlagMuted, "fs": FlagFullscreen, "exitfs": FlagFullscreen}[f[0]]
			if f[0] == "resume" || f[0] == "unmute" || f[0] == "exitfs" {
				c.flags &^= bit
			} else {
				c.flags |= bit
			}
			c.update(c.ph)
		case "click":
			c.e.ClickThrough(c.ph, c.now)
			c.drain()
		case "skip":
			c.e.Skip(c.ph, c.now)
			if s := c.drain(); !math.IsNaN(s) {
				c.update(s)
			}
		case "error":
			c.e.Error(int(num(1)), c.ph, c.now)
			c.drain()
		case "seek":
			origin := map[string]SeekOrigin{"native": OriginNative, "api": OriginAPI}[f[2]]
			d := c.e.Seek(c.ph, num(1), origin)
			c.drain()
			c.update(d.To)
		case "vpaid":
			c.e.VPAIDEvent(f[1], c.ph)
			c.drain()
		case "vpaidexpanded":
			c.e.VPAIDExpanded(f[1] == "true", c.ph)
			c.drain()
		case "vpaidstop":
			c.e.VPAIDStopped(c.ph)
			if s := c.drain(); !math.IsNaN(s) {
				c.update(s)
			}
		case "merge":
			p, ok := c.polls[f[1]]
			require.True(c.t, ok, line)
			c.e.Merge(p)
		case "prune":
			// As the session client does: what the window dropped is
			// forgotten by the dispatcher too.
			_, ids := c.e.PruneIDs(num(1), nil)
			for _, id := range ids {
				c.d.Forget(id)
			}
		default:
			c.t.Fatalf("unknown step %q", line)
		}
	}
}

// countingPoll is one avail "a" at 10 s holding ad "x" (10–30 s, skippable
// after 5 s, with a landing page and the player-operation events) and, when
// two is set, ad "y" (30–40 s). sig is appended to every beacon URL, as a
// server-side cachebuster or re-signing does between polls.
func countingPoll(sig string, two bool) *tracking.Response {
	a := tracking.Avail{AvailID: "a", StartTime: dur(10), Duration: dur(20)}
	a.AdBreakTrackingEvents = []tracking.TrackingEvent{
		{EventID: "a-bs", EventType: "breakStart", StartTime: dur(10), BeaconURLs: []string{url("a", "", "breakStart")}},
		{EventID: "a-be", EventType: "breakEnd", StartTime: dur(30), BeaconURLs: []string{url("a", "", "breakEnd")}},
	}
	x := stdAd("a", "x", 10, 20)
	x.SkipOffset = "00:00:05"
	x.TrackingEvents = append(x.TrackingEvents,
		tracking.TrackingEvent{EventType: "clickThrough", BeaconURLs: []string{"https://advertiser.test/landing"}},
		tracking.TrackingEvent{EventID: "x-a", EventType: "rewind", BeaconURLs: []string{url("a", "x", "rewind")}},
		tracking.TrackingEvent{EventID: "x-e", EventType: "error", BeaconURLs: []string{url("a", "x", "error")}},
		// A second URL for the impression (a third-party counter).
		tracking.TrackingEvent{EventID: "x-0", EventType: "impression", StartTime: dur(10), BeaconURLs: []string{"https://3p.test/a/x/impression"}},
	)
	a.Ads = []tracking.Ad{x}
	if two {
		a.Duration = dur(30)
		a.AdBreakTrackingEvents[1].StartTime = dur(40)
		a.Ads = append(a.Ads, stdAd("a", "y", 30, 10))
	}
	if sig != "" {
		for k := range a.Ads {
			for j := range a.Ads[k].TrackingEvents {
				te := &a.Ads[k].TrackingEvents[j]
				if te.EventType == "clickThrough" {
					continue
				}
				for u := range te.BeaconURLs {
					te.BeaconURLs[u] += "?sig=" + sig
				}
			}
		}
		for j := range a.AdBreakTrackingEvents {
			a.AdBreakTrackingEvents[j].BeaconURLs[0] += "?sig=" + sig
		}
	}
	return &tracking.Response{Avails: []tracking.Avail{a}}
}

// vpaidPoll is one avail "v" at 10 s holding a 20 s VPAID ad "v1".
func vpaidPoll() *tracking.Response {
	a := tracking.Avail{AvailID: "v", StartTime: dur(10), Duration: dur(20)}
	a.AdBreakTrackingEvents = []tracking.TrackingEvent{
		{EventID: "v-bs", EventType: "breakStart", StartTime: dur(10), BeaconURLs: []string{url("v", "", "breakStart")}},
		{EventID: "v-be", EventType: "breakEnd", StartTime: dur(30), BeaconURLs: []string{url("v", "", "breakEnd")}},
	}
	ad := stdAd("v", "v1", 10, 20)
	ad.MediaFiles.MediaFilesList = []tracking.MediaFile{{MediaFileURI: "https://cdn.test/vpaid.js", APIFramework: "VPAID", MediaType: "application/javascript"}}
	// What a VPAID unit's own acts map to (VAST 3 and 4.1 names).
	for _, typ := range []string{"otherAdInteraction", "acceptInvitation", "minimize", "collapse", "expand",
		"adExpand", "adCollapse", "close", "closeLinear"} {
		ad.TrackingEvents = append(ad.TrackingEvents, tracking.TrackingEvent{EventID: "v1-" + typ, EventType: typ, BeaconURLs: []string{url("v", "v1", typ)}})
	}
	a.Ads = []tracking.Ad{ad}
	return &tracking.Response{Avails: []tracking.Avail{a}}
}

// adOnce is what one ad x watched to its end counts once: the impression
// (two URLs) and every quartile.
func adOnce(who string) map[string]int {
	return map[string]int{
		who + ":impression": 2, who + ":start": 1, who + ":firstQuartile": 1,
		who + ":midpoint": 1, who + ":thirdQuartile": 1, who + ":complete": 1,
	}
}

func merged(ms ...map[string]int) map[string]int {
	out := map[string]int{}
	for _, m := range ms {
		for k, v := range m {
			out[k] += v
		}
	}
	return out
}

// TestCountingRules is the table of issue 13: a scenario in, the exact
// multiset of beacons out, through the engine and the dispatcher.
func TestCountingRules(t *testing.T) {
	brk := map[string]int{"a:breakStart": 1, "a:breakEnd": 1}
	ops := map[string]int{"x:pause": 3, "x:resume": 3, "x:mute": 2, "x:unmute": 2,
		"x:clickTracking": 2, "x:playerExpand": 1, "x:playerCollapse": 1}
	viewer := []string{
		"merge p1", "play 12",
		// Measured 1: three pauses, two mute/unmute cycles, two clicks and
		// a fullscreen round trip inside one ad.
		"pause", "resume", "play 13", "pause", "resume", "play 14", "pause", "play 14", "resume",
		"mute", "play 15", "unmute", "mute", "unmute",
		"click", "play 16", "click", "fs", "exitfs",
		"play 45",
	}
	tests := []struct {
		name       string
		cfg        func(*Config)
		server     bool
		polls      map[string]*tracking.Response
		script     []string
		sent       map[string]int
		serverSide map[string]int
		// keys, when set, is the number of identities the dispatcher
		// still holds at the end.
		keys *int
	}{
		{
			name:   "player operations on every change",
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: viewer,
			sent:   merged(brk, adOnce("x"), ops),
		},
		{
			// Measured 2: MediaTailor fires its share itself.
			name:       "server reporting mode",
			server:     true,
			polls:      map[string]*tracking.Response{"p1": countingPoll("", false)},
			script:     viewer,
			sent:       ops,
			serverSide: merged(brk, adOnce("x")),
		},
		{
			// Measured 3: each re-poll changes every URL; what fired stays
			// fired, what did not uses the newest URL.
			name: "re-polls with changed URLs",
			polls: map[string]*tracking.Response{
				"p1": countingPoll("1", false), "p2": countingPoll("2", false), "p3": countingPoll("3", false),
			},
			script: []string{"merge p1", "play 12", "merge p2", "play 16", "merge p3", "merge p2", "merge p3", "play 45"},
			sent:   merged(brk, adOnce("x")),
		},
		{
			name:   "no resume without a pause, no pause before the first frame or after the end",
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: []string{"merge p1", "play 9", "pause", "play 10", "resume", "play 29.75", "resume", "play 45", "pause"},
			sent:   merged(brk, adOnce("x")),
		},
		{
			name:   "skip once, no completion after it",
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: []string{"merge p1", "play 16", "skip", "skip", "play 45"},
			sent: map[string]int{"a:breakStart": 1, "a:breakEnd": 1, "x:impression": 2, "x:start": 1,
				"x:firstQuartile": 1, "x:skip": 1},
		},
		{
			name:   "live: no skip (the ad ends at or past the live edge)",
			cfg:    func(c *Config) { c.Live = true },
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: []string{"merge p1", "play 16", "skip", "play 45"},
			sent:   merged(brk, adOnce("x")),
		},
		{
			name:   "error once per ad",
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: []string{"merge p1", "play 12", "error 405", "error 405", "play 45"},
			sent:   merged(brk, adOnce("x"), map[string]int{"x:error": 1}),
		},
		{
			name:   "rewind on a seek back inside the ad",
			cfg:    func(c *Config) { c.NoSkip = PolicyOff },
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: []string{"merge p1", "play 20", "seek 14 native", "play 22", "seek 12 api", "play 45"},
			sent:   merged(brk, adOnce("x"), map[string]int{"x:rewind": 2}),
		},
		{
			name:   "a refused seek back rewinds nothing",
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false)},
			script: []string{"merge p1", "play 20", "seek 14 native", "play 45"},
			sent:   merged(brk, adOnce("x")),
		},
		{
			name:   "ads skipped over by a seek send nothing",
			cfg:    func(c *Config) { c.NoSkip = PolicyOff },
			polls:  map[string]*tracking.Response{"p1": countingPoll("", true)},
			script: []string{"merge p1", "play 5", "seek 50 native", "play 55"},
			sent:   map[string]int{},
		},
		{
			// MediaTailor never fires a VPAID ad's beacons: in server mode
			// the creative's reports are still the player's to send; the
			// break's own events are the server's.
			name:   "server reporting mode, VPAID ad",
			server: true,
			polls:  map[string]*tracking.Response{"p1": vpaidPoll()},
			script: []string{"merge p1", "play 11", "vpaid AdImpression", "vpaid AdVideoStart",
				"vpaid AdPaused", "vpaid AdPlaying", "vpaid AdPaused", "vpaid AdPlaying", "vpaid AdPlaying",
				"vpaid AdVideoComplete", "vpaid AdVideoComplete", "vpaidstop", "play 35"},
			sent: map[string]int{"v1:impression": 1, "v1:start": 1, "v1:complete": 1,
				"v1:pause": 2, "v1:resume": 2},
			serverSide: map[string]int{"v:breakStart": 1, "v:breakEnd": 1},
		},
		{
			// Measured 10: the unit's interactions drive their beacons,
			// each act once, close once.
			name:  "VPAID unit interactions",
			polls: map[string]*tracking.Response{"p1": vpaidPoll()},
			script: []string{"merge p1", "play 11", "vpaid AdImpression",
				"vpaid AdInteraction", "vpaid AdInteraction", "vpaid AdUserAcceptInvitation", "vpaid AdUserAcceptInvitation",
				"vpaid AdUserMinimize", "vpaidexpanded true", "vpaidexpanded false", "vpaidexpanded true",
				"vpaid AdUserClose", "vpaid AdUserClose", "vpaidstop", "play 35"},
			sent: map[string]int{"v:breakStart": 1, "v:breakEnd": 1, "v1:impression": 1,
				"v1:otherAdInteraction": 2, "v1:acceptInvitation": 2, "v1:minimize": 1, "v1:collapse": 2,
				"v1:adExpand": 2, "v1:expand": 2, "v1:adCollapse": 1, "v1:close": 1, "v1:closeLinear": 1},
		},
		{
			// Measured 7: a pruned avail's keys are forgotten, and the avail
			// listed again by a late poll does not fire again.
			name:   "prune forgets, a late re-listing fires nothing",
			cfg:    func(c *Config) { c.Live = true },
			polls:  map[string]*tracking.Response{"p1": countingPoll("", false), "p2": countingPoll("2", false)},
			script: []string{"merge p1", "play 45", "prune 40", "merge p2", "play 50"},
			sent:   merged(brk, adOnce("x")),
			keys:   new(int),
		},
		{
			name:   "a pod counts each ad once",
			polls:  map[string]*tracking.Response{"p1": countingPoll("", true)},
			script: []string{"merge p1", "play 45"},
			sent: merged(brk, adOnce("x"), map[string]int{"y:impression": 1, "y:start": 1, "y:firstQuartile": 1,
				"y:midpoint": 1, "y:thirdQuartile": 1, "y:complete": 1}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			c := newCounter(t, cfg, tt.server, tt.polls)
			c.run(tt.script...)
			assert.Equal(t, tt.sent, c.sent, "sent by the player")
			want := tt.serverSide
			if want == nil {
				want = map[string]int{}
			}
			assert.Equal(t, want, c.server, "left to MediaTailor")
			if tt.keys != nil {
				keys, _, _ := c.d.Remembered()
				assert.Equal(t, *tt.keys, keys, "dedupe identities held")
			}
		})
	}
}

// TestCountingNewestURL: after re-polls that change every URL, the beacons
// that fired before a poll kept the URL they fired with (they are never
// sent again) and the ones still due use the newest poll's URL.
func TestCountingNewestURL(t *testing.T) {
	c := newCounter(t, DefaultConfig(), false, map[string]*tracking.Response{
		"p1": countingPoll("1", false), "p2": countingPoll("2", false), "p3": countingPoll("3", false),
	})
	c.run("merge p1", "play 12", "merge p2", "play 16", "merge p3", "play 45")
	assert.Equal(t, []string{url("a", "x", "impression") + "?sig=1"}, filter(c.urls["x:impression"], "b.test"))
	assert.Equal(t, []string{url("a", "x", "firstQuartile") + "?sig=2"}, c.urls["x:firstQuartile"])
	assert.Equal(t, []string{url("a", "x", "midpoint") + "?sig=3"}, c.urls["x:midpoint"])
	assert.Equal(t, []string{url("a", "", "breakEnd") + "?sig=3"}, c.urls["a:breakEnd"])
}

func filter(urls []string, host string) []string {
	var out []string
	for _, u := range urls {
		if strings.Contains(u, host) {
			out = append(out, u)
		}
	}
	return out
}
