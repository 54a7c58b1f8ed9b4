#!/usr/bin/env bash
# Regenerates docs/images/report-desktop.png and report-phone.png: the seed model's report in headless
# chromium at a desktop and a phone width. Needs chromium (apt-get install -y chromium) and a built drsim
# (DRSIM=path/to/drsim, default: swift run -c release drsim).
set -euo pipefail
cd "$(dirname "$0")/.."
drsim=${DRSIM:-}
if [ -z "$drsim" ]; then swift build -c release >/dev/null; drsim=.build/release/drsim; fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$drsim" run models/seed-active-passive.json --out "$out/seed-active-passive" --report --quiet
page="file://$out/seed-active-passive/report.html"
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-background-networking
       --user-data-dir="$out/profile")
chromium "${flags[@]}" --window-size=1280,1900 --screenshot="$PWD/docs/images/report-desktop.png" "$page" 2>/dev/null
chromium "${flags[@]}" --window-size=390,1500 --force-device-scale-factor=2 --screenshot="$PWD/docs/images/report-phone.png" "$page" 2>/dev/null
ls -l docs/images/report-*.png
