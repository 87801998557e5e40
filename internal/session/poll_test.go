package session

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

// run drives p like the wasm timer loop would: wait for NextPoll, Begin,
// answer after latency with outcome(n). It returns the poll start times
// (relative to t0) up to the horizon.
func run(t *testing.T, p *Poller, from, horizon, latency time.Duration, outcome func(n int) bool) (polls []time.Duration, end time.Duration) {
	t.Helper()
	now := from
	for n := 0; ; n++ {
		wait, ok := p.NextPoll(at(now))
		if !ok || now+wait > horizon {
			return polls, now
		}
		now += wait
		require.True(t, p.Begin(at(now)), "Begin refused at %v", now)
		require.False(t, p.Begin(at(now)), "single flight")
		_, ok = p.NextPoll(at(now))
		require.False(t, ok, "nothing planned while in flight")
		polls = append(polls, now)
		now += latency
		p.OnResult(at(now), outcome(n))
	}
}

func always(ok bool) func(int) bool { return func(int) bool { return ok } }

func ms(v ...int) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x) * time.Millisecond
	}
	return out
}

func TestPollerLiveInterval(t *testing.T) {
	tests := []struct {
		name         string
		cfg          PollConfig
		target, mup  time.Duration
		wantInterval time.Duration
		wantPolls    []time.Duration
	}{
		{"hls target duration", PollConfig{}, 6 * time.Second, 0, 6 * time.Second, ms(0, 6100, 12200, 18300)},
		{"clamped up to 2 s", PollConfig{}, time.Second, 0, 2 * time.Second, ms(0, 2100, 4200, 6300, 8400, 10500, 12600, 14700, 16800, 18900)},
		{"clamped down to 10 s", PollConfig{}, 30 * time.Second, 0, 10 * time.Second, ms(0, 10100)},
		{"dash minimumUpdatePeriod", PollConfig{}, 0, 8 * time.Second, 8 * time.Second, ms(0, 8100, 16200)},
		{"nothing known: 4 s", PollConfig{}, 0, 0, 4 * time.Second, ms(0, 4100, 8200, 12300, 16400)},
		{"override", PollConfig{Interval: 5 * time.Second}, 6 * time.Second, 0, 5 * time.Second, ms(0, 5100, 10200, 15300)},
		{"override still clamped", PollConfig{Interval: time.Millisecond}, 6 * time.Second, 0, 2 * time.Second, ms(0, 2100, 4200, 6300, 8400, 10500, 12600, 14700, 16800, 18900)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPoller("https://h/t", tt.cfg)
			_, ok := p.NextPoll(at(0))
			assert.False(t, ok, "no poll before the first manifest")
			p.ManifestLoaded(at(0), true, tt.target, tt.mup)
			assert.Equal(t, tt.wantInterval, p.Interval())
			polls, _ := run(t, p, 0, 20*time.Second, 100*time.Millisecond, always(true))
			assert.Equal(t, tt.wantPolls, polls)
		})
	}
}

func TestPollerVOD(t *testing.T) {
	p := NewPoller("https://h/t", PollConfig{})
	p.Request(at(0)) // before the manifest: ignored, the manifest triggers the poll
	p.ManifestLoaded(at(time.Second), false, 6*time.Second, 0)
	polls, end := run(t, p, time.Second, time.Hour, 200*time.Millisecond, always(true))
	assert.Equal(t, ms(1000), polls, "VOD polls once after the manifest")

	p.ManifestLoaded(at(5*time.Second), false, 6*time.Second, 0) // playlist reload: no new poll
	_, ok := p.NextPoll(at(5 * time.Second))
	assert.False(t, ok)

	p.Request(at(30 * time.Second))
	polls, _ = run(t, p, max(end, 30*time.Second), time.Hour, 200*time.Millisecond, always(true))
	assert.Equal(t, ms(30000), polls, "on demand")
}

func TestPollerRequestWhileInFlight(t *testing.T) {
	p := NewPoller("https://h/t", PollConfig{})
	p.ManifestLoaded(at(0), false, 0, 0)
	require.True(t, p.Begin(at(0)))
	p.Request(at(100 * time.Millisecond))
	p.Request(at(150 * time.Millisecond)) // coalesced
	assert.False(t, p.Begin(at(200*time.Millisecond)))
	p.OnResult(at(time.Second), true)
	polls, _ := run(t, p, time.Second, time.Hour, 100*time.Millisecond, always(true))
	assert.Equal(t, ms(1000), polls, "exactly one follow-up poll right after the first")
}

func TestPollerBackoff(t *testing.T) {
	tests := []struct {
		name      string
		live      bool
		rand      func() float64
		outcomes  []bool
		wantPolls []time.Duration
	}{
		// Delays 1,2,4,8,16,30,30 s after each failure (latency 0).
		{"vod no jitter", false, nil, []bool{false, false, false, false, false, false, false, true},
			ms(0, 1000, 3000, 7000, 15000, 31000, 61000, 91000)},
		// Jitter r=0.5 maps d to 0.75·d.
		{"vod jitter", false, func() float64 { return 0.5 }, []bool{false, false, false, true},
			ms(0, 750, 2250, 5250)},
		// r=0 gives the lower bound d/2; an out-of-range rand is treated as 0.
		{"bad rand", false, func() float64 { return 7 }, []bool{false, false, true}, ms(0, 500, 1500)},
		// Live: backoff replaces the interval until a success, then the
		// normal 6 s cadence resumes.
		{"live recovers", true, nil, []bool{true, false, false, true, true}, ms(0, 6000, 7000, 9000, 15000)},
		// Live: a long outage retries no slower than the 6 s interval (not
		// 8, 16, 30 s), so an ad that starts during it is listed within
		// one interval of the endpoint's recovery.
		{"live outage capped at the interval", true, nil, []bool{true, false, false, false, false, false, true},
			ms(0, 6000, 7000, 9000, 13000, 19000, 25000, 31000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPoller("https://h/t", PollConfig{Rand: tt.rand})
			p.ManifestLoaded(at(0), tt.live, 6*time.Second, 0)
			polls, _ := run(t, p, 0, 100*time.Second, 0, func(n int) bool {
				if n < len(tt.outcomes) {
					return tt.outcomes[n]
				}
				return !tt.live // live keeps polling; stop VOD after the list
			})
			if len(polls) > len(tt.wantPolls) {
				polls = polls[:len(tt.wantPolls)]
			}
			assert.Equal(t, tt.wantPolls, polls)
		})
	}
}

func TestPollerPause(t *testing.T) {
	t.Run("live paused polls 3x slower, resume restores", func(t *testing.T) {
		p := NewPoller("https://h/t", PollConfig{})
		p.ManifestLoaded(at(0), true, 4*time.Second, 0)
		polls, _ := run(t, p, 0, 5*time.Second, 0, always(true))
		assert.Equal(t, ms(0, 4000), polls)
		p.SetPaused(at(5*time.Second), true)
		wait, ok := p.NextPoll(at(5 * time.Second))
		require.True(t, ok)
		assert.Equal(t, 11*time.Second, wait, "last poll at 4 s + 12 s")
		polls, _ = run(t, p, 5*time.Second, 30*time.Second, 0, always(true))
		assert.Equal(t, ms(16000, 28000), polls)
		p.SetPaused(at(30*time.Second), false)
		wait, ok = p.NextPoll(at(30 * time.Second))
		require.True(t, ok)
		assert.Equal(t, 2*time.Second, wait, "back to 4 s after the 28 s poll")
	})
	t.Run("live resume after a long pause polls at once", func(t *testing.T) {
		p := NewPoller("https://h/t", PollConfig{})
		p.ManifestLoaded(at(0), true, 4*time.Second, 0)
		run(t, p, 0, 0, 0, always(true))
		p.SetPaused(at(time.Second), true)
		p.SetPaused(at(9*time.Second), false)
		wait, ok := p.NextPoll(at(9 * time.Second))
		require.True(t, ok)
		assert.Zero(t, wait)
	})
	t.Run("vod paused: first poll runs, failure retry waits for play", func(t *testing.T) {
		p := NewPoller("https://h/t", PollConfig{})
		p.SetPaused(at(0), true) // autoplay blocked
		p.ManifestLoaded(at(0), false, 6*time.Second, 0)
		polls, _ := run(t, p, 0, time.Minute, 0, always(false))
		assert.Equal(t, ms(0), polls, "no retries while paused")
		p.SetPaused(at(40*time.Second), false)
		polls, _ = run(t, p, 40*time.Second, time.Minute, 0, always(true))
		assert.Equal(t, ms(40000), polls)
	})
	t.Run("vod pause cancels a scheduled retry", func(t *testing.T) {
		p := NewPoller("https://h/t", PollConfig{})
		p.ManifestLoaded(at(0), false, 6*time.Second, 0)
		require.True(t, p.Begin(at(0)))
		p.OnResult(at(0), false)
		p.SetPaused(at(100*time.Millisecond), true)
		_, ok := p.NextPoll(at(10 * time.Second))
		assert.False(t, ok)
		p.Request(at(10 * time.Second)) // explicit refresh still runs
		wait, ok := p.NextPoll(at(10 * time.Second))
		assert.True(t, ok)
		assert.Zero(t, wait)
	})
}

func TestPollerStop(t *testing.T) {
	p := NewPoller("https://h/t", PollConfig{})
	p.ManifestLoaded(at(0), true, 4*time.Second, 0)
	require.True(t, p.Begin(at(0)))
	p.Stop()
	p.OnResult(at(time.Second), true)
	p.Request(at(2 * time.Second))
	_, ok := p.NextPoll(at(time.Hour))
	assert.False(t, ok)
	assert.False(t, p.Begin(at(time.Hour)))
}

func TestPollerURL(t *testing.T) {
	const token = "UFQ4TTQyLjI4OVNfMjAyMy0wOC0xNFQxOTo1MDo0MS4zOTc5MjAzODVaXzE%3D"
	tests := []struct {
		name  string
		base  string
		mode  TokenMode
		token string
		fail  bool
		want  string
	}{
		{"no token yet", "https://h/v1/tracking/a/o/s", TokenPagination, "", false, "https://h/v1/tracking/a/o/s"},
		{"real token goes back as sent", "https://h/v1/tracking/a/o/s", TokenPagination, token, false,
			"https://h/v1/tracking/a/o/s?nextToken=UFQ4TTQyLjI4OVNfMjAyMy0wOC0xNFQxOTo1MDo0MS4zOTc5MjAzODVaXzE%3D"},
		{"unpadded token as sent", "https://h/t", TokenPagination, "UFQzOS4zMzlTXzIwMjMtMDctMzFUMTY6NTQ6MDQuODA1Mzk2NTI5Wl8x", false,
			"https://h/t?nextToken=UFQzOS4zMzlTXzIwMjMtMDctMzFUMTY6NTQ6MDQuODA1Mzk2NTI5Wl8x"},
		{"stray percent escaped", "https://h/t", TokenPagination, "50%", false, "https://h/t?nextToken=50%25"},
		{"existing query", "https://h/v1/tracking/a/o/s?test=123", TokenPagination, "a+b/c=", false,
			"https://h/v1/tracking/a/o/s?test=123&nextToken=a%2Bb%2Fc%3D"},
		{"fragment kept last", "https://h/t#f", TokenPagination, "x", false, "https://h/t?nextToken=x#f"},
		{"full mode ignores token", "https://h/t", TokenFull, token, false, "https://h/t"},
		{"failure drops token", "https://h/t", TokenPagination, "x", true, "https://h/t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPoller(tt.base, PollConfig{Mode: tt.mode})
			p.ManifestLoaded(at(0), true, 4*time.Second, 0)
			require.True(t, p.Begin(at(0)))
			p.OnResult(at(0), true)
			p.SetNextToken(tt.token)
			if tt.fail {
				require.True(t, p.Begin(at(4*time.Second)))
				p.OnResult(at(4*time.Second), false)
			}
			assert.Equal(t, tt.want, p.URL())
		})
	}
}

func TestPollerManifestIntervalChange(t *testing.T) {
	p := NewPoller("https://h/t", PollConfig{})
	p.ManifestLoaded(at(0), true, 10*time.Second, 0)
	require.True(t, p.Begin(at(0)))
	p.OnResult(at(0), true)
	p.ManifestLoaded(at(time.Second), true, 2*time.Second, 0)
	wait, ok := p.NextPoll(at(time.Second))
	require.True(t, ok)
	assert.Equal(t, time.Second, wait, "rescheduled from the last poll with the new interval")
}

func TestPollerVODTurnsLive(t *testing.T) {
	p := NewPoller("https://h/t", PollConfig{})
	p.ManifestLoaded(at(0), false, 0, 0)
	polls, _ := run(t, p, 0, time.Hour, 100*time.Millisecond, always(true))
	assert.Equal(t, ms(0), polls, "polled once as VOD, then idle")

	p.ManifestLoaded(at(10*time.Second), true, 4*time.Second, 0)
	polls, _ = run(t, p, 10*time.Second, 20*time.Second, 100*time.Millisecond, always(true))
	assert.Equal(t, ms(10000, 14100, 18200), polls, "a live manifest resumes polling at the live pace")
}
