#!/usr/bin/env bash
# build.sh is the only home of build flags.
#   ./build.sh            build dist/ (plugin wasm, wasm_exec.js, web/ → dist/)
#   ./build.sh serve      build, then serve demo + emulator on 127.0.0.1:8080 (PORT=…)
#   ./build.sh test       every test: go vet, go test, wasm-under-node, browser e2e
#   ./build.sh bench      benchmarks; prints "FIGURE <name> <value> <unit>" lines
set -euo pipefail
cd "$(dirname "$0")"
export GOFLAGS="${GOFLAGS:-} -trimpath"
GOROOT_DIR="$(go env GOROOT)"
WASM_EXEC_DIR="$GOROOT_DIR/lib/wasm"
[ -f "$WASM_EXEC_DIR/wasm_exec.js" ] || WASM_EXEC_DIR="$GOROOT_DIR/misc/wasm"

# WASM_LDFLAGS strips the plugin; exported so bench/wasm.sh builds its
# hello-world floor the same way.
export WASM_LDFLAGS="-s -w"

build_wasm() {
  mkdir -p dist
  GOOS=js GOARCH=wasm go build -ldflags="$WASM_LDFLAGS" -o dist/availkit.wasm ./wasm
  if [ -d cmd/inspectwasm ]; then
    GOOS=js GOARCH=wasm go build -ldflags="-s -w" -o dist/inspect.wasm ./cmd/inspectwasm
  fi
  cp "$WASM_EXEC_DIR/wasm_exec.js" dist/wasm_exec.js
}

build_web() {
  mkdir -p dist
  # web/ is plain ES modules; copied as-is (minified copy made by the bench).
  cp -r web/. dist/
}

build() {
  build_wasm
  build_web
}

npm_deps() {
  if [ ! -d node_modules/hls.js ] || [ ! -d node_modules/dashjs ] || [ ! -d node_modules/playwright-core ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

cmd="${1:-build}"
case "$cmd" in
  build) build ;;
  serve)
    build
    npm_deps
    exec go run ./cmd/availkit serve --addr "127.0.0.1:${PORT:-8080}"
    ;;
  test)
    build
    go vet ./...
    go test -count=1 ./...
    # wasm packages under Node (go_js_wasm_exec)
    PATH="$WASM_EXEC_DIR:$PATH" GOOS=js GOARCH=wasm go test -count=1 ./wasm/...
    # dist/availkit.wasm + dist/availkit.js under Node, fake video and hooks
    node --test tests/node/
    if [ -d tests/browser ]; then
      npm_deps
      node --test --test-concurrency=1 tests/browser/
    fi
    ;;
  bench)
    build
    npm_deps
    for f in bench/*.sh; do [ -f "$f" ] && bash "$f"; done
    ;;
  *) echo "usage: $0 [build|serve|test|bench]" >&2; exit 2 ;;
esac
