#!/usr/bin/env bash
# Beacon timing in headless Chromium at 1×: a full VOD run per player, then
# plugin load time and the per-frame JS→core update cost. Prints FIGURE lines.
# Needs dist/ (./build.sh bench builds it) and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/beacons.mjs "$@"
