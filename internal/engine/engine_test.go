package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// grid builds n avails of k ads each (10 s ads), every avail followed by
// 60 s of content.
func grid(n, k int) *tracking.Response {
	r := &tracking.Response{}
	t := 30.0
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("av%d", i)
		a := tracking.Avail{AvailID: id, StartTime: dur(t), Duration: dur(float64(k) * 10)}
		a.AdBreakTrackingEvents = []tracking.TrackingEvent{
			{EventType: "breakStart", BeaconURLs: []string{url(id, "", "breakStart")}},
			{EventType: "breakEnd", BeaconURLs: []string{url(id, "", "breakEnd")}},
		}
		for j := 0; j < k; j++ {
			a.Ads = append(a.Ads, stdAd(id, fmt.Sprintf("%s-ad%d", id, j), t+float64(j)*10, 10))
		}
		r.Avails = append(r.Avails, a)
		t += float64(k)*10 + 60
	}
	return r
}

func collect(e *Engine, dst []Action) []Action { return e.Drain(dst) }

// beaconFired reports whether actions hold a beacon of eventType.
func beaconFired(actions []Action, eventType string) bool {
	return slices.ContainsFunc(actions, func(a Action) bool { return a.Kind == ActionBeacon && a.EventType == eventType })
}

// TestContinuity checks the missed-cues rule: a progress event at 11
// fires only when playback got there continuously, and at most once.
// Playback starts at start (a landing: nothing before it fires), moves to
// from, optionally jumps to back, then moves to to; the assertion is on the
// last move only.
func TestContinuity(t *testing.T) {
	cases := []struct {
		name     string
		start    float64 // 0: just before min(from, to)
		from, to float64
		back     float64 // > 0: a backward jump to here before moving to to
		wallMs   float64
		flags    Flags
		seek     string // "": no seek reported; else its origin
		fire     bool
	}{
		{"4Hz tick", 0, 10.8, 11.05, 0, 250, 0, "", true},
		{"one second gap after a stall", 0, 10.5, 11.4, 0, 400, 0, "", true},
		{"backgrounded tab, 30 s wall", 0, 0.5, 30.4, 0, 30000, 0, "", true},
		{"jump of 3 s in 250 ms", 0, 10, 13, 0, 250, 0, "", false},
		// A gap seek of under GapJump is the player stepping over a buffer
		// hole: playback is continuous and the event fires. The same step
		// by the user is a seek that drops it.
		{"gap jump", 0, 10.9, 11.1, 0, 200, 0, "gap", true},
		{"user seek of 0.2 s", 0, 10.9, 11.1, 0, 200, 0, "native", false},
		{"native seek of 1.5 s", 0, 10.9, 12.4, 0, 200, 0, "native", false},
		{"seeking flag", 0, 10.9, 11.1, 0, 200, FlagSeeking, "", false},
		// The landing at 11.5 dropped the event; seeking back before it
		// and playing over it again is a continuous crossing: it fires.
		{"backwards, then replayed over an unfired event", 11.5, 12, 11.05, 10.8, 250, 0, "", true},
		// Crossed and fired on the way to 12: the replay after seeking back
		// does not fire it twice.
		{"backwards, then replayed over a fired event", 10.8, 12, 11.05, 10.8, 250, 0, "", false},
		// A backward jump over the event is a seek: it crosses nothing,
		// even with the event unfired.
		{"backwards jump over an unfired event", 11.5, 12, 10.5, 0, 250, 0, "", false},
		// 50 ms back is clock jitter, not a seek: the event just fired by
		// the step before does not fire again.
		{"jitter back and forth over a fired event", 10.9, 11.05, 11.1, 11.0, 250, 0, "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &tracking.Response{Avails: []tracking.Avail{{AvailID: "a", StartTime: dur(0), Duration: dur(40)}}}
			ad := stdAd("a", "x", 0, 40) // firstQuartile at 10, midpoint at 20
			ad.TrackingEvents = append(ad.TrackingEvents, tracking.TrackingEvent{EventID: "q", EventType: "progress", StartTime: dur(11), BeaconURLs: []string{"https://b.test/p11"}})
			r.Avails[0].Ads = []tracking.Ad{ad}
			e := New(Config{NoSkip: PolicyOff})
			e.Merge(r)
			start := c.start
			if start == 0 {
				start = math.Min(c.from, c.to) - 0.2
			}
			now := 1000.0
			e.Update(start, now, FlagRendered)
			now += math.Max(250, 1000*(c.from-start))
			e.Update(c.from, now, FlagRendered)
			e.Drain(nil)
			if c.back > 0 {
				now += 100
				e.Update(c.back, now, FlagRendered)
				e.Drain(nil)
			}
			if c.seek != "" {
				e.Seek(c.from, c.to, map[string]SeekOrigin{"gap": OriginGap, "native": OriginNative}[c.seek])
			}
			e.Update(c.to, now+c.wallMs, FlagRendered|c.flags)
			assert.Equal(t, c.fire, beaconFired(e.Drain(nil), "progress"))
		})
	}
}

// TestDedupeKey: events sharing an eventId, and one event with two URLs,
// are distinct beacons; the same event in a later poll is not.
func TestDedupeKey(t *testing.T) {
	r := &tracking.Response{Avails: []tracking.Avail{{AvailID: "a", StartTime: dur(5), Duration: dur(10)}}}
	ad := tracking.Ad{AdID: "x", StartTime: dur(5), Duration: dur(10), TrackingEvents: []tracking.TrackingEvent{
		{EventID: "7", EventType: "impression", StartTime: dur(5), BeaconURLs: []string{"https://b.test/i1", "https://b.test/i2"}},
		{EventID: "7", EventType: "start", StartTime: dur(5), BeaconURLs: []string{"https://b.test/i1"}},
	}}
	r.Avails[0].Ads = []tracking.Ad{ad}
	e := New(DefaultConfig())
	e.Merge(r)
	var got []string
	now := 0.0
	for ph := 4.0; ph < 8; ph += 0.25 {
		now += 250
		e.Update(ph, now, FlagRendered)
		if ph == 6 {
			e.Merge(r) // the same response again
		}
		for _, a := range e.Drain(nil) {
			if a.Kind == ActionBeacon {
				got = append(got, a.EventType+" "+a.URL)
			}
		}
	}
	assert.Equal(t, []string{"impression https://b.test/i1", "impression https://b.test/i2", "start https://b.test/i1"}, got)
}

// TestUpdateSteadyAllocs: the per-frame path allocates nothing when no
// beacon is due, in content and inside an ad.
func TestUpdateSteadyAllocs(t *testing.T) {
	for _, c := range []struct {
		name  string
		start float64
	}{{"content", 75}, {"ad", 41}} {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.ProgressInterval = 0
			e := New(cfg)
			e.Merge(grid(50, 4))
			ph, now := c.start, 0.0
			e.Update(ph, now, FlagRendered)
			e.Drain(nil)
			allocs := testing.AllocsPerRun(200, func() {
				ph += 0.01
				now += 10
				if e.Update(ph, now, FlagRendered)&StatusActions != 0 {
					e.actions = e.actions[:0]
				}
			})
			assert.Zero(t, allocs)
		})
	}
}

// TestSnapbackWait: updates from the old position before the player
// executes the snap neither cancel it nor fire anything; a snap that never
// lands is dropped after 3 s.
func TestSnapbackWait(t *testing.T) {
	for _, c := range []struct {
		name   string
		landAt float64
		waitMs float64
		want   State
	}{
		{"lands", 170, 500, StateAd},
		{"never lands", 2, 4000, StateContent},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := New(DefaultConfig())
			e.Merge(grid(3, 1)) // avails at 30, 100, 170
			e.Update(1, 0, FlagRendered)
			d := e.Seek(1, 200, OriginAPI)
			require.False(t, d.Allow)
			require.Equal(t, 170.0, d.To)
			require.Equal(t, 200.0, d.ResumeAt)
			e.Drain(nil)
			e.Update(1.25, 250, FlagRendered)
			assert.Empty(t, e.Drain(nil))
			assert.Equal(t, StateSnapback, e.State())
			e.Update(c.landAt, 250+c.waitMs, FlagRendered)
			assert.Equal(t, c.want, e.State())
		})
	}
}

func BenchmarkUpdateSteady(b *testing.B) {
	cfg := DefaultConfig()
	e := New(cfg)
	e.Merge(grid(50, 4))
	// Content between avail 24 and 25: 60 s without anything due.
	a := e.Timeline().Avails()
	lo, hi := a[24].End+0.5, a[25].Start-cfg.UpcomingLead-0.5
	ph, now := lo, 0.0
	e.Update(ph, now, FlagRendered)
	e.Drain(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ph += 1.0 / 60
		now += 1000.0 / 60
		if ph > hi {
			ph = lo
		}
		if e.Update(ph, now, FlagRendered)&StatusActions != 0 {
			e.actions = e.actions[:0]
		}
	}
}

func BenchmarkUpdateInAd(b *testing.B) {
	cfg := DefaultConfig()
	cfg.ProgressInterval = 0
	e := New(cfg)
	e.Merge(grid(50, 4))
	a := e.Timeline().Avails()
	// Inside the 3rd ad of avail 25, between its start and first quartile.
	ad := a[25].Ads[2]
	lo, hi := ad.Start+0.1, ad.Start+ad.Duration/4-0.1
	ph, now := lo, 0.0
	e.Update(ph, now, FlagRendered)
	e.Drain(nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ph += 1.0 / 60
		now += 1000.0 / 60
		if ph > hi {
			ph = lo
		}
		if e.Update(ph, now, FlagRendered)&StatusActions != 0 {
			e.actions = e.actions[:0]
		}
	}
}

// TestSeekPolicies: a forward seek from 1 over 0, 1 or 3 unwatched breaks
// (grid: 10 s breaks at 30, 100, 170) under each policy, then playback
// following the engine's Seek actions until it settles.
func TestSeekPolicies(t *testing.T) {
	type want struct {
		allow  bool
		to     float64
		resume float64
		seeks  string // Seek actions issued while playing on
	}
	cases := []struct {
		name   string
		cfg    func(*Config)
		to     float64
		expect want
	}{
		{"last/0", nil, 20, want{true, 20, -1, ""}},
		{"last/1", nil, 60, want{false, 30, 60, "resume:60"}},
		{"last/3", nil, 200, want{false, 170, 200, "resume:200"}},
		{"last/into break", nil, 105, want{false, 100, -1, ""}},
		{"first/0", pol(PolicyFirst), 20, want{true, 20, -1, ""}},
		{"first/1", pol(PolicyFirst), 60, want{false, 30, 60, "resume:60"}},
		{"first/3", pol(PolicyFirst), 200, want{false, 30, 200, "resume:200"}},
		{"all/0", pol(PolicyAll), 20, want{true, 20, -1, ""}},
		{"all/1", pol(PolicyAll), 60, want{false, 30, 60, "resume:60"}},
		{"all/3", pol(PolicyAll), 200, want{false, 30, 200, "snap:100 snap:170 resume:200"}},
		{"off/3", pol(PolicyOff), 200, want{true, 200, -1, ""}},
		{"live/3", func(c *Config) { c.Live = true }, 200, want{true, 200, -1, ""}},
		{"live snapback/3", func(c *Config) { c.Live, c.LiveSnapBack = true, true }, 200, want{false, 170, 200, "resume:200"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if c.cfg != nil {
				c.cfg(&cfg)
			}
			e := New(cfg)
			e.Merge(grid(3, 1))
			now := 0.0
			e.Update(1, now, FlagRendered)
			d := e.Seek(1, c.to, OriginAPI)
			assert.Equal(t, c.expect.allow, d.Allow, "allow")
			assert.Equal(t, c.expect.to, d.To, "to")
			assert.Equal(t, c.expect.resume, d.ResumeAt, "resume")
			e.Drain(nil)
			// Play on from where the decision sent the player, following
			// the engine's seeks, until 20 s past the requested target.
			ph := d.To
			var seeks []string
			for n := 0; ph < c.to+20 && n < 10000; n++ {
				now += 250
				e.Update(ph, now, FlagRendered)
				next := ph + 0.25
				for _, a := range e.Drain(nil) {
					if a.Kind == ActionSeek {
						seeks = append(seeks, fmt.Sprintf("%s:%g", a.Name, a.To))
						next = a.To
						e.Seek(ph, a.To, OriginNative) // the player reports it
					}
				}
				ph = next
			}
			assert.Equal(t, c.expect.seeks, strings.Join(seeks, " "))
		})
	}
}

func pol(p Policy) func(*Config) { return func(c *Config) { c.NoSkip = p } }

// TestRefusedNativeSeekCorrection: a native seek inside an ad is refused;
// the player's corrective seek back (reported as another native seek) must
// pass, or the two would ping-pong.
func TestRefusedNativeSeekCorrection(t *testing.T) {
	e := New(DefaultConfig())
	e.Merge(grid(1, 2)) // break 30-50
	e.Update(29.5, 0, FlagRendered)
	e.Update(31, 1500, FlagRendered)
	require.Equal(t, StateAd, e.State())
	d := e.Seek(31, 45, OriginNative)
	require.False(t, d.Allow)
	require.Equal(t, 31.0, d.To)
	back := e.Seek(45, 31, OriginNative)
	assert.True(t, back.Allow, "the correction passes")
	e.Update(31, 1600, FlagRendered|FlagSeeking)
	e.Update(31.25, 1850, FlagRendered)
	for _, a := range e.Drain(nil) {
		assert.NotEqual(t, "adend", a.Name, "still in the same ad")
	}
	assert.Equal(t, StateAd, e.State())
	// A second user attempt is refused again.
	assert.False(t, e.Seek(31.25, 60, OriginAPI).Allow)
}

// TestLogf: every transition reaches the injected logger; without one the
// engine stays silent (and allocation-free, see TestUpdateSteadyAllocs).
func TestLogf(t *testing.T) {
	var lines []string
	cfg := DefaultConfig()
	cfg.Logf = func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	e := New(cfg)
	e.Merge(grid(1, 1)) // break 30-40
	now := 0.0
	for ph := 20.0; ph <= 41; ph += 0.5 {
		now += 500
		e.Update(ph, now, FlagRendered)
	}
	assert.Equal(t, []string{
		"engine: content(-1/-1) -> upcoming(0/-1) at 25.000",
		"engine: upcoming(0/-1) -> ad(0/0) at 30.000",
		"engine: ad(0/0) -> content(-1/-1) at 40.000",
	}, lines)
}
