#!/usr/bin/env bash
# richads.sh: rich-ads figures (issue 5) in headless Chromium:
#   time from adstart to the VPAID unit's AdStarted (good creative),
#   time from adstart to a companion's creativeView,
#   host JS heap before/after 50 consecutive VPAID ads (after forced GC).
# Prints "FIGURE <name> <value> <unit>" lines. PORT (default 18250).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/richads.mjs
