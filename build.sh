#!/usr/bin/env bash
# build.sh is the only home of build flags.
#   ./build.sh            build dist/ (plugin wasm, wasm_exec.js, web/ → dist/)
#   ./build.sh serve      build, then serve demo + emulator on 127.0.0.1:8080 (PORT=…)
#   ./build.sh test       every test: go vet, go test, wasm-under-node, browser e2e
#   ./build.sh bench      benchmarks; prints "FIGURE <name> <value> <unit>" lines
#   ./build.sh package    build, then make dist/ an npm package, packed to dist/availkit-<version>.tgz
#   ./build.sh fuzz       every Fuzz* target for FUZZTIME each (default 60s), one after another
set -euo pipefail
cd "$(dirname "$0")"
export GOFLAGS="${GOFLAGS:-} -trimpath"
GOROOT_DIR="$(go env GOROOT)"
WASM_EXEC_DIR="$GOROOT_DIR/lib/wasm"
[ -f "$WASM_EXEC_DIR/wasm_exec.js" ] || WASM_EXEC_DIR="$GOROOT_DIR/misc/wasm"

# WASM_LDFLAGS strips the plugin. WASM_GCFLAGS (space-separated -gcflags
# values) turns inlining off: Go's wasm backend makes inlined bodies large
# (every call site keeps its resume points). It used to keep inlining in
# the per-frame path (engine, timeline); without it the core is 3.1 KB
# brotli smaller and ak_update costs 240 ns in Chromium instead of 200
# (budget: 1 µs; docs/startup.md, sixth round). All are exported so
# bench/wasm.sh builds its hello-world floor the same way.
export WASM_LDFLAGS="-s -w"
export WASM_GCFLAGS="all=-l"
# WASM_GOEXPERIMENT: Go 1.26's default garbage collector (Green Tea) is
# built for many cores; a wasm module runs on one thread, where the previous
# collector does the same work with 8 KB less brotli of runtime (the
# per-frame call measured the same: docs/startup.md, sixth round). Go 1.27
# is to drop the opt-out; then the build takes the default.
WASM_GOEXPERIMENT=
if [ -f "$GOROOT_DIR/src/internal/goexperiment/exp_greenteagc_off.go" ]; then WASM_GOEXPERIMENT=nogreenteagc; fi
export WASM_GOEXPERIMENT
# gowasm runs go with the wasm target and the experiments above.
gowasm() { GOOS=js GOARCH=wasm GOEXPERIMENT="$WASM_GOEXPERIMENT" go "$@"; }

build_wasm() {
  mkdir -p dist
  local gcflags=() g
  for g in $WASM_GCFLAGS; do gcflags+=(-gcflags="$g"); done
  # go build leaves an output it thinks up to date alone, and the copy in
  # dist/ was rewritten by wasmpack below: link it afresh (from the cache).
  rm -f dist/availkit.wasm
  gowasm build "${gcflags[@]}" -ldflags="$WASM_LDFLAGS" -o dist/availkit.wasm ./wasm
  # Joins the linker's ~50,000 data segments into a few (the same memory
  # image: 52 KB less brotli, 80 KB less gzip), then blanks the type names
  # only a panic message prints and the function names, line and argument
  # tables only a traceback prints (72 KB less brotli); internal/wasmpack.
  # AK_WASM_SYMBOLS=1 keeps them, for a build whose panics say where they
  # happened.
  local keep=()
  if [ "${AK_WASM_SYMBOLS:-}" = 1 ]; then keep=(-symbols); fi
  go run ./cmd/wasmpack "${keep[@]}" dist/availkit.wasm >/dev/null
  compress_wasm
  if [ -d cmd/inspectwasm ]; then
    gowasm build -ldflags="-s -w" -o dist/inspect.wasm ./cmd/inspectwasm
  fi
  cp "$WASM_EXEC_DIR/wasm_exec.js" dist/wasm_exec.js
}

# compress_wasm writes the pre-compressed copies the emulator (and any
# static host) serves with Content-Encoding: availkit.wasm.br (brotli -q 11)
# and availkit.wasm.gz, by zopfli when installed (a deflate encoder that
# searches longer: 633 KB instead of gzip -9's 669, for 12 s of build; any
# gzip decoder reads it). The copies are kept when the module and the
# encoders are the ones they were made from (./build.sh package after a
# build does not spend the 12 s again).
compress_wasm() {
  local gz=gzip sum
  command -v zopfli >/dev/null && gz=zopfli
  sum="$(sha256sum dist/availkit.wasm | cut -d' ' -f1) $gz $(command -v brotli || true)"
  if ! [ -f dist/availkit.wasm.gz ] || ! { [ -f dist/availkit.wasm.br ] || ! command -v brotli >/dev/null; } ||
    [ "$(cat dist/.availkit.wasm.sum 2>/dev/null)" != "$sum" ]; then
    rm -f dist/availkit.wasm.br dist/availkit.wasm.gz dist/.availkit.wasm.sum
    if [ $gz = zopfli ]; then
      zopfli --i5 -c dist/availkit.wasm > dist/availkit.wasm.gz
    else
      echo "build: no zopfli command: availkit.wasm.gz made by gzip -9, about 36 KB larger (apt-get install zopfli)" >&2
      gzip -9kf dist/availkit.wasm
    fi
    if command -v brotli >/dev/null; then
      brotli -kf dist/availkit.wasm
    else
      echo "build: no brotli command: dist/ has availkit.wasm.gz but no .br (apt-get install brotli)" >&2
    fi
    echo "$sum" > dist/.availkit.wasm.sum
  fi
  # The emulator serves a copy only if it is not older than the module;
  # brotli keeps the time to the second only.
  touch -r dist/availkit.wasm dist/availkit.wasm.gz && if [ -f dist/availkit.wasm.br ]; then touch -r dist/availkit.wasm dist/availkit.wasm.br; fi
}

# WEB_BUNDLE_ENTRIES are the minified bundle's entry points (paths under
# web/): the package entries, then each part mount.js loads on demand. A
# part is an entry of its own so that it keeps its directory (vpaid/runner
# finds frame.html beside itself through import.meta.url) and a readable
# name; code shared between entries goes to dist/chunk-HASH.js.
WEB_BUNDLE_ENTRIES="availkit.js element/availkit-player.js ui/overlay.js ui/icons.js overlay/nonlinear.js companions/renderer.js vpaid/runner.js simid/host.js omid/driver.js"

build_web() {
  mkdir -p dist
  # web/ is plain ES modules, copied as-is: tests and the QA page import them.
  cp -r web/. dist/
  # Beside them, the minified bundle a page imports in production:
  # dist/availkit.min.js, dist/element/availkit-player.min.js and one
  # .min.js per lazy part, loaded by dynamic import. Skipped without
  # node_modules (esbuild is a devDependency).
  if [ ! -x node_modules/.bin/esbuild ]; then
    echo "build: node_modules missing, no minified bundle in dist/ (run npm ci)" >&2
    return 0
  fi
  local entries=() e
  rm -f dist/chunk-*.js # hashed names: an old build's would stay behind
  # --mangle-props shortens the private members (_name) across the whole
  # bundle, one build so that every chunk agrees: 0.4 KB gzip of the start.
  # No code outside the bundle may read them (tests use web/, not the bundle).
  for e in $WEB_BUNDLE_ENTRIES; do entries+=("web/$e"); done
  node_modules/.bin/esbuild "${entries[@]}" --bundle --splitting --format=esm --minify \
    --mangle-props='^_[a-z]' --outbase=web --outdir=dist --entry-names='[dir]/[name].min' --chunk-names='chunk-[hash]' --log-level=warning
  # Go's wasm_exec.js, minified in place (its licence header kept): the
  # loader imports it beside availkit.js, bundled or not.
  node_modules/.bin/esbuild "$WASM_EXEC_DIR/wasm_exec.js" --minify --log-level=warning \
    --banner:js="$(sed -n '1,3p' "$WASM_EXEC_DIR/wasm_exec.js")" --outfile=dist/wasm_exec.js
}

# build_vendor copies the player libraries the <availkit-player> element
# loads by default (dist/vendor/) with their licences. Skipped when
# node_modules is absent: pages then bring their own hls.js/dash.js.
build_vendor() {
  if [ ! -d node_modules/hls.js/dist ] || [ ! -d node_modules/dashjs/dist/modern/esm ]; then
    echo "build: node_modules missing, dist/vendor/ not filled (run npm ci)" >&2
    return 0
  fi
  mkdir -p dist/vendor
  cp node_modules/hls.js/dist/hls.min.mjs node_modules/hls.js/dist/hls.worker.js dist/vendor/
  cp node_modules/hls.js/LICENSE dist/vendor/hls.js.LICENSE
  cp node_modules/dashjs/dist/modern/esm/dash.all.min.js dist/vendor/
  cp node_modules/dashjs/LICENSE.md dist/vendor/dashjs.LICENSE.md
}

build() {
  build_wasm
  build_web
  build_vendor
}

# package turns dist/ into an npm package (dist/package.json from VERSION,
# dist/README.md) and packs it into dist/availkit-<version>.tgz (its
# "files" list keeps the tarball and QA-only files out of the package).
package() {
  build
  node packaging/make-package.mjs dist
  rm -f dist/availkit-*.tgz
  (cd dist && npm pack --silent)
}

npm_deps() {
  if [ ! -d node_modules/hls.js ] || [ ! -d node_modules/dashjs ] || [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# fuzz runs every Fuzz* target under internal/ for FUZZTIME, one after
# another (go test fuzzes one target of one package at a time), and prints
# "FIGURE fuzz_<target> <executions> execs" per target and the failures. A
# crasher is written by go test into the package's testdata/fuzz/<target>/,
# where plain `go test` (./build.sh test) replays it as a regression seed:
# commit it with the fix. Exits non-zero when any target failed.
fuzz() {
  local time="${FUZZTIME:-60s}" failed=0 short=0 n=0 file name pkg log execs
  log="$(mktemp)"
  while IFS=: read -r file name; do
    pkg="./$(dirname "$file")"
    n=$((n + 1))
    if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$time" "$pkg" >"$log" 2>&1; then
      execs="$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
      echo "FIGURE fuzz_${name} ${execs:-0} execs ($pkg, $time)"
    elif grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input written' "$log"; then
      # The fuzzer ran out of FUZZTIME while still replaying the seed
      # corpus (a large one on a loaded machine): no input failed, but
      # nothing new was tried either.
      short=$((short + 1))
      echo "FIGURE fuzz_${name} 0 execs ($pkg, $time: seed corpus not replayed in time, raise FUZZTIME)"
    else
      failed=$((failed + 1))
      echo "FAIL fuzz ${name} ($pkg):" >&2
      grep -v '^fuzz: elapsed' "$log" | tail -25 >&2
    fi
  done < <(grep -rlE --include='*_test.go' '^func Fuzz' internal | sort | while read -r f; do
    grep -oE '^func Fuzz[A-Za-z0-9_]*' "$f" | sed "s|^func |$f:|"
  done)
  rm -f "$log"
  echo "FIGURE fuzz_failures ${failed} of ${n} targets (${short} ran out of time before fuzzing)"
  [ "$failed" -eq 0 ]
}

cmd="${1:-build}"
case "$cmd" in
  build) build ;;
  package) package ;;
  serve)
    npm_deps
    build
    exec go run ./cmd/availkit serve --addr "127.0.0.1:${PORT:-8080}"
    ;;
  test)
    npm_deps
    build
    go vet ./...
    go test -count=1 ./...
    # wasm packages under Node (go_js_wasm_exec), and the inspector module
    PATH="$WASM_EXEC_DIR:$PATH" gowasm test -count=1 ./wasm/... ./cmd/inspectwasm/
    # dist/availkit.wasm + dist/availkit.js under Node, fake video and hooks
    node --test tests/node/
    # the .d.ts files and a page using them type-check (typescript is a devDependency)
    [ -x node_modules/.bin/tsc ] || npm ci --no-audit --no-fund --loglevel=error
    node_modules/.bin/tsc --noEmit -p tests/types
    # cmd/vastdump against @dailymotion/vast-client as an independent oracle (corpus VAST)
    node --test tests/conformance/
    if [ -d tests/browser ]; then
      npm_deps
      node --test --test-concurrency=1 tests/browser/
    fi
    # the npm package: pack, install offline into a scratch project, play; README API tables vs .d.ts
    AK_PACKAGE_NO_BUILD=1 node --test --test-concurrency=1 tests/package/
    ;;
  bench)
    npm_deps
    build
    for f in bench/*.sh; do [ -f "$f" ] && bash "$f"; done
    ;;
  fuzz) fuzz ;;
  *) echo "usage: $0 [build|serve|test|bench|package|fuzz]" >&2; exit 2 ;;
esac
