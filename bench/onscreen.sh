#!/usr/bin/env bash
# On-screen beacon timing in headless Chromium at 1×: each player × media
# variant plays the VOD session once (or, for a `:live` run, two breaks of
# the live channel) while every presented frame is read back; prints FIGURE
# lines. Needs dist/ and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/onscreen.mjs "$@"
