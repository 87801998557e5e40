//go:build js && wasm

// Command inspectwasm is inspect.wasm, the creative inspector for the QA
// page. It is a separate module so the player plugin does not carry the
// MP3 decoder. It sets globalThis.__availkitInspect = {version,
// inspectMP3(bytes Uint8Array, declaredSeconds?, slotSeconds?) -> object,
// probeMP3(same) -> object (headers only: duration, no levels),
// decodePartMP3(bytes, k, n) -> {ok, pcm: Uint8Array} | {ok: false, error, kind},
// inspectPCM(bytes, pcm Uint8Array, declaredSeconds?, slotSeconds?) -> object,
// lintTracking(bytes Uint8Array, live? "live"|"vod"|"") -> object (the
// tracking inspector's lint.Report: decode error with its JSON path,
// findings, timeline, beacon schedule)} and blocks. The last two split the decode over several instances (Web
// Workers; Go's wasm has no threads): part k of n each, then inspectPCM on
// the concatenated PCM; see web/inspect/inspect.js for the loader.
package main

import (
	"syscall/js"

	"github.com/availkit/availkit/internal/jsonscan"
	"github.com/availkit/availkit/wasm/jsconv"
)

const version = "1"

// The tracking linter reads numbers as the plugin does: the ones
// jsonscan's fast path cannot convert exactly go to the page's Number.
func init() { jsonscan.SetSlowFloat(jsconv.ParseNumber) }

func main() {
	// The Funcs are never released: they live as long as the module does.
	api := js.Global().Get("Object").New()
	api.Set("version", version)
	export(api, "inspectMP3", "a Uint8Array", 1, func(b [][]byte, args []js.Value) (result, []byte) {
		return inspect(b[0], num(args, 1), num(args, 2)), nil
	})
	export(api, "probeMP3", "a Uint8Array", 1, func(b [][]byte, args []js.Value) (result, []byte) {
		return probe(b[0], num(args, 1), num(args, 2)), nil
	})
	export(api, "decodePartMP3", "a Uint8Array", 1, func(b [][]byte, args []js.Value) (result, []byte) {
		pcm, res := decodePart(b[0], int(num(args, 1)), int(num(args, 2)))
		if pcm == nil {
			pcm = []byte{} // an empty part still answers a pcm array
		}
		return res, pcm
	})
	export(api, "inspectPCM", "two Uint8Arrays", 2, func(b [][]byte, args []js.Value) (result, []byte) {
		return inspectPCM(b[0], b[1], num(args, 2), num(args, 3)), nil
	})
	api.Set("lintTracking", js.FuncOf(func(_ js.Value, args []js.Value) (out any) {
		parse := js.Global().Get("JSON").Get("parse")
		defer func() {
			if r := recover(); r != nil {
				out = parse.Invoke(`{"error":{"path":"","message":"lint: internal error"},"findings":[],"timeline":[],"schedule":[]}`)
			}
		}()
		b, ok := bytesArg(args, 0)
		if !ok {
			return parse.Invoke(`{"error":{"path":"","message":"lintTracking wants a Uint8Array"},"findings":[],"timeline":[],"schedule":[]}`)
		}
		live := ""
		if len(args) > 1 && args[1].Type() == js.TypeString {
			live = args[1].String()
		}
		return parse.Invoke(lintJSON(b, live))
	}))
	js.Global().Set("__availkitInspect", api)
	select {}
}

// export sets api[name] to a function whose first nbytes arguments are
// Uint8Arrays copied into Go; fn's result becomes a plain object, with its
// PCM (when fn returns some and succeeded) as a Uint8Array under "pcm". A
// wrong argument or a panic answers {ok: false, kind: "internal"}.
func export(api js.Value, name, want string, nbytes int, fn func([][]byte, []js.Value) (result, []byte)) {
	api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) (out any) {
		parse := js.Global().Get("JSON").Get("parse")
		defer func() {
			if r := recover(); r != nil {
				out = parse.Invoke(resultJSON(result{Error: "inspect: bad arguments", Kind: "internal"}))
			}
		}()
		b := make([][]byte, nbytes)
		for i := range b {
			var ok bool
			if b[i], ok = bytesArg(args, i); !ok {
				return parse.Invoke(resultJSON(result{Error: name + " wants " + want, Kind: "internal"}))
			}
		}
		res, pcm := fn(b, args)
		v := parse.Invoke(resultJSON(res))
		if res.OK && pcm != nil {
			arr := js.Global().Get("Uint8Array").New(len(pcm))
			js.CopyBytesToJS(arr, pcm)
			v.Set("pcm", arr)
		}
		return v
	}))
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
