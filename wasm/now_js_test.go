package main

import (
	"syscall/js"
	"testing"
)

// TestNowIsThePageClock: now() reads the page's wall clock, sub-millisecond
// and steady, in the zone of the host's Date (Node's TZ here), as
// time.Now did before the plugin stopped linking package time.
func TestNowIsThePageClock(t *testing.T) {
	env := js.Global().Get("process").Get("env")
	oldTZ := env.Get("TZ")
	t.Cleanup(func() {
		if oldTZ.IsUndefined() {
			js.Global().Get("Reflect").Call("deleteProperty", env, "TZ")
		} else {
			env.Set("TZ", oldTZ)
		}
		perf = js.Undefined()
	})
	for _, c := range []struct {
		tz  string
		off int // seconds east of UTC
	}{
		{"UTC", 0},
		{"Asia/Kolkata", 5*3600 + 1800},
		{"America/Sao_Paulo", -3 * 3600},
	} {
		t.Run(c.tz, func(t *testing.T) {
			env.Set("TZ", c.tz)
			perf = js.Undefined() // the offset is taken on first use
			before := js.Global().Get("Date").Call("now").Float()
			a := now()
			b := now()
			after := js.Global().Get("Date").Call("now").Float()
			if ms := float64(a.UnixMilli()); ms < before-5 || ms > after+5 {
				t.Errorf("now() = %v ms, Date.now() between %v and %v", ms, before, after)
			}
			if b.Before(a) {
				t.Errorf("now() went back: %d then %d ns", a.UnixNano(), b.UnixNano())
			}
			if _, off := a.Zone(); off != c.off {
				t.Errorf("zone offset %d s, want %d", off, c.off)
			}
		})
	}
}
