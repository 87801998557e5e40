package main

import "syscall/js"

// liveFuncs counts the js.Funcs made through a funcSet and not yet released,
// across all sessions. Tests read it to prove destroy releases everything.
var liveFuncs int

// A funcSet owns the js.Funcs of one session so destroy can release them all.
// Funcs that release themselves (one-shot timer and promise callbacks) go
// through release so the set does not keep them. A funcSet is used only
// from the Go side of the JS event loop, so it has no lock.
type funcSet struct {
	m    map[*js.Func]struct{}
	done bool
	// onPanic reports a panic recovered in one of the funcs: a Go panic
	// escaping a js.FuncOf would end the Go runtime for every session of
	// the page.
	onPanic func(where string, r any)
}

// add wraps fn as a js.Func owned by the set; a panic in fn is recovered,
// reported to onPanic under where, and the call answers undefined. After
// releaseAll, add returns a func that does nothing, so late callers never
// see a released function.
func (s *funcSet) add(where string, fn func(this js.Value, args []js.Value) any) *js.Func {
	if s.m == nil {
		s.m = make(map[*js.Func]struct{})
	}
	f := new(js.Func)
	if s.done {
		*f = js.FuncOf(func(js.Value, []js.Value) any { return nil })
	} else {
		*f = js.FuncOf(func(this js.Value, args []js.Value) (ret any) {
			defer func() {
				if r := recover(); r != nil {
					ret = nil
					if s.onPanic != nil {
						s.onPanic(where, r)
					}
				}
			}()
			return fn(this, args)
		})
	}
	s.m[f] = struct{}{}
	liveFuncs++
	return f
}

// release releases one func of the set; releasing twice is a no-op.
func (s *funcSet) release(f *js.Func) {
	if _, ok := s.m[f]; !ok {
		return
	}
	delete(s.m, f)
	liveFuncs--
	f.Release()
}

// releaseAll releases every func still owned and marks the set done.
// syscall/js allows Release while the func is running, so destroy may call
// this from inside one of the set's own methods.
func (s *funcSet) releaseAll() {
	for f := range s.m {
		s.release(f)
	}
	s.done = true
}
