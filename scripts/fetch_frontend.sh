#!/usr/bin/env sh
# Fetch the console's third-party front-end files (htmx, ECharts) from the npm registry into
# src/xborder/web/static/vendor/ (gitignored). Idempotent: exits at once when the files are already there.
# The console works without them (plain form posts; the chart area shows its data table).
set -eu

ROOT=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
VENDOR="$ROOT/src/xborder/web/static/vendor"
HTMX_SPEC="${HTMX_SPEC:-htmx.org@2}"
ECHARTS_SPEC="${ECHARTS_SPEC:-echarts@6}"

if [ -s "$VENDOR/htmx.min.js" ] && [ -s "$VENDOR/echarts.min.js" ] && [ "${1:-}" != "--force" ]; then
    echo "front-end vendor files present in $VENDOR"
    exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "npm not found: install Node.js/npm (Debian: apt-get install npm)" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM
cd "$TMP"
npm pack --silent "$HTMX_SPEC" "$ECHARTS_SPEC" >/dev/null
for tgz in *.tgz; do
    mkdir -p "x_$tgz" && tar -xzf "$tgz" -C "x_$tgz"
done
mkdir -p "$VENDOR"
cp x_htmx.org-*.tgz/package/dist/htmx.min.js "$VENDOR/htmx.min.js"
cp x_echarts-*.tgz/package/dist/echarts.min.js "$VENDOR/echarts.min.js"
# Keep the licences next to the files they cover.
cp x_htmx.org-*.tgz/package/LICENSE "$VENDOR/htmx.LICENSE" 2>/dev/null || true
cp x_echarts-*.tgz/package/LICENSE "$VENDOR/echarts.LICENSE" 2>/dev/null || true
echo "fetched $(ls "$VENDOR" | tr '\n' ' ') into $VENDOR"
