#!/usr/bin/env bash
# Native figures of the Go core's engine and timeline (core-engine).
# Prints FIGURE lines (best of 3 runs: the machine is shared); the Merge pair
# shows that merging is linear (10k/1k should be ~10, not ~100). The ms/op
# ratios come out at 14-15: a 10k timeline and its response (about 70 MB)
# no longer fit in the last-level cache, a 1k one does; the instructions are
# 10.0 times (bench/timeline_icount.sh, callgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
go test ./internal/engine -run '^$' -bench '^BenchmarkUpdate(Steady|InAd)$' -benchmem -count 3 |
  awk '/^BenchmarkUpdate/ { n=$1; sub(/^Benchmark/,"",n); sub(/-[0-9]+$/,"",n);
         if (!(n in t) || $3 < t[n]) t[n]=$3; if (!(n in a) || $7 > a[n]) a[n]=$7 }
       END { for (n in t) { print "FIGURE engine_" n " " t[n] " ns/op"; print "FIGURE engine_" n "_allocs " a[n] " allocs/op" } }'
go test ./internal/timeline -run '^$' -bench '^Benchmark(Merge1k|Merge10k|Remerge1k|Remerge10k|DecodeMerge1MB)$' -benchmem -count 3 |
  awk '/^Benchmark/ { n=$1; sub(/^Benchmark/,"",n); sub(/-[0-9]+$/,"",n); if (!(n in v) || $3 < v[n]) v[n]=$3 }
       END { for (n in v) printf "FIGURE timeline_%s %.2f ms/op\n", n, v[n]/1e6;
             if (v["Merge1k"] > 0) printf "FIGURE timeline_Merge10k_over_1k %.1f x\n", v["Merge10k"]/v["Merge1k"];
             if (v["Remerge1k"] > 0) printf "FIGURE timeline_Remerge10k_over_1k %.1f x\n", v["Remerge10k"]/v["Remerge1k"] }'
go test ./internal/tracking -run '^$' -bench '^BenchmarkDecode' -benchmem -count 3 |
  awk '/^BenchmarkDecode/ { n=$1; sub(/^Benchmark/,"",n); sub(/-[0-9]+$/,"",n); if (!(n in v) || $3 < v[n]) v[n]=$3 }
       END { for (n in v) printf "FIGURE tracking_%s %.2f ms/op\n", n, v[n]/1e6 }'
# Memory a 24 h live session holds in timeline + beacon dedupe (a size
# estimate, see TestLive24h): the 24 h figure must not exceed the 1 h one.
go test ./internal/engine -run '^TestLive24h$' -v -count 1 |
  sed -n 's/.*1 h: timeline \([0-9]*\) B, dedupe \([0-9]*\) B.*24 h: timeline \([0-9]*\) B, dedupe \([0-9]*\) B.*/\1 \2 \3 \4/p' |
  awk '{ print "FIGURE live_held_1h " $1+$2 " B"; print "FIGURE live_held_24h " $3+$4 " B" }'
