//go:build js && wasm

// Command inspectwasm is inspect.wasm, the creative inspector for the QA
// page. It is a separate module so the player plugin does not carry the
// MP3 decoder. It sets globalThis.__availkitInspect = {version,
// inspectMP3(bytes Uint8Array, declaredSeconds?, slotSeconds?) -> object,
// probeMP3(same) -> object (headers only: duration, no levels),
// decodePartMP3(bytes, k, n) -> {ok, pcm: Uint8Array} | {ok: false, error, kind},
// inspectPCM(bytes, pcm Uint8Array, declaredSeconds?, slotSeconds?) -> object}
// and blocks. The last two split the decode over several instances (Web
// Workers; Go's wasm has no threads): part k of n each, then inspectPCM on
// the concatenated PCM; see web/inspect/inspect.js for the loader.
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
	api.Set("decodePartMP3", js.FuncOf(func(this js.Value, args []js.Value) any {
		return callPart(args)
	}))
	api.Set("inspectPCM", js.FuncOf(func(this js.Value, args []js.Value) any {
		return callPCM(args)
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
	data, ok := bytesArg(args, 0)
	if !ok {
		return parse.Invoke(resultJSON(result{Error: "inspectMP3 wants a Uint8Array", Kind: "internal"}))
	}
	return parse.Invoke(resultJSON(fn(data, num(args, 1), num(args, 2))))
}

func callPart(args []js.Value) (out any) {
	parse := js.Global().Get("JSON").Get("parse")
	defer func() {
		if r := recover(); r != nil {
			out = parse.Invoke(resultJSON(result{Error: "inspect: bad arguments", Kind: "internal"}))
		}
	}()
	data, ok := bytesArg(args, 0)
	if !ok {
		return parse.Invoke(resultJSON(result{Error: "decodePartMP3 wants a Uint8Array", Kind: "internal"}))
	}
	pcm, res := decodePart(data, int(num(args, 1)), int(num(args, 2)))
	v := parse.Invoke(resultJSON(res))
	if res.OK {
		arr := js.Global().Get("Uint8Array").New(len(pcm))
		js.CopyBytesToJS(arr, pcm)
		v.Set("pcm", arr)
	}
	return v
}

func callPCM(args []js.Value) (out any) {
	parse := js.Global().Get("JSON").Get("parse")
	defer func() {
		if r := recover(); r != nil {
			out = parse.Invoke(resultJSON(result{Error: "inspect: bad arguments", Kind: "internal"}))
		}
	}()
	data, ok := bytesArg(args, 0)
	pcm, ok2 := bytesArg(args, 1)
	if !ok || !ok2 {
		return parse.Invoke(resultJSON(result{Error: "inspectPCM wants two Uint8Arrays", Kind: "internal"}))
	}
	return parse.Invoke(resultJSON(inspectPCM(data, pcm, num(args, 2), num(args, 3))))
}

// bytesArg copies args[i], a Uint8Array, into Go memory.
func bytesArg(args []js.Value, i int) ([]byte, bool) {
	if len(args) <= i || args[i].Type() != js.TypeObject || args[i].Get("byteLength").Type() != js.TypeNumber {
		return nil, false
	}
	b := make([]byte, args[i].Get("byteLength").Int())
	js.CopyBytesToGo(b, args[i])
	return b, true
}

func num(args []js.Value, i int) float64 {
	if len(args) > i && args[i].Type() == js.TypeNumber {
		return args[i].Float()
	}
	return 0
}
