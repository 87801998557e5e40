package main

import (
	"errors"
	"syscall/js"

	"github.com/availkit/availkit/wasm/jsconv"
)

// hooks are the JS functions the core calls for its side effects.
type hooks struct {
	Emit       js.Value // (type, detailJSON)
	SendBeacon js.Value // (url) -> Promise<void>
	Fetch      js.Value // (url, init) -> Promise<{status, bytes}> or <{status, text}>
	Log        js.Value // (level, msg), optional
}

// readHooks takes the functions off the host's hooks object.
func readHooks(v js.Value) (hooks, error) {
	var h hooks
	if v.Type() != js.TypeObject {
		return h, errors.New("hooks: want an object")
	}
	for _, f := range []struct {
		name     string
		dst      *js.Value
		optional bool
	}{{"emit", &h.Emit, false}, {"sendBeacon", &h.SendBeacon, false}, {"fetch", &h.Fetch, false}, {"log", &h.Log, true}} {
		switch fn := v.Get(f.name); fn.Type() {
		case js.TypeFunction:
			*f.dst = fn
		case js.TypeUndefined, js.TypeNull:
			if !f.optional {
				return h, errors.New("hooks.emit, hooks.sendBeacon and hooks.fetch are required")
			}
		default:
			return h, errors.New("hooks." + f.name + ": want function, got " + fn.Type().String())
		}
	}
	return h, nil
}

// decode reads a host value through its JSON text with one of
// internal/client's decoders, which name the path of a mismatch.
func decode[T any](v js.Value, dec func([]byte) (T, error)) (T, error) {
	b, err := jsconv.Text(v)
	if err != nil {
		var zero T
		return zero, err
	}
	return dec(b)
}
