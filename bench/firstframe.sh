#!/usr/bin/env bash
# Where a VOD pre-roll's first beacons wait, per player, in headless
# Chromium: the tracking poll against the manifest, the core's work on the
# reply, the first frame's callback, the first beacon request. Needs dist/
# and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node bench/firstframe.mjs "$@"
