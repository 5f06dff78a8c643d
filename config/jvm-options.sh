# The JVM options every meridian command runs with unless MERIDIAN_JAVA_OPTS makes the choice itself: sourced by
# ./meridian and the benchmark scripts (benchmarks/compare-revisions.sh, benchmarks/peer/side-by-side.sh), so that
# all of them run the same JVM. Why each one, and what was left out: docs/operations.md, "JVM options".

# The major version of the java on PATH (from its release file), or nothing when it cannot be read.
meridian_java_major() {
  local home
  home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" 2>/dev/null || true
}

# Prints the default options (space-separated) that the options given as $1 leave open:
# - transparent huge pages where the kernel offers them (madvise or always): fewer TLB misses once the books outgrow
#   the caches (+18% on the 128-book benchmark by the medians of five pairs); not when $1 makes a huge-page choice.
# - G1's concurrent card refinement on fixed thresholds instead of its adaptive ones: with the adaptive ones, most JVMs
#   running the 128-book engine benchmark kept a refinement thread busy on the other core, cleaning the cards the
#   engine thread dirties again at once, and ran 25% slower with a p99.99 of 350 us; with these every run had
#   61-76 us, and the young pauses of a node under load stayed as short (docs/performance.md, "Issue 23, ninth
#   sitting"). JDK 17-19 only (JDK 20 reworked refinement; later JDKs refuse the flags); not when $1 picks another
#   collector or sets refinement itself. The collector stays the JVM's default, G1. The engine's JvmAdvice repeats
#   these values for a node or cluster member started without them (its test reads this file).
meridian_jvm_defaults() {
  local given="${1:-}"
  local out=()
  case "$given" in
    *TransparentHugePages*) ;;
    *) if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
         out+=(-XX:+UseTransparentHugePages)
       fi ;;
  esac
  case "$given" in
    *UseParallelGC*|*UseSerialGC*|*UseZGC*|*UseShenandoahGC*|*ConcRefinement*) ;;
    *) case "$(meridian_java_major)" in
         17|18|19) out+=(-XX:-G1UseAdaptiveConcRefinement -XX:G1ConcRefinementGreenZone=256
                         -XX:G1ConcRefinementYellowZone=512 -XX:G1ConcRefinementRedZone=1024) ;;
       esac ;;
  esac
  echo "${out[*]:-}"
}
