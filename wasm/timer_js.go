package main

import "syscall/js"

var (
	setTimeout   = js.Global().Get("setTimeout")
	clearTimeout = js.Global().Get("clearTimeout")
)

// timers owns the setTimeout callbacks of one session. Each callback is a
// one-shot js.Func released when it fires or when the timer is stopped, so a
// timer never outlives its session.
type timers struct {
	fs      *funcSet
	pending map[int]timer // by our own id: Node's setTimeout returns an object
	seq     int
}

type timer struct {
	handle js.Value // what setTimeout returned, for clearTimeout
	fn     *js.Func
}

// after runs f on the JS event loop after ms milliseconds and returns the
// timer id for stop (0: not armed, the session is destroyed). f runs inside
// a js.FuncOf callback: it must not block; a panic in it is reported as an
// internal error (funcSet.add).
func (t *timers) after(ms float64, f func()) int {
	if t.fs.done {
		return 0
	}
	if t.pending == nil {
		t.pending = make(map[int]timer)
	}
	t.seq++
	id := t.seq
	var tm timer
	tm.fn = t.fs.add("timer", func(js.Value, []js.Value) any {
		delete(t.pending, id)
		t.fs.release(tm.fn)
		f()
		return nil
	})
	tm.handle = setTimeout.Invoke(*tm.fn, max(ms, 0))
	t.pending[id] = tm
	return id
}

// stop cancels the timer id if it has not fired yet.
func (t *timers) stop(id int) {
	tm, ok := t.pending[id]
	if !ok {
		return
	}
	delete(t.pending, id)
	clearTimeout.Invoke(tm.handle)
	t.fs.release(tm.fn)
}

// stopAll cancels every pending timer.
func (t *timers) stopAll() {
	for id := range t.pending {
		t.stop(id)
	}
}

// len reports how many timers are pending.
func (t *timers) len() int { return len(t.pending) }
