#!/usr/bin/env bash
# CI: load the HTML pages that `tcpsim batch` wrote in headless Chromium (see check-html.mjs):
# no console errors, no network requests, expected elements present.
# Usage: .ci/check-html.sh [REPORTS_DIR]   (default target/ci-reports)
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS="${1:-target/ci-reports}"
NODE_DIR="${CI_NODE_DIR:-target/ci-node}"
export DEBIAN_FRONTEND=noninteractive PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# Debian's nodejs (18) is new enough for the pinned playwright-core (1.61.x needs >= 18).
pkgs=()
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || pkgs+=(chromium)
if [ ${#pkgs[@]} -gt 0 ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${pkgs[@]}"
fi

# playwright-core at the exact version of .ci/package-lock.json, in a folder of its own.
want=$(node -p 'require("./.ci/package.json").dependencies["playwright-core"]')
have=$(node -p "try { require('./$NODE_DIR/node_modules/playwright-core/package.json').version } catch (e) { '' }")
if [ "$have" != "$want" ]; then
  mkdir -p "$NODE_DIR"
  cp .ci/package.json .ci/package-lock.json "$NODE_DIR/"
  npm ci --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error
fi

pages=()
[ -f "$REPORTS/index.html" ] && pages+=("$REPORTS/index.html")
for f in "$REPORTS"/*/report.html; do [ -f "$f" ] && pages+=("$f"); done
if [ ${#pages[@]} -lt 2 ]; then
  echo "check-html: expected $REPORTS/index.html and at least one $REPORTS/*/report.html" >&2
  exit 1
fi
CI_NODE_DIR="$NODE_DIR" node .ci/check-html.mjs "${pages[@]}"
