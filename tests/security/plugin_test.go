package security_test

// The plugin rows of issue 15 that plain Go can show: what a hostile or
// broken ad server can send the core (tracking replies, VAST durations)
// and the core's own robustness (panics, beacon retries). The rows that
// need a page (overlay size, VPAID bridge, mixed content) are in
// tests/browser/security.test.mjs and the tests README.md names.

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/internal/tracking"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// host is a fake page for a client.Session: a manual clock with timers,
// a transport answered by the test, a beacon sender and an event log.
type host struct {
	t       *testing.T
	now     time.Time
	timers  []*timer
	fetches []func(client.Reply, error)
	sends   []time.Time // when each beacon was sent
	sendErr error
	events  []string // "type detail-json"
	s       *client.Session
}

type timer struct {
	at   time.Time
	f    func()
	dead bool
}

// newHost returns a Session adopted from a server-side init (no init
// request), with the manifest loaded so its first poll is pending.
func newHost(t *testing.T, mod func(*client.Config), m client.ManifestInfo) *host {
	h := &host{t: t, now: t0}
	cfg := client.Config{ManifestURL: "http://cdn.test/m.m3u8", TrackingURL: "http://mt.test/v1/tracking/a/b/sess",
		Engine: engine.DefaultConfig()}
	if mod != nil {
		mod(&cfg)
	}
	s, err := client.New(cfg, client.Deps{
		Fetch: func(_ client.Request, done func(client.Reply, error)) { h.fetches = append(h.fetches, done) },
		Send: func(_ string, done func(error)) {
			h.sends = append(h.sends, h.now)
			done(h.sendErr)
		},
		After: func(d time.Duration, f func()) func() {
			tm := &timer{at: h.now.Add(d), f: f}
			h.timers = append(h.timers, tm)
			return func() { tm.dead = true }
		},
		Now:  func() time.Time { return h.now },
		Rand: func() uint64 { return 0 },
		Emit: func(typ string, d jsonw.Marshaler) {
			h.events = append(h.events, typ+" "+string(jsonw.AppendJSON(nil, d)))
		},
	})
	require.NoError(t, err)
	t.Cleanup(s.Destroy)
	h.s = s
	s.Init(func(client.InitResult, *client.ErrorDetail) {})
	s.ManifestLoaded(m)
	h.advance(0)
	return h
}

// advance moves the clock by d, running due timers in time order.
func (h *host) advance(d time.Duration) {
	end := h.now.Add(d)
	for {
		var next *timer
		for _, tm := range h.timers {
			if !tm.dead && !tm.at.After(end) && (next == nil || tm.at.Before(next.at)) {
				next = tm
			}
		}
		if next == nil {
			break
		}
		next.dead = true
		if next.at.After(h.now) {
			h.now = next.at
		}
		next.f()
	}
	h.now = end
}

// answer completes poll i with a 200 and body.
func (h *host) answer(i int, body string) {
	h.t.Helper()
	require.Less(h.t, i, len(h.fetches), "poll %d was never made", i)
	h.fetches[i](client.Reply{Status: 200, Body: body}, nil)
	h.advance(0)
}

// emitted returns the details of the events of type typ.
func (h *host) emitted(typ string) []string {
	var out []string
	for _, e := range h.events {
		if t, d, _ := strings.Cut(e, " "); t == typ {
			out = append(out, d)
		}
	}
	return out
}

// play calls Update every 250 ms of playback from..to, flushing when asked.
func (h *host) play(from, to float64) {
	for ph := from; ph <= to+1e-9; ph += 0.25 {
		h.advance(250 * time.Millisecond)
		if h.s.Update(ph, float64(h.now.UnixMilli()), engine.FlagRendered)&engine.StatusActions != 0 {
			h.s.Flush()
		}
	}
}

// avail is one avail of one ad at start for dur seconds with n tracking
// events (impression first, complete last) and the given ad fields.
func avail(id string, start, dur float64, n int, adFields string) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	ev := func(typ string, at float64) string {
		return `{"eventId":"` + id + `-` + typ + `","eventType":"` + typ + `","startTimeInSeconds":` + num(at) +
			`,"beaconUrls":["http://b.test/` + id + `/` + typ + `"]}`
	}
	evs := []string{ev("impression", start)}
	for i := range n - 2 {
		evs = append(evs, ev("progress-"+strconv.Itoa(i), start+dur/2))
	}
	evs = append(evs, ev("complete", start+dur))
	return `{"availId":"` + id + `","startTimeInSeconds":` + num(start) + `,"durationInSeconds":` + num(dur) +
		`,"ads":[{"adId":"` + id + `-1","startTimeInSeconds":` + num(start) + `,"durationInSeconds":` + num(dur) + adFields +
		`,"trackingEvents":[` + strings.Join(evs, ",") + `]}]}`
}

func reply(avails ...string) string { return `{"avails":[` + strings.Join(avails, ",") + `]}` }

func detailField(t *testing.T, js, key string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &m), js)
	return fmt.Sprint(m[key])
}

// Row "Decoder edges".
func TestRowDecoderEdges(t *testing.T) {
	t.Run("skipOffset 2562048:00:00 does not wrap negative", func(t *testing.T) {
		for _, s := range []string{"2562048:00:00", "99999999999:00:00"} {
			d, ok := tracking.ParseSkipOffset(s, 30*time.Second)
			assert.False(t, ok, s)
			assert.GreaterOrEqual(t, d, time.Duration(0), s)
		}
		// Found by FuzzParseSkipOffset: a percentage over 100 of a long ad
		// overflowed the same way.
		long := time.Duration(1 << 62)
		d, ok := tracking.ParseSkipOffset("1000%", long)
		assert.True(t, ok)
		assert.Equal(t, long, d, "clamped to the ad's duration")
	})
	t.Run("an ad with that skipOffset is not skippable at once", func(t *testing.T) {
		for _, tc := range []struct {
			offset string
			want   bool
		}{{"2562048:00:00", false}, {"00:00:00", true}} {
			h := newHost(t, nil, client.ManifestInfo{Duration: 120})
			h.answer(0, reply(avail("a", 10, 30, 2, `,"skipOffset":"`+tc.offset+`"`)))
			h.play(9, 11)
			assert.Equal(t, tc.want, h.s.Skip(), "skipOffset %s", tc.offset)
		}
	})
	t.Run("negative ISO durations are refused", func(t *testing.T) {
		for _, d := range []string{"-PT5S", "PT-5S", "PT-1M-30.5S"} {
			_, err := tracking.Decode([]byte(`{"avails":[{"ads":[{"duration":"` + d + `"}]}]}`))
			assert.ErrorContains(t, err, "negative duration", d)
		}
	})
}

// Row "Large tracking replies freeze the page": over a cap, a clear
// badreply and playback goes on with what was merged before; under it, a
// 20k-event first merge is not quadratic.
func TestRowLargeTrackingReply(t *testing.T) {
	live := client.ManifestInfo{Live: true, TargetDuration: 2 * time.Second}
	for _, tc := range []struct {
		name, body, want string
	}{
		{"over the byte cap (default)", reply(avail("big", 60, 10, 2, `,"pad":"`+strings.Repeat("x", client.DefaultMaxReplyBytes)+`"`)),
			"tracking reply of "},
		{"over the events-per-ad cap (default)", reply(avail("big", 60, 10, client.DefaultMaxEventsPerAd+1, "")),
			fmt.Sprintf("over the cap of %d", client.DefaultMaxEventsPerAd)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHost(t, nil, live)
			h.answer(0, reply(avail("a1", 10, 6, 2, "")))
			h.advance(2 * time.Second)
			h.answer(1, tc.body)
			errs := h.emitted("error")
			require.Len(t, errs, 1)
			assert.Equal(t, "badreply", detailField(t, errs[0], "kind"))
			assert.Contains(t, detailField(t, errs[0], "message"), tc.want)
			assert.Len(t, h.emitted("trackingupdate"), 1, "the oversized reply was merged")
			h.play(9, 11)
			assert.Len(t, h.sends, 1, "the avail merged before still fires its impression")
		})
	}
	t.Run("20k events, 2 MB, under raised caps", func(t *testing.T) {
		h := newHost(t, func(c *client.Config) { c.MaxEventsPerAd = 1000 }, client.ManifestInfo{Duration: 600})
		var avails []string
		for i := range 20 {
			avails = append(avails, avail("a"+strconv.Itoa(i), float64(10+i*20), 10, 1000, ""))
		}
		body := reply(avails...)
		start := time.Now()
		h.answer(0, body)
		took := time.Since(start)
		require.Len(t, h.emitted("trackingupdate"), 1)
		assert.Equal(t, "20000", detailField(t, h.emitted("trackingupdate")[0], "newEvents"))
		t.Logf("%d bytes, 20000 events: %v (native Go)", len(body), took)
		assert.Less(t, took, time.Second, "decode+merge is quadratic again")
	})
}

// Row "Panics": the calls that panicked on an empty timeline answer, and a
// panic inside Flush loses no beacon already sent.
func TestRowPanics(t *testing.T) {
	t.Run("contentTime/streamTime on an empty timeline", func(t *testing.T) {
		h := newHost(t, nil, client.ManifestInfo{Duration: 120})
		for _, v := range []float64{0, 5, -1, 1e300} {
			assert.Equal(t, v, h.s.ContentTime(v))
			assert.Equal(t, v, h.s.StreamTime(v))
		}
		h.answer(0, reply())
		assert.Equal(t, 5.0, h.s.ContentTime(5), "an empty reply leaves the timeline empty")
		e := engine.New(engine.DefaultConfig()) // the engine itself, without the Session's guard
		assert.Equal(t, 5.0, e.ContentTime(5))
		assert.Equal(t, 5.0, e.StreamTime(5))
	})
	t.Run("a recovered panic is reported once and the session keeps firing", func(t *testing.T) {
		h := newHost(t, nil, client.ManifestInfo{Duration: 120})
		h.answer(0, reply(avail("a", 10, 6, 2, "")))
		h.s.DeferPanic("ak_update", "simulated")
		require.NotZero(t, h.s.Update(0, 0, engine.FlagRendered)&engine.StatusActions)
		out := h.s.Flush()
		assert.Contains(t, out, `"kind":"internal"`)
		assert.Equal(t, "", h.s.Flush(), "reported once")
		h.play(9, 17)
		assert.Len(t, h.sends, 2, "impression and complete after the panic")
	})
}

// Row "Beacon delivery": a failed beacon is retried after a randomised
// back-off, not at once.
func TestRowBeaconRetryBacksOff(t *testing.T) {
	h := newHost(t, nil, client.ManifestInfo{Duration: 120})
	h.answer(0, reply(avail("a", 10, 6, 2, "")))
	h.sendErr = errors.New("network down")
	h.play(9, 10)
	require.Len(t, h.sends, 1, "the impression was sent once")
	first := h.sends[0]
	h.sendErr = nil
	h.advance(first.Add(client.BeaconRetryDelay - time.Millisecond).Sub(h.now))
	assert.Len(t, h.sends, 1, "retried before the back-off")
	h.advance(client.BeaconRetryDelay + time.Millisecond)
	require.Len(t, h.sends, 2, "not retried")
	assert.GreaterOrEqual(t, h.sends[1].Sub(first), client.BeaconRetryDelay)
}
