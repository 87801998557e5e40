#!/usr/bin/env bash
# lint.sh times `availkit lint FILE` as a user runs it: one process per
# corpus tracking JSON, wall time from exec to exit (findings printed),
# REPEAT runs each (default 5). Prints the median and the worst file's
# median, and the worst single run. Needs AVAILKIT_CORPUS (../shared/corpus
# beside the checkout by default).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${AVAILKIT_CORPUS:-../shared/corpus}"
repeat="${REPEAT:-5}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/availkit" ./cmd/availkit
mapfile -t files < <(find "$corpus/mediatailor/json" -name '*.json' | sort)
[ "${#files[@]}" -gt 0 ] || { echo "no tracking JSON under $corpus/mediatailor/json" >&2; exit 1; }
for f in "${files[@]}"; do
  for _ in $(seq "$repeat"); do
    t0=$(date +%s%N)
    "$tmp/availkit" lint "$f" >/dev/null 2>&1 || true # findings exit 1
    t1=$(date +%s%N)
    echo "$(( (t1 - t0) / 1000 )) $f"
  done
done > "$tmp/times"
awk -v n="${#files[@]}" -v r="$repeat" '
  { us[NR] = $1; per[$2] = per[$2] " " $1; if ($1 > worst) worst = $1 }
  function median(s,   a, k, i, j, t) {
    k = split(s, a, " ")
    for (i = 2; i <= k; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
    return a[int((k + 1) / 2)]
  }
  END {
    all = ""; for (i = 1; i <= NR; i++) all = all " " us[i]
    wf = 0; for (f in per) { m = median(per[f]); if (m > wf) { wf = m; wname = f } }
    printf "FIGURE lint_process_median_ms %.1f (%d corpus files x %d runs)\n", median(all) / 1000, n, r
    printf "FIGURE lint_process_worst_file_median_ms %.1f (%s)\n", wf / 1000, wname
    printf "FIGURE lint_process_max_ms %.1f\n", worst / 1000
  }' "$tmp/times"
