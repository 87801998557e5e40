// Command wasm is the availkit core as a WebAssembly module (GOOS=js).
//
// It is the only package that imports syscall/js. main publishes
//
//	globalThis.__availkit = {version, status, newSession(config, hooks), stats(), warm()}
//
// and blocks. newSession returns an object of js.FuncOf methods (see
// docs/contracts.md, "WASM ⇄ JS crossing") and a numeric handle for the two
// //go:wasmexport functions of the per-frame path, ak_update and ak_next:
// a js.FuncOf call costs microseconds, an export taking and returning
// numbers costs nanoseconds.
//
// The session itself is internal/client; this package binds its Deps to
// the host's hooks (fetch, sendBeacon, emit) and setTimeout, and exposes
// its methods. Nothing here starts a goroutine: the module runs on the
// single JavaScript thread, every js.FuncOf callback (method, timer,
// promise) returns without blocking, and a panic in one is recovered and
// reported as an "internal" error event instead of ending the runtime.
package main

import (
	"syscall/js"

	"github.com/availkit/availkit/internal/client"
	"github.com/availkit/availkit/internal/engine"
)

// version is reported as __availkit.version; build.sh may override it with
// -ldflags -X main.version=….
var version = "dev"

func main() {
	js.Global().Set("__availkit", js.ValueOf(map[string]any{
		"version": version,
		"status": map[string]any{
			"actions": int(engine.StatusActions),
			"inAd":    int(engine.StatusInAd),
			"near":    int(engine.StatusNear),
			"seek":    int(engine.StatusSeek),
		},
		// newSession and stats live as long as the module: never released.
		"newSession": js.FuncOf(newSessionJS),
		"stats":      js.FuncOf(statsJS),
		"warm":       js.FuncOf(warmJS),
	}))
	select {}
}

// newSessionJS is __availkit.newSession(config, hooks). A Go panic in a
// js.FuncOf would kill the module for the whole page and cannot become a JS
// exception, so bad input comes back as an Error object for the caller to
// throw.
func newSessionJS(_ js.Value, args []js.Value) (ret any) {
	defer func() {
		if r := recover(); r != nil {
			ret = jsError("availkit: newSession: " + client.PanicText(r))
		}
	}()
	s, err := newSession(arg(args, 0), arg(args, 1))
	if err != nil {
		return jsError("availkit: " + err.Error())
	}
	return s.obj
}

// warmJS is __availkit.warm(): client.WarmUp, once the page is idle after
// the core starts. It returns how many beacons the canned break fired, 0
// after a panic (the warm-up is only an optimisation).
func warmJS(js.Value, []js.Value) (ret any) {
	defer func() {
		if r := recover(); r != nil {
			ret = 0
		}
	}()
	return client.WarmUp()
}

func jsError(msg string) js.Value { return js.Global().Get("Error").New(msg) }

// statsJS reports what the core holds, so tests (and a QA page) can prove
// that destroy releases everything: live sessions, js.Funcs made through
// sessions, and pending timers.
func statsJS(js.Value, []js.Value) any {
	n, timers := 0, 0
	for _, s := range sessions {
		if s != nil {
			n++
			timers += s.tm.len()
		}
	}
	return map[string]any{"sessions": n, "funcs": liveFuncs, "timers": timers}
}
