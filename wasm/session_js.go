package main

import (
	"errors"
	"syscall/js"
	"unsafe"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/clock"
	"github.com/availkit/availkit/internal/engine"
	"github.com/availkit/availkit/internal/jsonw"
	"github.com/availkit/availkit/wasm/jsconv"
)

// instance binds one client.Session to the JS hooks of its host.
type instance struct {
	handle int32
	hooks  hooks
	cs     *client.Session
	// update is cs.Update; a field so tests can make it panic.
	update func(ph, nowMs float64, f engine.Flags) engine.Status
	fs     funcSet
	tm     timers
	obj    js.Value // the methods object handed to JS
	// initReject rejects the init promise while it is pending, so destroy
	// never leaves createSession waiting.
	initReject js.Value
	destroyed  bool
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
	s := &instance{}
	s.tm.fs = &s.fs
	var err error
	if s.hooks, err = readHooks(hooksV); err != nil {
		return nil, err
	}
	c, err := decode(cfgV, client.DecodeOptions)
	if err != nil {
		return nil, err
	}
	cc, err := c.Config()
	if err != nil {
		return nil, err
	}
	s.cs, err = client.New(cc, client.Deps{
		Fetch: s.fetch, Send: s.send, After: s.after, Now: now, Rand: client.NewRand(random(), now()), Emit: s.emit, Log: s.log,
	})
	if err != nil {
		return nil, err
	}
	s.update = s.cs.Update
	s.fs.onPanic = s.cs.Internal
	sessions = append(sessions, s)
	s.handle = int32(len(sessions))
	s.obj = s.buildObject()
	return s, nil
}

// random returns 16 bytes of crypto.getRandomValues (zeros without it) to
// seed client.NewRand.
func random() (buf [16]byte) {
	b := js.Global().Get("Uint8Array").New(16)
	if c := js.Global().Get("crypto"); c.Type() == js.TypeObject {
		c.Call("getRandomValues", b)
	}
	js.CopyBytesToGo(buf[:], b)
	return buf
}

// fetch is client.Deps.Fetch over hooks.fetch, which resolves to
// {status, text} and rejects on network failure ("timeout …" on timeout).
func (s *instance) fetch(r client.Request, done func(client.Reply, error)) {
	p, err := invoke(s.hooks.Fetch, r.URL, jsconv.ValueOf(r))
	if err != nil {
		done(client.Reply{}, err)
		return
	}
	s.then(p, func(v js.Value, err error) {
		var fr client.Reply
		if err == nil {
			if fr, err = decodeReply(v); err != nil {
				err = errors.New("hooks.fetch: " + err.Error())
			}
		}
		done(fr, err)
	})
}

// decodeReply reads what hooks.fetch resolved with. The body crosses as a
// string of its own: inside the reply's JSON text every quote of a tracking
// body would be escaped, and the core would unescape megabytes byte by byte
// (a third of a 2 MB reply's main-thread time). Anything but a string text
// and an integer status takes the general path, whose errors name the
// field at fault.
func decodeReply(v js.Value) (client.Reply, error) {
	if v.Type() == js.TypeObject {
		t, st := v.Get("text"), v.Get("status")
		if t.Type() == js.TypeString && st.Type() == js.TypeNumber {
			if f := st.Float(); f == float64(int(f)) {
				return client.Reply{Status: int(f), Body: utf8Text(t)}, nil
			}
		}
	}
	return decode(v, client.DecodeReply)
}

// utf8Text is t.String() for a long text. js.Value.String encodes with
// TextEncoder.encode, which in Chromium takes 20 ms a megabyte; encodeInto
// a buffer sized for ASCII (grown once for other text) takes a tenth of it.
func utf8Text(t js.Value) string {
	n := js.Global().Get("String").New(t).Get("length").Int() // a primitive has no Get
	enc := js.Global().Get("TextEncoder").New()
	buf := js.Global().Get("Uint8Array").New(n)
	r := enc.Call("encodeInto", t, buf)
	if r.Get("read").Int() < n {
		buf = js.Global().Get("Uint8Array").New(3 * n) // 3 bytes at most per UTF-16 unit
		r = enc.Call("encodeInto", t, buf)
	}
	b := make([]byte, r.Get("written").Int())
	if js.CopyBytesToGo(b, buf) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b)) // b is not used again: no second copy
}

// send is client.Deps.Send over hooks.sendBeacon's promise.
func (s *instance) send(u string, done func(error)) {
	p, err := invoke(s.hooks.SendBeacon, u)
	if err != nil {
		done(err)
		return
	}
	s.then(p, func(_ js.Value, err error) { done(err) })
}

// after is client.Deps.After over setTimeout.
func (s *instance) after(d clock.Duration, f func()) func() {
	id := s.tm.after(float64(d)/float64(clock.Millisecond), f)
	return func() { s.tm.stop(id) }
}

// emit is client.Deps.Emit: one JSON text per event.
func (s *instance) emit(typ string, d jsonw.Marshaler) {
	if !s.destroyed {
		s.hooks.Emit.Invoke(typ, string(jsonw.AppendJSON(nil, d)))
	}
}

func (s *instance) log(level, msg string) {
	if s.hooks.Log.Type() == js.TypeFunction {
		s.hooks.Log.Invoke(level, msg)
	}
}

// initPromise is the session object's init(): it resolves with the URLs or
// rejects with an Error carrying kind, status, source and serverMessage
// (MediaTailor's message), also kept as the object's initError property,
// which outlives destroy.
func (s *instance) initPromise() js.Value {
	p, resolve, reject := newPromise()
	s.initReject = reject
	s.cs.Init(func(r client.InitResult, e *client.ErrorDetail) {
		s.initReject = js.Undefined()
		if e == nil {
			resolve.Invoke(jsconv.ValueOf(r))
			return
		}
		v := jsError(e.Message)
		for _, kv := range [...][2]string{{"kind", e.Kind}, {"source", e.Source}, {"serverMessage", e.ServerMessage}} {
			v.Set(kv[0], kv[1])
		}
		v.Set("status", e.Status)
		s.obj.Set("initError", v)
		reject.Invoke(v)
	})
	return p
}

// destroy stops every timer and callback of the session and releases its
// js.Funcs, including the one running it (allowed by syscall/js).
func (s *instance) destroy() {
	if s.destroyed {
		return
	}
	s.destroyed = true
	s.cs.Destroy()
	if s.initReject.Type() == js.TypeFunction {
		s.initReject.Invoke(jsError("availkit: session destroyed"))
	}
	s.tm.stopAll()
	s.fs.releaseAll()
	sessions[s.handle-1] = nil
}
