#!/usr/bin/env bash
# The longest main-thread task on a 20,000-event, ~2.2 MB tracking reply in
# headless Chromium (issue 15): see bench/bigreply.mjs. Prints FIGURE lines.
# Needs dist/ (./build.sh bench builds it) and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/bigreply.mjs "$@"
