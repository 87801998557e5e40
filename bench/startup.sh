#!/usr/bin/env bash
# Startup bench: navigation → first presented frame with and without
# availkit (hls.js, dash.js, <availkit-player>), cold and warm, under
# Chromium network emulation (local; 10 Mbit/s 40 ms; 2 Mbit/s 150 ms),
# median of AK_STARTUP_RUNS (5); then the core's size per Go package.
# Needs dist/ (./build.sh bench builds it) and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
node bench/startup.mjs "$@"

# The core's size per Go package: an unstripped build with the same flags.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcflags=()
for g in ${WASM_GCFLAGS:-}; do gcflags+=(-gcflags="$g"); done
GOOS=js GOARCH=wasm go build "${gcflags[@]}" -o "$tmp/core.wasm" ./wasm
br=$(brotli -c dist/availkit.wasm | wc -c)
gz=$(gzip -9c dist/availkit.wasm | wc -c)
echo "FIGURE core_brotli_kb $(( (br + 512) / 1024 )) KB"
echo "FIGURE core_gzip_kb $(( (gz + 512) / 1024 )) KB"
node bench/wasmsize.mjs "$tmp/core.wasm" "$br" 25
