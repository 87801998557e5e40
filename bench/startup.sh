#!/usr/bin/env bash
# Startup bench: navigation → first presented frame with and without
# availkit (hls.js, dash.js, <availkit-player>), cold and warm, under
# Chromium network emulation (local; 10 Mbit/s 40 ms; 2 Mbit/s 150 ms),
# median of AK_STARTUP_RUNS (5). Needs dist/ (./build.sh bench builds it)
# and /usr/bin/chromium. The sizes of the core and of the JavaScript are
# printed by bench/wasm.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
node bench/startup.mjs "$@"
