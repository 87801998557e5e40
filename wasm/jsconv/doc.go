// Package jsconv moves values across the wasm boundary without the reflect
// package, as JSON text: one crossing and one JSON.parse or JSON.stringify
// per value, which is also much cheaper than one js.Value.Get or Set per
// field.
//
// It does the job of github.com/norunners/vert, which cannot be fetched
// here, but not its way: vert walks `js:"name"` struct tags with reflect,
// and linking reflect into the plugin cost 151 KB of its 620 KB brotli
// budget (measured: 817 KB with a tag-driven jsconv, 666 KB without). So a
// type says how it crosses, once:
//
//   - Go to JS: MarshalJSONTo(w *jsonw.Writer) writes it as JSON, escaped
//     and formatted like JSON.stringify; ValueOf parses it on the JS side.
//   - JS to Go: Text stringifies the host's value, and a pure-Go decoder
//     (internal/client's DecodeOptions and friends) reads it with the JSON
//     path of any mismatch, under plain go test.
package jsconv
