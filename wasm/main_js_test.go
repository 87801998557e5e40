package main

import (
	"math"
	"os"
	"strconv"
	"strings"
	"syscall/js"
	"testing"
	"time"

	"github.com/availkit/availkit/internal/engine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeHooks is a JS hooks object whose calls are recorded in a JS array,
// so tests can read what the core emitted and requested.
type fakeHooks struct {
	obj js.Value
	log js.Value // [[kind, ...args]]
}

func newFakeHooks(t *testing.T, tracking string) fakeHooks {
	t.Helper()
	js.Global().Set("__akTracking", tracking)
	v := js.Global().Call("eval", `(() => {
		const log = [];
		const hooks = {
			emit(type, json) { log.push(['emit', type, json]); },
			sendBeacon(url) { log.push(['beacon', url]); return Promise.resolve(); },
			fetch(url, init) {
				log.push(['fetch', url, init.method, init.body || '']);
				if (init.method === 'POST') {
					return Promise.resolve({status: 200, text: JSON.stringify({manifestUrl: '/m.m3u8', trackingUrl: '/v1/tracking/a/o/s-9'})});
				}
				return Promise.resolve({status: 200, text: globalThis.__akTracking});
			},
			log(level, msg) { log.push(['log', level, msg]); },
		};
		return {hooks, log};
	})()`)
	return fakeHooks{obj: v.Get("hooks"), log: v.Get("log")}
}

// entries returns the recorded calls of one kind, as strings.
func (h fakeHooks) entries(kind string) [][]string {
	var out [][]string
	for i := range h.log.Length() {
		e := h.log.Index(i)
		if e.Index(0).String() != kind {
			continue
		}
		row := make([]string, e.Length()-1)
		for j := range row {
			row[j] = e.Index(j + 1).String()
		}
		out = append(out, row)
	}
	return out
}

func (h fakeHooks) emitted(typ string) []string {
	var out []string
	for _, e := range h.entries("emit") {
		if e[0] == typ {
			out = append(out, e[1])
		}
	}
	return out
}

func jsEval(t *testing.T, expr string) js.Value {
	t.Helper()
	return js.Global().Call("eval", "("+expr+")")
}

// waitFor yields to the JS event loop until cond holds: promise callbacks
// and timers run while the test goroutine sleeps.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func readFixture(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../tests/node/testdata/vod.json")
	require.NoError(t, err)
	return string(b)
}

func TestNewSessionRejectsBadInput(t *testing.T) {
	h := newFakeHooks(t, "{}")
	tests := []struct {
		name, cfg, hooks, want string
	}{
		{"noSkip", `{noSkip:"sometimes"}`, "", `noSkip must be "last", "first", "all" or "off"`},
		{"type", `{pollInterval:"4"}`, "", "client: options.pollInterval: expected number, got string"},
		{"hooks", `{}`, `{emit(){}}`, "hooks.emit, hooks.sendBeacon and hooks.fetch are required"},
		{"hook type", `{}`, `{emit:1}`, "hooks.emit: want function, got number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hv := h.obj
			if tt.hooks != "" {
				hv = jsEval(t, tt.hooks)
			}
			r := newSessionJS(js.Undefined(), []js.Value{jsEval(t, tt.cfg), hv}).(js.Value)
			require.True(t, r.InstanceOf(js.Global().Get("Error")), "an Error object, not a panic")
			assert.Contains(t, r.Get("message").String(), tt.want)
		})
	}
}

func TestDestroyReleasesEveryFunc(t *testing.T) {
	base := liveFuncs
	h := newFakeHooks(t, readFixture(t))
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{sessionInitUrl:"http://mt.test/v1/session/a/o/x.m3u8"}`), h.obj}).(js.Value)
	s := lookup(int32(obj.Get("handle").Int()))
	require.NotNil(t, s)
	assert.Greater(t, liveFuncs, base+10, "one func per method")

	// init awaits the POST in a goroutine; a live manifest arms a timer.
	obj.Call("init")
	waitFor(t, "ready", func() bool { return len(h.emitted("ready")) == 1 })
	obj.Call("manifestLoaded", jsEval(t, `{live:true, targetDuration:2}`))
	waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })
	assert.Equal(t, 1, s.tm.len(), "the next live poll is armed")

	obj.Call("destroy")
	assert.Equal(t, base, liveFuncs, "destroy releases every func it made")
	assert.Equal(t, 0, s.tm.len(), "and stops its timers")
	assert.Nil(t, lookup(s.handle), "the handle is dead")
	assert.Equal(t, int32(0), akUpdate(s.handle, 1, 1, 0), "ak_update on a dead handle is a no-op")
	assert.True(t, math.IsInf(akNext(s.handle, 1), 1))
}

func TestMethodPanicBecomesErrorEvent(t *testing.T) {
	h := newFakeHooks(t, "{}")
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{}`), h.obj}).(js.Value)
	s := lookup(int32(obj.Get("handle").Int()))
	defer obj.Call("destroy")

	s.method(obj, "boom", func([]js.Value) any { panic("index out of range") })
	// A method that runs after the panic still works.
	s.method(obj, "ok", func([]js.Value) any { return 1 })
	r := obj.Call("boom")
	assert.True(t, r.IsNull(), "a panicking method answers null")
	errs := h.emitted("error")
	require.Len(t, errs, 1)
	assert.JSONEq(t, `{"kind":"internal","source":"core","status":0,"message":"boom: index out of range"}`, errs[0])

	assert.Equal(t, 1, obj.Call("ok").Int(), "the session still works")
}

func TestExportPanicIsReportedByFlush(t *testing.T) {
	h := newFakeHooks(t, "{}")
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{}`), h.obj}).(js.Value)
	s := lookup(int32(obj.Get("handle").Int()))
	defer obj.Call("destroy")

	s.update = func(float64, float64, engine.Flags) engine.Status { panic("simulated") }
	st := akUpdate(s.handle, 0, 1, 0)
	assert.Equal(t, int32(engine.StatusActions), st, "a recovered panic asks JS to flush")
	out := obj.Call("flush").String()
	assert.Contains(t, out, `{"type":"error","detail":{"kind":"internal","source":"core","status":0,"message":"ak_update: simulated"}}`)
	assert.Equal(t, "", obj.Call("flush").String(), "reported once")
}

// TestFastPathFiresThroughFlush drives the exports the way availkit.js
// does: ak_update per frame, flush only when the status says so.
func TestFastPathFiresThroughFlush(t *testing.T) {
	h := newFakeHooks(t, readFixture(t))
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{manifestUrl:"http://c.test/m.m3u8", trackingUrl:"http://mt.test/v1/tracking/a/o/s-1"}`), h.obj}).(js.Value)
	handle := int32(obj.Get("handle").Int())
	defer obj.Call("destroy")
	obj.Call("init")
	waitFor(t, "ready", func() bool { return len(h.emitted("ready")) == 1 })
	assert.Empty(t, h.entries("fetch"), "no POST for a third-party session")
	obj.Call("manifestLoaded", jsEval(t, `{live:false, duration:60}`))
	waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })

	flushes, quiet := 0, 0
	const rendered = int32(engine.FlagRendered)
	for i := range 200 { // 0 .. 9.95 s at 50 ms
		ph := float64(i) * 0.05
		st := akUpdate(handle, ph, 1e12+ph*1000, rendered)
		if st&int32(engine.StatusActions) == 0 {
			quiet++
			continue
		}
		flushes++
		out := obj.Call("flush").String()
		require.True(t, strings.HasPrefix(out, `{"events":[`), out)
	}
	beacons := h.entries("beacon")
	require.Len(t, beacons, 6, "the pre-roll's six timed beacons")
	assert.Contains(t, beacons[0][0], "/pre/pre-1/impression?cb=")
	assert.Contains(t, beacons[5][0], "/pre/pre-1/complete?cb=")
	assert.Greater(t, quiet, 150, "most frames need no flush")
	assert.Greater(t, flushes, 6, "beacons and ad events were flushed")
	next := akNext(handle, 10)
	assert.InDelta(t, 15, next, 1e-6, "next is the mid-roll's upcoming notice, 5 s before 30 s")
	// Let the beacon promises settle before destroy releases their callbacks.
	s := lookup(handle)
	waitFor(t, "beacon results", func() bool { return s.cs.BeaconsPending() == 0 })
}

// TestBeaconNoRetry: a beacon the host's sendBeacon rejects with noRetry
// (web/core/transport.js: no answer in time, so it may have been counted)
// is reported once and not sent again; any other rejection is retried once.
func TestBeaconNoRetry(t *testing.T) {
	cases := []struct {
		name, reject string
		attempts     int
	}{
		{"timed out, noRetry", `Object.assign(new Error('no answer from b.test in 10 s'), {noRetry: true})`, 1},
		{"network error", `new TypeError('Failed to fetch')`, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newFakeHooks(t, readFixture(t))
			h.obj.Set("sendBeacon", js.Global().Call("eval", `((log) => (url) => { log.push(['beacon', url]); return Promise.reject(`+c.reject+`); })`).Invoke(h.log))
			obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{manifestUrl:"http://c.test/m.m3u8", trackingUrl:"http://mt.test/v1/tracking/a/o/s-1"}`), h.obj}).(js.Value)
			handle := int32(obj.Get("handle").Int())
			defer obj.Call("destroy")
			obj.Call("init")
			waitFor(t, "ready", func() bool { return len(h.emitted("ready")) == 1 })
			obj.Call("manifestLoaded", jsEval(t, `{live:false, duration:60}`))
			waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })
			// Into the pre-roll: its impression and start are due at 0.
			for _, ph := range []float64{0, 0.05} {
				if akUpdate(handle, ph, 1e12+ph*1000, int32(engine.FlagRendered))&int32(engine.StatusActions) != 0 {
					obj.Call("flush")
				}
			}
			s := lookup(handle)
			waitFor(t, "beacon results", func() bool { return s.cs.BeaconsPending() == 0 && len(h.entries("beacon")) > 0 })
			sent := map[string]int{}
			for _, b := range h.entries("beacon") {
				sent[b[0]]++
			}
			require.NotEmpty(t, sent)
			for u, n := range sent {
				assert.Equal(t, c.attempts, n, u)
			}
			errs := h.emitted("beaconerror")
			require.Len(t, errs, len(sent), "one beaconerror per beacon")
			assert.Contains(t, errs[0], `"attempts":`+strconv.Itoa(c.attempts))
		})
	}
}

func BenchmarkAkUpdate(b *testing.B) {
	h := fakeHooks{obj: js.Global().Call("eval", `({emit(){}, sendBeacon(){return Promise.resolve()}, fetch(){return new Promise(()=>{})}})`)}
	obj := newSessionJS(js.Undefined(), []js.Value{js.Global().Call("eval", `({})`), h.obj}).(js.Value)
	handle := int32(obj.Get("handle").Int())
	defer obj.Call("destroy")
	ph := 0.0
	b.ReportAllocs()
	for b.Loop() {
		ph += 0.016
		akUpdate(handle, ph, 1e12+ph*1000, int32(engine.FlagRendered))
	}
}

// TestCallbackPanicsAreReported proves that a panic in a timer or promise
// callback becomes an internal error event and leaves the session (and the
// Go runtime) working.
func TestCallbackPanicsAreReported(t *testing.T) {
	h := newFakeHooks(t, "{}")
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{}`), h.obj}).(js.Value)
	s := lookup(int32(obj.Get("handle").Int()))
	defer obj.Call("destroy")

	s.tm.after(0, func() { panic("timer bug") })
	s.then(jsEval(t, `Promise.resolve(1)`), func(js.Value, error) { panic("promise bug") })
	waitFor(t, "two error events", func() bool { return len(h.emitted("error")) == 2 })
	assert.ElementsMatch(t, []string{
		`{"kind":"internal","source":"core","status":0,"message":"timer: timer bug"}`,
		`{"kind":"internal","source":"core","status":0,"message":"promise: promise bug"}`,
	}, h.emitted("error"))
	assert.Equal(t, 5.0, obj.Call("contentTime", 5).Float(), "the session still answers")
}

func TestEmptyTimelineTimesDoNotPanic(t *testing.T) {
	h := newFakeHooks(t, "{}")
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{}`), h.obj}).(js.Value)
	defer obj.Call("destroy")
	assert.Equal(t, 5.0, obj.Call("contentTime", 5).Float())
	assert.Equal(t, 7.0, obj.Call("streamTime", 7).Float())
	assert.Empty(t, h.emitted("error"))
}

// TestInitFailureIsTyped: init rejects with an Error carrying kind, status
// and MediaTailor's message, and the session object keeps it as initError
// after destroy, for createSession to reject with.
func TestInitFailureIsTyped(t *testing.T) {
	hv := jsEval(t, `{emit(){}, sendBeacon(){return Promise.resolve()},
		fetch(){return Promise.resolve({status: 403, text: '{"message":"Playback configuration not found"}'})}}`)
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{sessionInitUrl:"http://mt.test/v1/session/a/o/x.m3u8"}`), hv}).(js.Value)
	js.Global().Set("__akInit", obj.Call("init").Call("catch", js.FuncOf(func(_ js.Value, args []js.Value) any {
		js.Global().Set("__akErr", args[0])
		return nil
	})))
	waitFor(t, "rejection", func() bool { return !js.Global().Get("__akErr").IsUndefined() })
	obj.Call("destroy")
	for _, e := range []js.Value{js.Global().Get("__akErr"), obj.Get("initError")} {
		require.True(t, e.InstanceOf(js.Global().Get("Error")))
		assert.Equal(t, "http", e.Get("kind").String())
		assert.Equal(t, 403, e.Get("status").Int())
		assert.Equal(t, "init", e.Get("source").String())
		assert.Equal(t, "Playback configuration not found", e.Get("serverMessage").String())
		assert.Equal(t, "session: http 403: Playback configuration not found", e.Get("message").String())
	}
}

func TestDestroyRejectsPendingInit(t *testing.T) {
	base := liveFuncs
	hv := jsEval(t, `{emit(){}, sendBeacon(){return Promise.resolve()}, fetch(){return new Promise(() => {})}}`)
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{sessionInitUrl:"http://mt.test/v1/session/a/o/x.m3u8"}`), hv}).(js.Value)
	js.Global().Set("__akDestroyed", js.Undefined())
	obj.Call("init").Call("catch", js.FuncOf(func(_ js.Value, args []js.Value) any {
		js.Global().Set("__akDestroyed", args[0].Get("message"))
		return nil
	}))
	obj.Call("destroy")
	waitFor(t, "rejection", func() bool { return !js.Global().Get("__akDestroyed").IsUndefined() })
	assert.Equal(t, "availkit: session destroyed", js.Global().Get("__akDestroyed").String())
	assert.Equal(t, base, liveFuncs, "the never-settling fetch keeps no func")
}

// TestAkUpdateAllocatesNothing: the per-frame export must not allocate,
// playing through a break included.
func TestAkUpdateAllocatesNothing(t *testing.T) {
	h := newFakeHooks(t, readFixture(t))
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{manifestUrl:"http://c.test/m.m3u8", trackingUrl:"http://mt.test/v1/tracking/a/o/s-1"}`), h.obj}).(js.Value)
	handle := int32(obj.Get("handle").Int())
	defer obj.Call("destroy")
	obj.Call("init")
	obj.Call("manifestLoaded", jsEval(t, `{live:false, duration:60}`))
	waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })
	ph := 0.0
	allocs := testing.AllocsPerRun(600, func() { // 0 .. 9.6 s: the pre-roll and after
		ph += 0.016
		akUpdate(handle, ph, 1e12+ph*1000, int32(engine.FlagRendered))
	})
	assert.Zero(t, allocs)
	s := lookup(handle)
	obj.Call("flush")
	waitFor(t, "beacon results", func() bool { return s.cs.BeaconsPending() == 0 })
}

// TestRawTrackingOption: the body crosses in trackingupdate only when
// rawTracking asks for it (QA tools); availkit.js takes overlays from the
// nonlinear event and anchors from the trackingupdate fields.
func TestRawTrackingOption(t *testing.T) {
	for _, tt := range []struct {
		cfg     string
		wantRaw bool
	}{
		{`{manifestUrl:"http://c.test/m.m3u8", trackingUrl:"http://mt.test/v1/tracking/a/o/s-1"}`, false},
		{`{manifestUrl:"http://c.test/m.m3u8", trackingUrl:"http://mt.test/v1/tracking/a/o/s-1", rawTracking:true}`, true},
	} {
		h := newFakeHooks(t, readFixture(t))
		obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, tt.cfg), h.obj}).(js.Value)
		obj.Call("init")
		obj.Call("manifestLoaded", jsEval(t, `{live:false, duration:60}`))
		waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })
		assert.Equal(t, tt.wantRaw, strings.Contains(h.emitted("trackingupdate")[0], `"raw":`), tt.cfg)
		obj.Call("destroy")
	}
}

// TestBigReplyAcrossTurns: a tracking reply of one avail of 20,000 events
// is decoded and merged in steps from timers, the decoder parked on its
// goroutine between JavaScript turns, and counts every event once.
func TestBigReplyAcrossTurns(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"avails":[{"availId":"big","startTimeInSeconds":10,"durationInSeconds":400,"ads":[`)
	for k := range 20 {
		if k > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"adId":"ad` + strconv.Itoa(k) + `","startTimeInSeconds":` + strconv.Itoa(10+k*20) + `,"durationInSeconds":20,"trackingEvents":[`)
		for e := range 1000 {
			if e > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`{"eventId":"` + strconv.Itoa(k*1000+e) + `","eventType":"progress","startTimeInSeconds":` +
				strconv.Itoa(10+k*20) + `,"beaconUrls":["https://b.test/` + strconv.Itoa(k*1000+e) + `"]}`)
		}
		b.WriteString(`]}`)
	}
	b.WriteString(`]}]}`)
	h := newFakeHooks(t, b.String())
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{sessionInitUrl:"http://mt.test/v1/session/a/o/x.m3u8"}`), h.obj}).(js.Value)
	defer obj.Call("destroy")
	obj.Call("init")
	waitFor(t, "ready", func() bool { return len(h.emitted("ready")) == 1 })
	obj.Call("manifestLoaded", jsEval(t, `{live:false, duration:500}`))
	waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })
	assert.Contains(t, h.emitted("trackingupdate")[0], `"newEvents":20000`)
	assert.Empty(t, h.emitted("error"))
}

// warm() runs the canned break inside the core only: no session, func or
// timer is left behind, and a session made after it runs as before.
func TestWarmLeavesNothing(t *testing.T) {
	base := liveFuncs
	before := statsJS(js.Undefined(), nil).(map[string]any)
	assert.Equal(t, 8, warmJS(js.Undefined(), nil), "every beacon of the canned break")
	assert.Equal(t, before, statsJS(js.Undefined(), nil))
	assert.Equal(t, base, liveFuncs)

	h := newFakeHooks(t, readFixture(t))
	obj := newSessionJS(js.Undefined(), []js.Value{jsEval(t, `{sessionInitUrl:"http://mt.test/v1/session/a/o/x.m3u8"}`), h.obj}).(js.Value)
	defer obj.Call("destroy")
	obj.Call("init")
	obj.Call("manifestLoaded", jsEval(t, `{live:false}`))
	waitFor(t, "trackingupdate", func() bool { return len(h.emitted("trackingupdate")) == 1 })
	assert.Empty(t, h.emitted("beacon"), "nothing of the warm-up reaches a host")
}
