#!/usr/bin/env bash
# wasm.sh prints the plugin's size figures and the cost of one playhead
# update. Run through ./build.sh bench, which builds dist/ first and exports
# WASM_LDFLAGS (build.sh is the only home of build flags).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${WASM_LDFLAGS:?run through ./build.sh bench}" "${WASM_GCFLAGS:?run through ./build.sh bench}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Sizes are printed in KB of 1000 bytes.
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }

plugin=$(brotli -q 11 -c dist/availkit.wasm | wc -c)

# The floor: a hello-world syscall/js program built the same way, in the
# same run, so the figure tracks the Go version in use.
mkdir -p "$tmp/floor"
cat > "$tmp/floor/main.go" <<'GO'
package main

import "syscall/js"

func main() { js.Global().Get("console").Call("log", "hello") }
GO
printf 'module floor\n\ngo 1.26\n' > "$tmp/floor/go.mod"
gcflags=()
for g in $WASM_GCFLAGS; do gcflags+=(-gcflags="$g"); done
(cd "$tmp/floor" && GOOS=js GOARCH=wasm GOFLAGS=-trimpath go build "${gcflags[@]}" -ldflags="$WASM_LDFLAGS" -o floor.wasm .)
floor=$(brotli -q 11 -c "$tmp/floor/floor.wasm" | wc -c)

# The JS layer as a page ships it: availkit.js and everything it imports
# (adapters, overlay, companions, VPAID runner), bundled and minified.
node_modules/.bin/esbuild web/availkit.js --bundle --minify --format=esm --log-level=error --outfile="$tmp/availkit.min.js"
js=$(gzip -9 -c "$tmp/availkit.min.js" | wc -c)

echo "FIGURE wasm_size_raw $(kb "$(wc -c < dist/availkit.wasm)") KB"
echo "FIGURE wasm_size_brotli $(kb "$plugin") KB"
echo "FIGURE wasm_floor_brotli $(kb "$floor") KB"
echo "FIGURE wasm_above_floor_brotli $(kb $((plugin - floor))) KB"
echo "FIGURE js_layer_gzip $(kb "$js") KB"
echo "FIGURE plugin_total_compressed $(kb $((plugin + js))) KB"
node bench/update.mjs
