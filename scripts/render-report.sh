#!/usr/bin/env bash
# Screenshots a Berth HTML report with headless Chromium, to look at it or
# attach it to a CI run:  scripts/render-report.sh results/compare [shot.png] [height]
# (Debian/Ubuntu: apt-get install chromium). The report must exist: `berth report DIR`
# or `berth compare/sweep --html` writes DIR/report.html.
set -euo pipefail
dir="${1:?usage: render-report.sh DIR [PNG] [HEIGHT]}"
png="${2:-$dir/report.png}"
height="${3:-2400}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "render-report: no chromium on PATH" >&2; exit 1; }
[ -f "$dir/report.html" ] || { echo "render-report: $dir/report.html not found (run: berth report $dir)" >&2; exit 1; }
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="1280,$height" \
  --screenshot="$png" "file://$(cd "$dir" && pwd)/report.html" 2>/dev/null
echo "screenshot: $png"
