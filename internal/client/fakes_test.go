package client

import (
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// world is a fake host: a manual clock with timers, a transport whose
// requests wait until the test answers them (or answer at once through
// auto), a beacon sender and an event log.
type world struct {
	t      *testing.T
	now    time.Time
	timers []*fakeTimer
	reqs   []*fakeReq
	// auto, when set, answers every request synchronously.
	auto    func(Request) (Reply, error)
	beacons []string
	sendErr error
	// held, when set, keeps every beacon's done instead of answering it:
	// the requests stay in flight until the test calls them.
	held *[]func(error)
	// sendPanics makes the next Send panic (a bug in a host binding);
	// emitPanics the next Emit of that event type, fetchPanics the next
	// Fetch.
	sendPanics, fetchPanics bool
	// onSend, when set, runs at each Send, before it answers.
	onSend     func(url string)
	emitPanics string
	events     []event
	s          *Session
}

type fakeTimer struct {
	at   time.Time
	f    func()
	dead bool
}

type fakeReq struct {
	Request
	At   time.Time
	done func(Reply, error)
}

type event struct{ typ, json string }

func newWorld(t *testing.T, cfg Config) *world {
	t.Helper()
	w := &world{t: t, now: t0}
	s, err := New(cfg, w.deps())
	require.NoError(t, err)
	w.s = s
	t.Cleanup(s.Destroy)
	return w
}

func (w *world) deps() Deps {
	return Deps{
		Fetch: func(r Request, done func(Reply, error)) {
			w.reqs = append(w.reqs, &fakeReq{Request: r, At: w.now, done: done})
			if w.fetchPanics {
				w.fetchPanics = false
				panic("fetch bug")
			}
			if w.auto != nil {
				done(w.auto(r))
			}
		},
		Send: func(u string, done func(error)) {
			w.beacons = append(w.beacons, u)
			if w.onSend != nil {
				w.onSend(u)
			}
			if w.sendPanics {
				w.sendPanics = false
				panic("send bug")
			}
			if w.held != nil {
				*w.held = append(*w.held, done)
				return
			}
			done(w.sendErr)
		},
		After: func(d time.Duration, f func()) func() {
			tm := &fakeTimer{at: w.now.Add(d), f: f}
			w.timers = append(w.timers, tm)
			return func() { tm.dead = true }
		},
		Now:  func() time.Time { return w.now },
		Rand: func() uint64 { return 0 },
		Emit: func(typ string, d jsonw.Marshaler) {
			if typ == w.emitPanics {
				w.emitPanics = ""
				panic("emit bug")
			}
			w.events = append(w.events, event{typ, string(jsonw.AppendJSON(nil, d))})
		},
	}
}

// advance moves the clock by d, running due timers in time order.
func (w *world) advance(d time.Duration) {
	end := w.now.Add(d)
	for {
		var next *fakeTimer
		for _, tm := range w.timers {
			if !tm.dead && !tm.at.After(end) && (next == nil || tm.at.Before(next.at)) {
				next = tm
			}
		}
		if next == nil {
			break
		}
		next.dead = true
		if next.at.After(w.now) {
			w.now = next.at
		}
		next.f()
	}
	w.now = end
}

// pending returns the timers not fired or cancelled.
func (w *world) pending() int {
	n := 0
	for _, tm := range w.timers {
		if !tm.dead {
			n++
		}
	}
	return n
}

// answer completes request i.
func (w *world) answer(i int, status int, body string) {
	w.t.Helper()
	require.Less(w.t, i, len(w.reqs), "request %d was never made", i)
	w.reqs[i].done(Reply{Status: status, Body: body}, nil)
	w.advance(0) // a poll due now runs from a 0 ms timer
}

func (w *world) fail(i int, err error) {
	w.t.Helper()
	require.Less(w.t, i, len(w.reqs), "request %d was never made", i)
	w.reqs[i].done(Reply{}, err)
	w.advance(0)
}

// manifest reports m and lets the 0 ms poll timer run.
func (w *world) manifest(m ManifestInfo) {
	w.s.ManifestLoaded(m)
	w.advance(0)
}

// emitted returns the JSON details of the events of type typ.
func (w *world) emitted(typ string) []string {
	var out []string
	for _, e := range w.events {
		if e.typ == typ {
			out = append(out, e.json)
		}
	}
	return out
}

// types lists the event types emitted, in order.
func (w *world) types() []string {
	var out []string
	for _, e := range w.events {
		out = append(out, e.typ)
	}
	return out
}

// requestTimes returns when each request to a URL containing part started,
// as offsets from t0.
func (w *world) requestTimes(part string) []time.Duration {
	var out []time.Duration
	for _, r := range w.reqs {
		if strings.Contains(r.URL, part) {
			out = append(out, r.At.Sub(t0))
		}
	}
	return out
}

// play calls Update from..to in steps of dt with flags, flushing when asked,
// and returns the flushed batches.
func (w *world) play(from, to, dt float64, f engine.Flags) []string {
	var out []string
	for ph := from; ph <= to+1e-9; ph += dt {
		w.now = w.now.Add(time.Duration(dt * float64(time.Second)))
		st := w.s.Update(ph, float64(w.now.UnixMilli()), f|engine.FlagRendered)
		if st&engine.StatusActions != 0 {
			if b := w.s.Flush(); b != "" {
				out = append(out, b)
			}
		}
	}
	return out
}

const trackingURL = "http://mt.test/v1/tracking/acct/origin/sess-1"

// adopted returns a world whose session was initialised server-side, so
// Init needs no request.
func adopted(t *testing.T, mod func(*Config)) *world {
	cfg := Config{ManifestURL: "http://cdn.test/m.m3u8", TrackingURL: trackingURL, Engine: engine.DefaultConfig()}
	if mod != nil {
		mod(&cfg)
	}
	w := newWorld(t, cfg)
	w.s.Init(func(InitResult, *ErrorDetail) {})
	return w
}

// availJSON is one linear avail of one ad with an impression at its start,
// a complete at its end and n extra progress events.
func availJSON(id string, start, dur float64, extra int) string {
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	ev := func(typ string, at float64) string {
		return `{"eventId":"` + id + `-` + typ + `","eventType":"` + typ + `","startTimeInSeconds":` + num(at) +
			`,"beaconUrls":["http://b.test/` + id + `/` + typ + `?cb=[CACHEBUSTING]"]}`
	}
	evs := []string{ev("impression", start)}
	for i := range extra {
		evs = append(evs, ev("progress-"+strconv.Itoa(i), start+dur/2))
	}
	evs = append(evs, ev("complete", start+dur))
	return `{"availId":"` + id + `","startTimeInSeconds":` + num(start) + `,"durationInSeconds":` + num(dur) +
		`,"ads":[{"adId":"` + id + `-1","startTimeInSeconds":` + num(start) + `,"durationInSeconds":` + num(dur) +
		`,"trackingEvents":[` + strings.Join(evs, ",") + `]}]}`
}

func trackingJSON(nextToken string, avails ...string) string {
	s := `{"avails":[` + strings.Join(avails, ",") + `]`
	if nextToken != "" {
		s += `,"nextToken":"` + nextToken + `"`
	}
	return s + "}"
}

var errRefused = errors.New("connection refused")

// field returns the top-level key of a JSON object as text.
func field(t *testing.T, js, key string) string {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(js), &m), js)
	switch v := m[key].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func jsonMarshal(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func itoa(i int) string { return strconv.Itoa(i) }

// filter returns list without the entries equal to drop.
func filter(list []string, drop string) []string {
	var out []string
	for _, s := range list {
		if s != drop {
			out = append(out, s)
		}
	}
	return out
}
