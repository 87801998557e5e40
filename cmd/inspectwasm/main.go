//go:build js && wasm

// Command inspectwasm is inspect.wasm, the creative inspector for the QA
// page. It is a separate module so the player plugin does not carry the
// MP3 decoder. It sets globalThis.__availkitInspect = {version,
// inspectMP3(bytes Uint8Array, declaredSeconds?, slotSeconds?) -> object,
// probeMP3(same) -> object (headers only: duration, no levels)} and blocks; see web/inspect/inspect.js for the loader.
package main

import "syscall/js"

const version = "1"

func main() {
	// The Funcs are never released: they live as long as the module does.
	api := js.Global().Get("Object").New()
	api.Set("version", version)
	api.Set("inspectMP3", js.FuncOf(func(this js.Value, args []js.Value) any {
		return call(inspect, args)
	}))
	api.Set("probeMP3", js.FuncOf(func(this js.Value, args []js.Value) any {
		return call(probe, args)
	}))
	js.Global().Set("__availkitInspect", api)
	select {}
}

func call(fn func([]byte, float64, float64) result, args []js.Value) (out any) {
	parse := js.Global().Get("JSON").Get("parse")
	defer func() {
		if r := recover(); r != nil {
			out = parse.Invoke(resultJSON(result{Error: "inspect: bad arguments", Kind: "internal"}))
		}
	}()
	if len(args) == 0 || args[0].Type() != js.TypeObject || args[0].Get("byteLength").Type() != js.TypeNumber {
		return parse.Invoke(resultJSON(result{Error: "inspectMP3 wants a Uint8Array", Kind: "internal"}))
	}
	data := make([]byte, args[0].Get("byteLength").Int())
	js.CopyBytesToGo(data, args[0])
	num := func(i int) float64 {
		if len(args) > i && args[i].Type() == js.TypeNumber {
			return args[i].Float()
		}
		return 0
	}
	return parse.Invoke(resultJSON(fn(data, num(1), num(2))))
}
