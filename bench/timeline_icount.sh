#!/usr/bin/env bash
# Instructions per op of the timeline merge benchmarks, counted by callgrind:
# the check that merging is linear which neither load on the shared machine
# nor the cache moves. The ms/op ratios of engine.sh also carry the memory
# hierarchy: a 1k timeline with its response (about 7 MB) stays in the
# last-level cache, a 10k one (about 70 MB) streams from memory on every
# poll, so there 10k costs 14-15 times 1k while the instructions are 10.
#
# Only Timeline.Merge and what it calls is counted (--toggle-collect), with
# the collector off (GOGC=off: its pacing is not repeatable) and one P. Each
# benchmark runs at two iteration counts and the difference is divided by
# the extra iterations, so the response built before the timer cancels out.
# Needs valgrind; takes about two minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "timeline_icount.sh: needs valgrind" >&2; exit 1; }
bin=$(mktemp -d)/timeline.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./internal/timeline

# count BENCH N: instructions inside Timeline.Merge over N iterations.
count() {
  local out="$bin.$1.$2.cg"
  # asyncpreemptoff: callgrind asserts on the runtime's preemption signals;
  # cpu.rdtscp=off: valgrind cannot decode RDTSCP, the run would die of
  # SIGILL part way and count short, so a run without PASS is an error.
  GOGC=off GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1,cpu.rdtscp=off valgrind --tool=callgrind --callgrind-out-file="$out" \
    '--toggle-collect=github.com/availkit/availkit/internal/timeline.(*Timeline).Merge' \
    "$bin" -test.run '^$' -test.bench "^Benchmark$1\$" -test.benchtime "$2x" >"$out.txt" 2>&1 || true
  grep -q '^PASS$' "$out.txt" || { echo "timeline_icount.sh: $1 $2x did not finish under valgrind" >&2; exit 1; }
  awk '/^(summary|totals):/ { print $2; exit }' "$out"
}

# perop BENCH LO HI: LO and HI are both > 1, so the benchmark function (and
# the response it builds) runs twice in each: once for N=1, once for N.
perop() {
  local a b
  a=$(count "$1" "$2") || exit 1
  b=$(count "$1" "$3") || exit 1
  echo "$1 $(((b - a) / ($3 - $2)))"
}

{
  perop Merge1k 4 12
  perop Merge10k 2 4
  perop Remerge1k 10 50
  perop Remerge10k 2 6
} | awk '{ v[$1]=$2; printf "FIGURE timeline_%s_instr %.1f M/op\n", $1, $2/1e6 }
         END { printf "FIGURE timeline_Merge10k_over_1k_instr %.2f x\n", v["Merge10k"]/v["Merge1k"];
               printf "FIGURE timeline_Remerge10k_over_1k_instr %.2f x\n", v["Remerge10k"]/v["Remerge1k"] }'
