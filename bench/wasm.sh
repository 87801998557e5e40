#!/usr/bin/env bash
# wasm.sh prints the plugin's size figures, the JavaScript a page fetches to
# start a session, the core's size per Go package and the cost of one
# playhead update. Run through ./build.sh bench, which builds dist/ first
# and exports WASM_LDFLAGS, WASM_GCFLAGS and WASM_GOEXPERIMENT (build.sh is the
# only home of build flags).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${WASM_LDFLAGS:?run through ./build.sh bench}" "${WASM_GCFLAGS:?run through ./build.sh bench}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Sizes are printed in KB of 1000 bytes. brotli -q 11 is what build.sh
# ships as availkit.wasm.br; its .gz is zopfli's when installed, measured as
# shipped, and every other gzip figure is gzip -9 (the floor's too).
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
gcflags=()
for g in $WASM_GCFLAGS; do gcflags+=(-gcflags="$g"); done

plugin=$(brotli -q 11 -c dist/availkit.wasm | wc -c)
plugin_gz=$(wc -c < dist/availkit.wasm.gz)
plugin_gz9=$(gzip -9 -c dist/availkit.wasm | wc -c)

# The floor: a hello-world syscall/js program built the same way, in the
# same run, so the figure tracks the Go version in use.
mkdir -p "$tmp/floor"
cat > "$tmp/floor/main.go" <<'GO'
package main

import "syscall/js"

func main() { js.Global().Get("console").Call("log", "hello") }
GO
printf 'module floor\n\ngo 1.26\n' > "$tmp/floor/go.mod"
(cd "$tmp/floor" && GOOS=js GOARCH=wasm GOEXPERIMENT="${WASM_GOEXPERIMENT-}" GOFLAGS=-trimpath go build "${gcflags[@]}" -ldflags="$WASM_LDFLAGS" -o floor.wasm . &&
  GOOS=js GOARCH=wasm GOEXPERIMENT="${WASM_GOEXPERIMENT-}" GOFLAGS=-trimpath go build "${gcflags[@]}" -o floor-names.wasm .)
# The floor as the linker writes it, then packed as build.sh packs the
# plugin (cmd/wasmpack: the data segments joined, the names and line tables
# blanked); "above the floor" is against the packed floor, the same
# pipeline as the plugin. The plugin with its symbols kept
# (AK_WASM_SYMBOLS=1) shows what blanking them saves.
floor_raw_br=$(brotli -q 11 -c "$tmp/floor/floor.wasm" | wc -c)
floor_raw_gz=$(gzip -9 -c "$tmp/floor/floor.wasm" | wc -c)
go run ./cmd/wasmpack "$tmp/floor/floor.wasm" >/dev/null
floor=$(brotli -q 11 -c "$tmp/floor/floor.wasm" | wc -c)
floor_gz=$(gzip -9 -c "$tmp/floor/floor.wasm" | wc -c)

GOOS=js GOARCH=wasm GOEXPERIMENT="${WASM_GOEXPERIMENT-}" go build "${gcflags[@]}" -ldflags="$WASM_LDFLAGS" -o "$tmp/symbols.wasm" ./wasm
go run ./cmd/wasmpack -symbols "$tmp/symbols.wasm" >/dev/null
echo "FIGURE wasm_with_symbols_brotli $(kb "$(brotli -q 11 -c "$tmp/symbols.wasm" | wc -c)") KB (names and lines kept)"
echo "FIGURE wasm_with_symbols_gzip $(kb "$(gzip -9 -c "$tmp/symbols.wasm" | wc -c)") KB (names and lines kept)"
echo "FIGURE wasm_size_raw $(kb "$(wc -c < dist/availkit.wasm)") KB"
echo "FIGURE wasm_size_brotli $(kb "$plugin") KB"
echo "FIGURE wasm_size_gzip $(kb "$plugin_gz") KB (dist/availkit.wasm.gz as shipped)"
echo "FIGURE wasm_size_gzip9 $(kb "$plugin_gz9") KB (gzip -9, as a server compressing on the fly at its best)"
echo "FIGURE wasm_floor_brotli $(kb "$floor_raw_br") KB (as linked)"
echo "FIGURE wasm_floor_gzip $(kb "$floor_raw_gz") KB (as linked)"
echo "FIGURE wasm_floor_packed_brotli $(kb "$floor") KB"
echo "FIGURE wasm_floor_packed_gzip $(kb "$floor_gz") KB"
echo "FIGURE wasm_above_floor_brotli $(kb $((plugin - floor))) KB"
echo "FIGURE wasm_above_floor_gzip $(kb $((plugin_gz9 - floor_gz))) KB (gzip -9 both)"

# JavaScript to start a session, from the minified bundle in dist/.
node bench/jssize.mjs dist

# The core per Go package: unstripped builds (name section) with the same
# compiler flags, the floor beside it.
GOOS=js GOARCH=wasm GOEXPERIMENT="${WASM_GOEXPERIMENT-}" go build "${gcflags[@]}" -o "$tmp/core.wasm" ./wasm
node bench/wasmsize.mjs "$tmp/core.wasm" "$plugin" 24 "$tmp/floor/floor-names.wasm"

node bench/update.mjs
