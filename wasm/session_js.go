package main

import (
	"errors"
	"math"
	"math/rand/v2"
	"syscall/js"
	"time"

	"github.com/availkit/availkit/internal/beacon"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/timeline"
	"github.com/availkit/availkit/wasm/jsconv"
)

// config is the data part of SessionOptions (web/availkit.d.ts); the JS
// side leaves DOM objects and functions out. Pointer fields tell "not given"
// from zero.
type config struct {
	SessionInitURL     string
	AdsParams          map[string]string
	OriginParams       map[string]string
	SessionInitHeaders map[string]string
	ManifestURL        string
	TrackingURL        string
	TrackingMode       string  // "full" | "pagination" (default)
	PollInterval       float64 // s; 0: from the manifest
	UpcomingLead       *float64
	ProgressInterval   *float64
	RequestTimeout     float64 // s; 0: 10 s
	NoSkip             string
	JumpWatched        *bool
	LiveSnapBack       bool
	ReportingMode      string
	ManifestParams     map[string]string
	AvailSuppression   availSuppression
	OverlayAvails      string // "on" | "off"
	Nonce, NonceParam  string
}

type availSuppression struct {
	Mode, Value, FillPolicy string
}

// hooks are the JS functions the core calls for its side effects.
type hooks struct {
	Emit       js.Value // (type, detailJSON)
	SendBeacon js.Value // (url) -> Promise<void>
	Fetch      js.Value // (url, init) -> Promise<{status, headers, text}>
	Log        js.Value // (level, msg), optional
}

// instance is one session of the core.
type instance struct {
	handle int32
	cfg    config
	hooks  hooks
	eng    *engine.Engine
	ec     engine.Config // kept to rebuild the engine for a live stream
	// update is eng.Update; a field so tests can make it panic.
	update func(ph, nowMs float64, f engine.Flags) engine.Status
	disp   *beacon.Dispatcher
	rng    *rand.Rand
	fs     funcSet
	tm     timers
	done   chan struct{} // closed by destroy; ends goroutines
	obj    js.Value      // the methods object handed to JS

	destroyed bool
	// flushing collects events produced while flush runs (beacon reports)
	// into the batch it returns instead of emitting them one by one.
	flushing bool
	batch    []byte // JSON events of the flush in progress
	nBatch   int
	seek     *engine.Action
	acts     []engine.Action
	exp      []byte // macro expansion buffer
	marks    []timeline.Marker

	// Player state as last reported: by ak_update (hot path) and
	// setPlayerSize.
	ph, nowMs     float64
	flags         engine.Flags
	width, height int

	poll       pollState
	vpaidMuted bool
	// panics recovered in the exports, reported by the next flush (the
	// exports cannot call JS).
	panics []string
}

// sessions maps handles to live instances. Handle h is sessions[h-1], so 0
// is never valid; slots of destroyed sessions stay nil.
var sessions []*instance

func lookup(h int32) *instance {
	if h <= 0 || int(h) > len(sessions) {
		return nil
	}
	return sessions[h-1]
}

func newSession(cfgV, hooksV js.Value) (*instance, error) {
	s := &instance{done: make(chan struct{}), rng: rand.New(rand.NewPCG(seed()))}
	s.tm.fs = &s.fs
	if err := jsconv.Decode(hooksV, &s.hooks); err != nil {
		return nil, err
	}
	if s.hooks.Emit.IsUndefined() || s.hooks.SendBeacon.IsUndefined() || s.hooks.Fetch.IsUndefined() {
		return nil, errors.New("hooks.emit, hooks.sendBeacon and hooks.fetch are required")
	}
	if err := jsconv.Decode(cfgV, &s.cfg); err != nil {
		return nil, err
	}
	ec := engine.DefaultConfig()
	p, ok := engine.ParsePolicy(s.cfg.NoSkip)
	if !ok {
		return nil, errors.New(`noSkip must be "last", "first", "all" or "off", not "` + s.cfg.NoSkip + `"`)
	}
	ec.NoSkip = p
	if s.cfg.UpcomingLead != nil {
		ec.UpcomingLead = *s.cfg.UpcomingLead
	}
	if s.cfg.ProgressInterval != nil {
		ec.ProgressInterval = *s.cfg.ProgressInterval
	}
	if s.cfg.JumpWatched != nil {
		ec.JumpWatched = *s.cfg.JumpWatched
	}
	ec.LiveSnapBack = s.cfg.LiveSnapBack
	s.ec = ec
	s.eng = engine.New(ec)
	s.update = s.eng.Update
	s.disp = beacon.NewDispatcher(s.sendBeacon, s.beaconResult)
	sessions = append(sessions, s)
	s.handle = int32(len(sessions))
	s.obj = s.buildObject()
	return s, nil
}

// seed returns PCG seeds for [CACHEBUSTING]; crypto.getRandomValues keeps
// crypto/rand out of the module.
func seed() (uint64, uint64) {
	b := js.Global().Get("Uint8Array").New(16)
	if c := js.Global().Get("crypto"); c.Type() == js.TypeObject {
		c.Call("getRandomValues", b)
	}
	var buf [16]byte
	js.CopyBytesToGo(buf[:], b)
	var x, y uint64
	for i := range 8 {
		x = x<<8 | uint64(buf[i])
		y = y<<8 | uint64(buf[8+i])
	}
	return x ^ uint64(time.Now().UnixNano()), y
}

func (s *instance) object() js.Value { return s.obj }

// method registers fn as a method of the session object. fn runs inside a
// js.FuncOf callback: it must not block. A panic in fn is recovered,
// reported as an `error` event of kind "internal" and answered with
// undefined, so a core bug never takes the host page down.
func (s *instance) method(o js.Value, name string, fn func(args []js.Value) any) {
	f := s.fs.add(func(_ js.Value, args []js.Value) (ret any) {
		defer func() {
			if r := recover(); r != nil {
				ret = nil
				s.internalError(name, r)
			}
		}()
		if s.destroyed {
			return nil
		}
		return fn(args)
	})
	o.Set(name, *f)
}

func (s *instance) internalError(where string, r any) {
	s.emit("error", errorDetail{Kind: "internal", Source: "core", Message: where + ": " + panicText(r)})
}

func panicText(r any) string {
	switch r := r.(type) {
	case error:
		return r.Error()
	case string:
		return r
	}
	return "panic"
}

func (s *instance) buildObject() js.Value {
	o := js.Global().Get("Object").New()
	o.Set("handle", int(s.handle))
	s.method(o, "init", func([]js.Value) any { return s.initPromise() })
	s.method(o, "manifestLoaded", func(args []js.Value) any {
		var m manifestInfo
		if err := jsconv.Decode(arg(args, 0), &m); err != nil {
			s.emit("error", errorDetail{Kind: "config", Source: "host", Message: err.Error()})
			return nil
		}
		s.manifestLoaded(m)
		return nil
	})
	s.method(o, "setDuration", func(args []js.Value) any {
		if d := arg(args, 0); d.Type() == js.TypeNumber {
			s.eng.SetDuration(d.Float())
		}
		return nil
	})
	s.method(o, "setRate", func(args []js.Value) any {
		s.eng.SetRate(num(arg(args, 0), 1))
		return nil
	})
	s.method(o, "prune", func(args []js.Value) any { return s.eng.Prune(num(arg(args, 0), 0)) })
	s.method(o, "pollNow", func([]js.Value) any { s.wakePoll(); return nil })
	s.method(o, "flush", func([]js.Value) any { return s.flush() })
	s.method(o, "seek", func(args []js.Value) any {
		from, to := num(arg(args, 0), s.ph), num(arg(args, 1), s.ph)
		origin := engine.OriginAPI
		switch arg(args, 2).String() {
		case "native":
			origin = engine.OriginNative
		case "start":
			origin = engine.OriginStart
		case "gap":
			origin = engine.OriginGap
		}
		d := s.eng.Seek(from, to, origin)
		return jsconv.ValueOf(seekDetail{Allow: d.Allow, To: d.To, ResumeAt: d.ResumeAt, Reason: d.Reason})
	})
	s.method(o, "skip", func([]js.Value) any { return s.eng.Skip(s.ph, s.nowMs) })
	s.method(o, "clickThrough", func([]js.Value) any {
		u, ok := s.eng.ClickThrough(s.ph, s.nowMs)
		if !ok || !beacon.Allowed(u) {
			return ""
		}
		return u
	})
	s.method(o, "setPlayerSize", func(args []js.Value) any {
		s.width, s.height = int(num(arg(args, 0), 0)), int(num(arg(args, 1), 0))
		return nil
	})
	s.method(o, "ui", func(args []js.Value) any {
		u := uiJSON(s.eng.UI(num(arg(args, 0), s.ph)))
		return string(jsconv.AppendJSON(nil, &u))
	})
	s.method(o, "markers", func([]js.Value) any {
		s.marks = s.eng.Markers(s.marks[:0])
		return string(jsconv.AppendJSON(nil, markersJSON(s.marks)))
	})
	s.method(o, "contentTime", func(args []js.Value) any { return s.eng.ContentTime(num(arg(args, 0), s.ph)) })
	s.method(o, "streamTime", func(args []js.Value) any { return s.eng.StreamTime(num(arg(args, 0), 0)) })
	s.method(o, "fireTracking", func(args []js.Value) any {
		var t trackingRequest
		if err := jsconv.Decode(arg(args, 0), &t); err != nil {
			s.emit("error", errorDetail{Kind: "config", Source: "host", Message: "fireTracking: " + err.Error()})
			return 0
		}
		return s.fireTracking(t)
	})
	s.method(o, "vpaidEvent", func(args []js.Value) any {
		name, data := arg(args, 0).String(), arg(args, 1)
		if name == "AdVolumeChange" {
			// Only real mute⇄unmute changes become beacons.
			muted := data.Type() == js.TypeObject && (data.Get("muted").Truthy() || num(data.Get("volume"), 1) == 0)
			if muted == s.vpaidMuted {
				return false
			}
			s.vpaidMuted = muted
			return s.eng.VPAIDVolume(muted, s.ph)
		}
		return s.eng.VPAIDEvent(name, s.ph)
	})
	s.method(o, "adError", func(args []js.Value) any {
		return s.eng.Error(int(num(arg(args, 0), 900)), s.ph, s.nowMs)
	})
	s.method(o, "vpaidStopped", func([]js.Value) any { return s.eng.VPAIDStopped(s.ph) })
	s.method(o, "destroy", func([]js.Value) any { s.destroy(); return nil })
	return o
}

func num(v js.Value, def float64) float64 {
	if v.Type() != js.TypeNumber {
		return def
	}
	return v.Float()
}

// destroy stops every timer and goroutine of the session and releases its
// js.Funcs, including the one running it (allowed by syscall/js).
func (s *instance) destroy() {
	if s.destroyed {
		return
	}
	s.destroyed = true
	close(s.done)
	s.tm.stopAll()
	s.fs.releaseAll()
	sessions[s.handle-1] = nil
	s.eng = nil
}

// emit delivers an event to the host: into the batch while flush runs, else
// through hooks.emit right away.
func (s *instance) emit(typ string, detail jsconv.Marshaler) {
	if s.destroyed {
		return
	}
	if s.flushing {
		s.appendEvent(typ, detail)
		return
	}
	s.hooks.Emit.Invoke(typ, string(jsconv.AppendJSON(nil, detail)))
}

func (s *instance) log(level, msg string) {
	if s.hooks.Log.Type() == js.TypeFunction {
		s.hooks.Log.Invoke(level, msg)
	}
}

func (s *instance) appendEvent(typ string, detail jsconv.Marshaler) {
	if s.nBatch > 0 {
		s.batch = append(s.batch, ',')
	}
	s.nBatch++
	s.batch = append(s.batch, `{"type":`...)
	s.batch = jsconv.AppendString(s.batch, typ)
	s.batch = append(s.batch, `,"detail":`...)
	s.batch = jsconv.AppendJSON(s.batch, detail)
	s.batch = append(s.batch, '}')
}

// flush drains the engine: beacons are dispatched now, events and the last
// seek go back to JS as one JSON string ("" when there is nothing), so the
// host pays one crossing and one JSON.parse per batch.
func (s *instance) flush() string {
	s.applyPause()
	s.acts = s.eng.Drain(s.acts[:0])
	s.flushing = true
	s.batch = append(s.batch[:0], `{"events":[`...)
	s.nBatch = 0
	s.seek = nil
	for _, p := range s.panics {
		s.appendEvent("error", errorDetail{Kind: "internal", Source: "core", Message: p})
	}
	s.panics = s.panics[:0]
	for i := range s.acts {
		a := &s.acts[i]
		switch a.Kind {
		case engine.ActionBeacon:
			s.fireAction(a)
		case engine.ActionEvent:
			s.appendEvent(a.Name, actionEvent{a})
		case engine.ActionSeek:
			s.seek = a
		}
	}
	s.flushing = false
	if s.nBatch == 0 && s.seek == nil {
		return ""
	}
	s.batch = append(s.batch, `],"seek":`...)
	if s.seek != nil {
		s.batch = jsconv.AppendJSON(s.batch, seekDetail{Allow: true, To: s.seek.To, ResumeAt: s.seek.ResumeAt, Reason: s.seek.Name})
	} else {
		s.batch = append(s.batch, "null"...)
	}
	s.batch = append(s.batch, '}')
	clear(s.acts) // drop references to tracking models
	return string(s.batch)
}

// macroContext fills the VAST macro values known at dispatch of a.
func (s *instance) macroContext(a *engine.Action) beacon.MacroContext {
	var st uint8
	if s.flags&engine.FlagMuted != 0 {
		st |= beacon.StateMuted
	}
	if s.flags&engine.FlagFullscreen != 0 {
		st |= beacon.StateFullscreen
	}
	c := beacon.MacroContext{
		Random:          s.rng.Uint64(),
		AdPlayhead:      seconds(a.AdPlayhead),
		MediaPlayhead:   seconds(a.Playhead),
		ContentPlayhead: -1,
		BreakPosition:   int(a.Position),
		ErrorCode:       a.ErrorCode,
		PlayerWidth:     s.width,
		PlayerHeight:    s.height,
		PlayerState:     st,
	}
	if s.nowMs > 0 {
		c.Now = time.UnixMilli(int64(s.nowMs))
	}
	if s.eng != nil {
		c.ContentPlayhead = seconds(s.eng.ContentTime(a.Playhead))
	}
	return c
}

func seconds(s float64) time.Duration {
	if s < 0 || math.IsNaN(s) {
		return -1
	}
	return time.Duration(s * float64(time.Second))
}

func (s *instance) fireAction(a *engine.Action) {
	k := a.BeaconKey()
	s.exp = beacon.AppendExpand(s.exp[:0], a.URL, s.macroContext(a))
	u := string(s.exp)
	if s.disp.Fire(k, u) {
		s.emit("beacon", beaconDetail{
			EventType: a.EventType, URL: u, ScheduledTime: a.Scheduled, Playhead: a.Playhead,
			AvailID: a.AvailID, AdID: a.AdID, EventID: a.EventID,
		})
	}
}

// fireTracking fires host-supplied tracking URLs (companions, VPAID,
// verification) through the same dedupe, macros and retry as the engine's
// beacons. It returns how many requests were started.
func (s *instance) fireTracking(t trackingRequest) int {
	n := 0
	a := engine.Action{AvailID: t.AvailID, AdID: t.AdID, EventType: t.EventType, EventID: t.Key, Playhead: s.ph, Scheduled: -1}
	for i, raw := range t.URLs {
		a.URL = raw
		// Host-supplied lists (companion, VPAID, overlay, verification)
		// are the player's to send in server reporting mode too.
		k := beacon.Key{AvailID: t.AvailID, AdID: t.AdID, EventID: t.Key, EventType: t.EventType, URL: raw, Index: i, PlayerOnly: true}
		s.exp = beacon.AppendExpand(s.exp[:0], raw, s.macroContext(&a))
		u := string(s.exp)
		if s.disp.Fire(k, u) {
			n++
			s.emit("beacon", beaconDetail{EventType: t.EventType, URL: u, ScheduledTime: -1, Playhead: s.ph, AvailID: t.AvailID, AdID: t.AdID, EventID: t.Key})
		}
	}
	return n
}

// sendBeacon is the beacon.Dispatcher sender: hooks.sendBeacon's promise
// settles done. It never blocks.
func (s *instance) sendBeacon(u string, done func(error)) {
	p, err := s.invoke(s.hooks.SendBeacon, u)
	if err != nil {
		done(err)
		return
	}
	s.then(p, func(_ js.Value, err error) { done(err) })
}

// invoke calls a JS function, turning a thrown exception into an error.
func (s *instance) invoke(f js.Value, args ...any) (v js.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(js.Error); ok {
				err = jsErrorOf(e.Value)
				return
			}
			panic(r)
		}
	}()
	return f.Invoke(args...), nil
}

// then calls fn once p settles, from a JS promise callback; its two
// callbacks are released on settle or by destroy.
func (s *instance) then(p js.Value, fn func(js.Value, error)) {
	if s.destroyed {
		return
	}
	if p.Type() != js.TypeObject || p.Get("then").Type() != js.TypeFunction {
		fn(p, nil)
		return
	}
	var ok, fail *js.Func
	settle := func(v js.Value, err error) {
		s.fs.release(ok)
		s.fs.release(fail)
		if !s.destroyed {
			fn(v, err)
		}
	}
	ok = s.fs.add(func(_ js.Value, args []js.Value) any { settle(arg(args, 0), nil); return nil })
	fail = s.fs.add(func(_ js.Value, args []js.Value) any { settle(js.Undefined(), jsErrorOf(arg(args, 0))); return nil })
	p.Call("then", *ok, *fail)
}

func (s *instance) beaconResult(r beacon.Result) {
	if r.Err == nil {
		return
	}
	s.emit("beaconerror", beaconErrorDetail{
		EventType: r.Key.EventType, URL: r.URL, AvailID: r.Key.AvailID, AdID: r.Key.AdID,
		EventID: r.Key.EventID, Message: r.Err.Error(), Attempts: r.Attempts,
	})
}
