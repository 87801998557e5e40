#!/usr/bin/env bash
# Embedding figures: <availkit-player> connected → first ad frame presented
# (VOD pre-roll, 1×, fresh page each run: wasm, element and player library
# loaded cold) for hls.js and dash.js, and the npm tarball size. Prints FIGURE
# lines. Needs dist/ (./build.sh bench builds it) and /usr/bin/chromium.
# Ports 18321 (emulator) and 18322 (page server).
set -euo pipefail
cd "$(dirname "$0")/.."
node packaging/make-package.mjs dist >/dev/null
bytes=$(cd dist && npm pack --dry-run --json --loglevel=error | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].size))')
echo "FIGURE package_tarball_kb $(( (bytes + 512) / 1024 )) KB"
exec node bench/embed.mjs "$@"
