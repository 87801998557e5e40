#!/usr/bin/env bash
# Emulator under abuse (issue 15), loopback only and bounded in count and
# time:
#  1. 10,000 beacons with 400 KB queries to unknown session ids: the
#     server's RSS growth (the collector records known sessions only);
#  2. 500 slow-body connections (one byte every 5 s, re-opened when closed)
#     for DURATION while `availkit load` polls 2,000 live sessions: how long
#     the server kept each slow connection (ReadTimeout 15 s) and the
#     pollers' tracking p99.
# Prints "FIGURE <name> <value> <unit>" lines.
#   BEACONS=10000 QUERY_BYTES=400000 SLOW=500 SESSIONS=2000 DURATION=40s bash bench/emulator-abuse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${EMU_ABUSE_PORT:-18091}"
BEACONS="${BEACONS:-10000}"
QUERY_BYTES="${QUERY_BYTES:-400000}"
SLOW="${SLOW:-500}"
SESSIONS="${SESSIONS:-2000}"
DURATION="${DURATION:-40s}"
bin="$(mktemp -d)/availkit"
go build -o "$bin" ./cmd/availkit
ulimit -n 16384 2>/dev/null || true
GOMAXPROCS=1 "$bin" serve --addr "127.0.0.1:$PORT" --root . >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$(dirname "$bin")"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/debug/stats" >/dev/null 2>&1 && break
  sleep 0.1
done
target="http://127.0.0.1:$PORT"
GOMAXPROCS=1 "$bin" abuse --target "$target" --server-pid "$server" --phase beacons \
  --beacons "$BEACONS" --query-bytes "$QUERY_BYTES"
GOMAXPROCS=1 "$bin" abuse --target "$target" --phase slow --slow "$SLOW" --for "$DURATION" &
slow=$!
"$bin" load --target "$target" --server-pid "$server" --sessions "$SESSIONS" --duration "$DURATION" \
  --workers 64 --procs 1 --day=false
wait "$slow"
