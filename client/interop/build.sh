#!/usr/bin/env bash
# Installs the interop test's pinned JavaScript client (package-lock.json: ethers v6 and ws) from the npm registry when
# it is missing or stale; from npm's cache when it holds them (--prefer-offline). Called by the client module's build.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --prefer-offline --no-audit --no-fund --loglevel=error
fi
