#!/usr/bin/env bash
# Emulator load figures: 2,000 concurrent live HLS sessions, each polling its
# media playlist and tracking URL every 2 s (staggered uniformly over the
# 2 s), against `availkit serve` in its own process; session-init
# throughput; the largest tracking response of a simulated 24 h live
# session. Prints "FIGURE <name> <value> <unit>" lines, with the machine's
# load average before and during the run: client-side latencies on a shared
# 2-core machine mean little without it.
#   SESSIONS=2000 DURATION=60s EMU_BENCH_PORT=18090 bash bench/emulator.sh
# The generator is a scheduler plus WORKERS goroutines on as many reused
# connections; the server and the generator each get GOMAXPROCS=1
# (SERVER_PROCS, CLIENT_PROCS) so that they split the two cores instead of
# fighting over both.
set -euo pipefail
cd "$(dirname "$0")/.."
SESSIONS="${SESSIONS:-2000}"
DURATION="${DURATION:-60s}"
PORT="${EMU_BENCH_PORT:-18090}"
WORKERS="${WORKERS:-64}"
SERVER_PROCS="${SERVER_PROCS:-1}"
CLIENT_PROCS="${CLIENT_PROCS:-1}"
DAY="${DAY:-true}"
bin="$(mktemp -d)/availkit"
go build -o "$bin" ./cmd/availkit
ulimit -n 16384 2>/dev/null || true
GOMAXPROCS="$SERVER_PROCS" "$bin" serve --addr "127.0.0.1:$PORT" --root . >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$(dirname "$bin")"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/debug/stats" >/dev/null 2>&1 && break
  sleep 0.1
done
"$bin" load --target "http://127.0.0.1:$PORT" --server-pid "$server" \
  --sessions "$SESSIONS" --duration "$DURATION" --workers "$WORKERS" --procs "$CLIENT_PROCS" --day="$DAY"
