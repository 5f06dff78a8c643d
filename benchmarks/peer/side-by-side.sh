#!/usr/bin/env bash
# Meridian's order book against exchange-core's, side by side on exchange-core's own order-book workload
# (docs/performance.md, "Side by side with exchange-core"). Run from the repository root after `./meridian` has built
# (or `mvn -q package -DskipTests`). Fetches exchange-core's public source into a scratch directory outside the
# repository (network: GitHub and Maven Central), builds it there, and then alternates the two books ROUNDS times.
# Usage: benchmarks/peer/side-by-side.sh [SCRATCH_DIR] [ROUNDS]
set -euo pipefail
repo=$(pwd)
scratch=${1:-${TMPDIR:-/tmp}/meridian-peer}
rounds=${2:-3}
commit=2f85487  # exchange-core master, 2022 (the last release line, 0.5.4-SNAPSHOT)
mkdir -p "$scratch"
if [ ! -d "$scratch/exchange-core" ]; then
  git clone -q https://github.com/exchange-core/exchange-core.git "$scratch/exchange-core"
  git -C "$scratch/exchange-core" checkout -q "$commit"
  # Its perf test module imports a JDK 8 internal annotation; the generator and the books do not need it.
  rm -rf "$scratch/exchange-core/src/test/java/exchange/core2/tests/perf/modules"
fi
(cd "$scratch/exchange-core" && mvn -B -q test-compile -Dlombok.delombok.skip=true \
    -Dmaven.compiler.source=11 -Dmaven.compiler.target=11 \
  && mvn -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test)
ec="$scratch/exchange-core"
cp="$scratch/harness:$ec/target/classes:$ec/target/test-classes:$(cat "$ec/cp.txt")"
mkdir -p "$scratch/harness"
javac -d "$scratch/harness" -cp "$cp" "$repo/benchmarks/peer/ExchangeCoreSideBySide.java"
[ -f "$scratch/ec-1k.csv" ] || java -cp "$cp" ExchangeCoreSideBySide csv "$scratch/ec-1k.csv" 2>/dev/null | grep -v DEBUG
for i in $(seq 1 "$rounds"); do
  echo "round $i"
  echo "  exchange-core: $(java -Xmx6g -cp "$cp" ExchangeCoreSideBySide bench 20 - - full compact 2>/dev/null | grep -E "cpu-based|OrderBookDirectImpl" | tr "\n" " ")"
  echo "  meridian, its workload: $("$repo/meridian" bench matching --workload "$scratch/ec-1k.csv" --warmup 5 --runs 15 \
    | grep -E '^throughput_ops')"
  echo "  meridian, --shape exchange-core: $("$repo/meridian" bench matching --shape exchange-core --warmup 5 --runs 15 \
    | grep -E '^throughput_ops')"
done
