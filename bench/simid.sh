#!/usr/bin/env bash
# simid.sh: SIMID figures (issue 16) in headless Chromium, with availkit's
# good SIMID test creative and a fake Session:
#   adstart → startCreative resolved (median, p95), cold and with a frame
#   prewarmed before the ad; host JS heap before/after 50 consecutive SIMID
#   ads (after forced GC) and the iframes left.
# Prints "FIGURE <name> <value> <unit>" lines. PORT (default 18260), RUNS
# (15), ADS (50).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/simid.mjs
