package main

import (
	"errors"
	"syscall/js"
)

var promiseCtor = js.Global().Get("Promise")

// jsErrorOf turns a rejection reason into an error, keeping the message of
// Error objects and the text of anything else.
func jsErrorOf(reason js.Value) error {
	if reason.Type() == js.TypeObject {
		if m := reason.Get("message"); m.Type() == js.TypeString {
			return errors.New(m.String())
		}
	}
	if reason.IsUndefined() {
		return errors.New("rejected")
	}
	return errors.New(js.Global().Call("String", reason).String())
}

// invoke calls a JS function, turning a thrown exception into an error.
func invoke(f js.Value, args ...any) (v js.Value, err error) {
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

// then calls fn once p settles (at once for a plain value), from a JS
// promise callback, with the value and nil, or the rejection's reason and
// its error; its two callbacks are released on settle or by destroy, and a
// panic in fn is reported as an internal error.
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
	ok = s.fs.add("promise", func(_ js.Value, args []js.Value) any { settle(arg(args, 0), nil); return nil })
	fail = s.fs.add("promise", func(_ js.Value, args []js.Value) any { settle(arg(args, 0), jsErrorOf(arg(args, 0))); return nil })
	p.Call("then", *ok, *fail)
}

// newPromise returns a Promise and its resolve and reject functions. The
// executor func is released at once: the Promise constructor calls it
// synchronously.
func newPromise() (p, resolve, reject js.Value) {
	exec := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve, reject = args[0], args[1]
		return nil
	})
	p = promiseCtor.New(exec)
	exec.Release()
	return p, resolve, reject
}

// arg returns args[i], or undefined when the caller passed fewer arguments.
func arg(args []js.Value, i int) js.Value {
	if i < len(args) {
		return args[i]
	}
	return js.Undefined()
}

func num(v js.Value, def float64) float64 {
	if v.Type() != js.TypeNumber {
		return def
	}
	return v.Float()
}
