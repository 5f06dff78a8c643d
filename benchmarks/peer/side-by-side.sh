#!/usr/bin/env bash
# Meridian's order book against exchange-core's, side by side on two workloads (docs/performance.md, "Side by side with
# exchange-core"): exchange-core's own order-book workload, and Meridian's generated single-instrument workload (seed 1,
# 3,000,000 commands after 1,000 pre-fill orders) written as a CSV workload by `bench matching --write-workload`.
# Run from the repository root after `./meridian` has built (or `mvn -q package -DskipTests`). Fetches exchange-core's
# public source into a scratch directory outside the repository (network: GitHub and Maven Central), builds it there,
# checks that both books end Meridian's workload in the same state, and then alternates the books ROUNDS times,
# one line per book and workload. With "multi", each round also runs Meridian's --multi workload (128 books).
# Usage: benchmarks/peer/side-by-side.sh [SCRATCH_DIR] [ROUNDS] [multi]
# EXCHANGE_CORE_GIT names another place to clone exchange-core from (a mirror, for a machine without GitHub).
# Ends with each workload's ratio (Meridian's median over exchange-core's) per round and the median of the rounds:
# on a shared virtual machine one JVM's level can differ from the next one's by a third (docs/performance.md), so only
# rounds alternated within minutes compare, and a single round proves little.
set -euo pipefail
repo=$(pwd)
scratch=${1:-${TMPDIR:-/tmp}/meridian-peer}
rounds=${2:-3}
multi=${3:-}
if [ -n "$multi" ] && [ "$multi" != multi ]; then
  echo "side-by-side.sh: the third argument is 'multi' or nothing, not '$multi'" >&2
  exit 2
fi
# Both JVMs get the same options: SIDE_BY_SIDE_JAVA_OPTS (by default -XX:+UseG1GC, the JVM's own default named) and
# those of ./meridian's defaults it leaves open (config/jvm-options.sh; docs/operations.md, "JVM options"), all named,
# so that ./meridian adds nothing of its own to Meridian's JVM (for example SIDE_BY_SIDE_JAVA_OPTS="-XX:+UseParallelGC").
given="${SIDE_BY_SIDE_JAVA_OPTS:--XX:+UseG1GC}"
# shellcheck source=../../config/jvm-options.sh
source "$repo/config/jvm-options.sh"
jvm="$given $(meridian_jvm_defaults "$given")"
case "$jvm" in
  *TransparentHugePages*) ;;
  *) jvm="$jvm -XX:-UseTransparentHugePages" ;;
esac
export MERIDIAN_JAVA_OPTS="$jvm"
echo "JVM options of both books: $jvm"
commit=2f85487  # exchange-core master, 2022 (the last release line, 0.5.4-SNAPSHOT)
mkdir -p "$scratch"
if [ ! -d "$scratch/exchange-core" ]; then
  git clone -q "${EXCHANGE_CORE_GIT:-https://github.com/exchange-core/exchange-core.git}" "$scratch/exchange-core"
  git -C "$scratch/exchange-core" checkout -q "$commit"
  # Its perf test module imports a JDK 8 internal annotation; the generator and the books do not need it.
  rm -rf "$scratch/exchange-core/src/test/java/exchange/core2/tests/perf/modules"
fi
(cd "$scratch/exchange-core" && mvn -B -q test-compile -Dlombok.delombok.skip=true \
    -Dmaven.compiler.source=11 -Dmaven.compiler.target=11 \
  && mvn -B -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test)
echo  # Maven's quiet mode still prints colour resets with no line end
ec="$scratch/exchange-core"
cp="$scratch/harness:$ec/target/classes:$ec/target/test-classes:$(cat "$ec/cp.txt")"
mkdir -p "$scratch/harness"
javac -d "$scratch/harness" -cp "$cp" "$repo/benchmarks/peer/ExchangeCoreSideBySide.java"
[ -f "$scratch/ec-1k.csv" ] || java -cp "$cp" ExchangeCoreSideBySide csv "$scratch/ec-1k.csv" 2>/dev/null | grep -v DEBUG

# Meridian's workloads as CSV files, each with the state its replay through Meridian's book ends in (.state).
workloads=(ours-1)
[ -z "$multi" ] || workloads+=(ours-multi-1)
for w in "${workloads[@]}"; do
  if [ ! -f "$scratch/$w.csv" ] || [ ! -s "$scratch/$w.csv.state" ]; then
    flags=(); [ "$w" = ours-1 ] || flags=(--multi)
    out=$("$repo/meridian" bench matching "${flags[@]}" --seed 1 --write-workload "$scratch/$w.csv")
    echo "$out"
    sed -n 's/.*replays through Meridian.s book to the generated state: //p' <<<"$out" > "$scratch/$w.csv.state"
  fi
done

# Exchange-core's book on one of Meridian's workloads: its timing and latency lines, then whether its final book is
# the one Meridian's ends in (trades, resting orders per side and their digest; see ExchangeCoreSideBySide).
exchange_core_on() {
  local out state
  out=$(java $jvm -Xmx6g -cp "$cp" ExchangeCoreSideBySide replay "$scratch/$1.csv" 20 2>/dev/null | grep -v DEBUG)
  state=$(sed -n 's/^state: //p' <<<"$out")
  echo "$(grep -E 'cpu-based|OrderBookDirectImpl' <<<"$out" | tr "\n" " ")"
  if [ "$state" = "$(cat "$scratch/$1.csv.state")" ]; then
    echo "    same final book as Meridian's: $state"
  else
    echo "    FINAL BOOKS DIFFER: exchange-core $state, Meridian $(cat "$scratch/$1.csv.state")"
  fi
}
meridian_on() {
  "$repo/meridian" bench matching --workload "$scratch/$1.csv" --warmup 5 --runs 15 \
    | grep -E '^matching (throughput|latency)' | tr "\n" " "
}

# Meridian's median over exchange-core's, from the two lines' "median" figures (M ops/s), to two decimals.
ratio() {
  local ec ours
  ec=$(sed -n 's/.*wall: median \([0-9.]*\) M ops.*/\1/p' <<<"$1")
  ours=$(sed -n 's/.*matching throughput: \([0-9.]*\) M ops.*/\1/p' <<<"$2")
  if [ -n "$ec" ] && [ -n "$ours" ]; then awk -v a="$ours" -v b="$ec" 'BEGIN { printf "%.2f", a / b }'; else echo "?"; fi
}
declare -A ratios
for i in $(seq 1 "$rounds"); do
  echo "round $i ($(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo 'load average unknown'))"
  ec_line=$(java $jvm -Xmx6g -cp "$cp" ExchangeCoreSideBySide bench 20 - - full compact 2>/dev/null \
    | grep -E "cpu-based|OrderBookDirectImpl" | tr "\n" " ")
  echo "  exchange-core, its workload: $ec_line"
  ours_line=$(meridian_on ec-1k)
  echo "  meridian, its workload: $ours_line"
  ratios[ec-1k]+="$(ratio "$ec_line" "$ours_line") "
  for w in "${workloads[@]}"; do
    ec_line=$(exchange_core_on "$w")
    echo "  exchange-core, our workload $w: $ec_line"
    ours_line=$(meridian_on "$w")
    echo "  meridian, our workload $w: $ours_line"
    ratios[$w]+="$(ratio "$ec_line" "$ours_line") "
  done
  echo "  meridian, --shape exchange-core: $("$repo/meridian" bench matching --shape exchange-core --warmup 5 --runs 15 \
    | grep -E '^throughput_ops')"
done
for w in ec-1k "${workloads[@]}"; do
  median=$(tr ' ' '\n' <<<"${ratios[$w]}" | { grep -E '^[0-9.]+$' || true; } | sort -n \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "?"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
  echo "Meridian / exchange-core on $w, by round: ${ratios[$w]}(median $median)"
done
