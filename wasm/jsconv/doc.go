// Package jsconv converts Go values to JavaScript values and back without
// the reflect package.
//
// It does the job of github.com/norunners/vert, which cannot be fetched
// here, but not its way: vert walks `js:"name"` struct tags with reflect,
// and linking reflect into the plugin cost 151 KB of its 620 KB brotli
// budget (measured: 817 KB with a tag-driven jsconv, 666 KB without). So a
// type says how it crosses, once, in two small methods:
//
//   - MarshalJSONTo(w *Writer) writes it as JSON, through a Writer that
//     escapes and formats like JSON.stringify. Composite values cross the
//     boundary as one string that JS parses in one call, which is also much
//     cheaper than one js.Value.Set per field.
//   - UnmarshalJS(r Reader) reads its properties with typed getters that
//     leave absent or null properties alone (so defaults survive) and record
//     the first mismatch as a *DecodeError naming the property path.
//
// The Writer is plain Go in internal/jsonw (the core writes its event
// details with it); this package holds what needs GOOS=js: the Reader and
// ValueOf.
package jsconv
