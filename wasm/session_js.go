package main

import (
	"errors"
	"syscall/js"
	"unsafe"

	"github.com/availkit/availkit/internal/beacon"
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
// {status, bytes} (or {status, text}) and rejects on network failure
// ("timeout …" on timeout).
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

var uint8Array = js.Global().Get("Uint8Array")

// decodeReply reads what hooks.fetch resolved with. The body crosses as a
// Uint8Array of its bytes: Chromium decoding a few megabytes with
// Response.text() held the main thread for 60-100 ms, and the core would
// encode the text back to UTF-8. Anything else takes the general path
// (a text field), whose errors name the field at fault.
func decodeReply(v js.Value) (client.Reply, error) {
	if v.Type() == js.TypeObject {
		b, st := v.Get("bytes"), v.Get("status")
		if b.InstanceOf(uint8Array) && st.Type() == js.TypeNumber {
			if f := st.Float(); f == float64(int(f)) {
				buf := make([]byte, b.Length())
				if js.CopyBytesToGo(buf, b) == 0 {
					return client.Reply{Status: int(f)}, nil
				}
				return client.Reply{Status: int(f), Body: unsafe.String(&buf[0], len(buf))}, nil // buf is not used again
			}
		}
	}
	return decode(v, client.DecodeReply)
}

// send is client.Deps.Send over hooks.sendBeacon's promise.
func (s *instance) send(u string, done func(error)) {
	p, err := invoke(s.hooks.SendBeacon, u)
	if err != nil {
		done(err)
		return
	}
	s.then(p, func(reason js.Value, err error) {
		if err != nil && reason.Type() == js.TypeObject && reason.Get("noRetry").Truthy() {
			err = finalError{err}
		}
		done(err)
	})
}

// finalError is a beacon failure the host's sendBeacon marked noRetry (a
// request that timed out may have reached the host: a retry could count it
// twice).
type finalError struct{ error }

func (e finalError) Unwrap() error { return beacon.ErrNoRetry }

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
// rejects with an Error carrying the fields of the error event (kind,
// status, source, serverMessage: MediaTailor's message), also kept as the object's initError property,
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
		v := js.Global().Get("Object").Call("assign", jsError(e.Message), jsconv.ValueOf(*e))
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
