#!/usr/bin/env bash
# Did a change make the engine or the order book faster or slower? Builds meridian.jar at each git revision given (in
# scratch worktrees outside the repository's tree) and runs `meridian bench compare` on them: one JVM, each build in
# its own class loader, rounds interleaved, paired ratios to the first revision (docs/performance.md, "Comparing
# builds"). Separate JVMs on a shared virtual machine differ by a third from one to the next; this does not.
# Usage: benchmarks/compare-revisions.sh REV REV [REV [REV]] [-- bench compare options]
#   e.g. benchmarks/compare-revisions.sh main HEAD -- --benchmark matching --multi
# "WORKTREE" as a revision stands for the working tree as it is (uncommitted changes included). The jars are kept in
# COMPARE_SCRATCH (default: a meridian-compare directory under TMPDIR), one per commit, and reused. The last revision
# runs the comparison, so it must have `bench compare`; the others may be any revision whose benchmark targets take
# `prefetch`.
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
scratch=${COMPARE_SCRATCH:-${TMPDIR:-/tmp}/meridian-compare}
revisions=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
  revisions+=("$1")
  shift
done
[ "${1:-}" = "--" ] && shift
if [ ${#revisions[@]} -lt 2 ] || [ ${#revisions[@]} -gt 4 ]; then
  echo "compare-revisions.sh: two to four revisions, got ${#revisions[@]}" >&2
  exit 2
fi
mkdir -p "$scratch"
builds=()
for rev in "${revisions[@]}"; do
  if [ "$rev" = WORKTREE ]; then
    (cd "$repo" && mvn -B -q package -pl app -am -DskipTests -Dcheckstyle.skip) >&2
    jar="$scratch/WORKTREE.jar"
    cp "$repo/app/target/meridian.jar" "$jar"
  else
    commit=$(git -C "$repo" rev-parse --verify "$rev^{commit}")
    jar="$scratch/$commit.jar"
    if [ ! -f "$jar" ]; then
      tree="$scratch/tree-$commit"
      git -C "$repo" worktree add --detach -f "$tree" "$commit" >/dev/null
      echo "building $rev ($commit)..." >&2
      (cd "$tree" && mvn -B -q package -pl app -am -DskipTests -Dcheckstyle.skip) >&2
      cp "$tree/app/target/meridian.jar" "$jar"
      git -C "$repo" worktree remove --force "$tree"
    fi
  fi
  echo "$rev = $jar" >&2
  builds+=(--build "$jar")
done
# The comparing JVM runs the last build's command; each build's code runs in its own class loader inside it. The
# launcher's JVM options (./meridian's, config/jvm-options.sh) apply to all of them alike.
# shellcheck source=../config/jvm-options.sh
source "$repo/config/jvm-options.sh"
read -r -a opts <<< "$(meridian_jvm_defaults "${MERIDIAN_JAVA_OPTS:-}")"
exec java ${opts[@]+"${opts[@]}"} ${MERIDIAN_JAVA_OPTS:-} -jar "$jar" bench compare "${builds[@]}" "$@"
