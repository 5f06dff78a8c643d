#!/usr/bin/env bash
# Installs the pinned contract toolchain (package-lock.json: solc-js, OpenZeppelin, ganache) from the npm registry when
# it is missing or stale, then compiles src/*.sol offline into OUT_DIR. Called by the settlement module's build.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: build.sh OUT_DIR}"
cd "$here"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
node compile.mjs "$out"
