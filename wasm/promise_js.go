package main

import (
	"errors"
	"syscall/js"
	"time"
)

var promiseCtor = js.Global().Get("Promise")

// A JSError is a rejection or exception coming from JavaScript.
type JSError struct {
	Message string
}

func (e *JSError) Error() string { return e.Message }

// jsErrorOf turns a rejection reason into an error, keeping the message of
// Error objects and the text of anything else.
func jsErrorOf(reason js.Value) error {
	if reason.Type() == js.TypeObject {
		if m := reason.Get("message"); m.Type() == js.TypeString {
			return &JSError{Message: m.String()}
		}
	}
	if reason.IsUndefined() {
		return &JSError{Message: "rejected"}
	}
	return &JSError{Message: js.Global().Call("String", reason).String()}
}

var (
	// errDestroyed is returned by await when the session is destroyed first.
	errDestroyed = errors.New("availkit: session destroyed")
	// errTimeout is returned by await when the promise outlives its limit.
	errTimeout = errors.New("availkit: no answer in time")
)

// await waits for the promise p (or plain value) to settle and returns its
// value or rejection. It blocks, so it must run in its own goroutine, never
// directly inside a js.FuncOf callback. Its callbacks are owned by the
// session and released once p settles, or by destroy, which makes await
// return errDestroyed. After limit (0: none) it gives up with errTimeout;
// the callbacks then stay owned until p settles. The limit is a JS timer,
// not a Go one: runtime timers cost the plugin 8 KB brotli.
func (s *instance) await(p js.Value, limit time.Duration) (js.Value, error) {
	if p.Type() != js.TypeObject || p.Get("then").Type() != js.TypeFunction {
		return p, nil
	}
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	deliver := func(r result) {
		select {
		case ch <- r:
		default: // the other outcome came first
		}
	}
	s.then(p, func(v js.Value, err error) { deliver(result{v, err}) })
	if limit > 0 {
		id := s.tm.after(float64(limit/time.Millisecond), func() { deliver(result{err: errTimeout}) })
		defer s.tm.stop(id)
	}
	select {
	case r := <-ch:
		return r.v, r.err
	case <-s.done:
		return js.Undefined(), errDestroyed
	}
}

// newPromise returns a Promise settled by the result of work, which runs in a
// new goroutine. The executor func is released as soon as the Promise is
// built: the Promise constructor calls it synchronously.
func newPromise(work func() (any, error)) js.Value {
	var resolve, reject js.Value
	exec := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	p := promiseCtor.New(exec)
	exec.Release()
	go func() {
		v, err := work()
		if err != nil {
			reject.Invoke(js.Global().Get("Error").New(err.Error()))
			return
		}
		resolve.Invoke(v)
	}()
	return p
}

// arg returns args[i], or undefined when the caller passed fewer arguments.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}
