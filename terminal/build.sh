#!/usr/bin/env bash
# Installs the terminal's libraries (package-lock.json: lightweight-charts, ethers v6) from the npm registry when they
# are missing or stale (from npm's cache when it holds them), then copies each one's self-contained ES module and its
# licence into DIR, where the node serves them as /terminal/vendor/. Called by the terminal module's build.
set -euo pipefail
out="${1:?usage: build.sh DIR}"
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
fi
mkdir -p "$out"
cp node_modules/lightweight-charts/dist/lightweight-charts.standalone.production.mjs "$out/lightweight-charts.mjs"
cp node_modules/lightweight-charts/LICENSE "$out/lightweight-charts-license.txt"
cp node_modules/ethers/dist/ethers.min.js "$out/ethers.mjs"
cp node_modules/ethers/LICENSE.md "$out/ethers-license.txt"
