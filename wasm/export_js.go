package main

import (
	"math"

	"github.com/availkit/availkit/internal/engine"
)

// akUpdate is the per-frame door: JS passes the session playhead (s), the
// wall clock (ms since the epoch) and engine.Flags, and gets engine.Status
// bits back. It must stay cheap and must not call into JS (no timers, no
// events): anything to perform is left for flush, which the status tells
// JS to call. An unknown handle answers 0.
//
//go:wasmexport ak_update
func akUpdate(handle int32, playhead, nowMs float64, flags int32) (st int32) {
	s := lookup(handle)
	if s == nil {
		return 0
	}
	defer func() {
		if r := recover(); r != nil {
			s.cs.DeferPanic("ak_update", r)
			st = int32(engine.StatusActions)
		}
	}()
	return int32(s.update(playhead, nowMs, engine.Flags(flags)))
}

// akNext returns the session seconds from playhead to the next scheduled
// item, +Inf when none (or for an unknown handle). JS arms its frame clock
// from it.
//
//go:wasmexport ak_next
func akNext(handle int32, playhead float64) (d float64) {
	s := lookup(handle)
	if s == nil {
		return math.Inf(1)
	}
	defer func() {
		if r := recover(); r != nil {
			s.cs.DeferPanic("ak_next", r)
			d = math.Inf(1)
		}
	}()
	return s.cs.NextEventIn(playhead)
}
