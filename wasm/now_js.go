package main

import (
	"syscall/js"

	"github.com/availkit/availkit/internal/clock"
)

// The page's clock for client.Deps.Now, read as Go's runtime reads it for
// time.Now in a browser: performance.now() from performance.timeOrigin,
// sub-millisecond and steady within the page, in the zone of the browser's
// Date (its offset taken once, as package time takes it for Local).
var (
	perf       js.Value
	perfOrigin float64 // ms since the Unix epoch at performance.now() = 0
)

// now returns the current time.
func now() clock.Time {
	if perf.IsUndefined() {
		perf = js.Global().Get("performance")
		perfOrigin = perf.Get("timeOrigin").Float()
		off := js.Global().Get("Date").New().Call("getTimezoneOffset").Int()
		clock.SetLocalOffset(-off * 60)
	}
	ms := perfOrigin + perf.Call("now").Float()
	return clock.Unix(0, int64(ms*1e6))
}
