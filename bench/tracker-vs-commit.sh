#!/usr/bin/env bash
# bench/tracker.ts on this work tree and on an older commit, in interleaved runs on the same
# machine: the like-for-like check of "ingest must not regress" (issue "The delivery core,
# redesigned", item 9). Absolute figures move between machines and days (the README's 0.31 M/s of
# 2026-11-21 came from a faster day than today's 0.18 M/s for the very same code), so a figure is
# only ever compared with one measured in the same run.
#
# The older commit is checked out into a temporary git worktree with its own `npm ci`; both trees
# run THIS tree's bench/tracker.ts (it only needs `createTracker` and `memoryStore` from their
# historic paths), and the older commit's own benchmark file too, when it has one.
#
#   bash bench/tracker-vs-commit.sh [commit=82fb232] [runs=3]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
commit="${1:-82fb232}"
runs="${2:-3}"
old="$(mktemp -d)/old"
copies=(bench/tracker-current.ts bench/harness-current.ts bench/tracker-own.ts)
cleanup() {
  git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true
  for f in "${copies[@]}"; do rm -f "$here/$f"; done
}
trap cleanup EXIT
git -C "$here" worktree add --detach "$old" "$commit" >/dev/null
(cd "$old" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
# This tree's benchmark into both trees; the older commit's own benchmark (if it has one) too.
own="$(git -C "$here" show "$commit:bench/tracker.ts" 2>/dev/null || true)"
for tree in "$here" "$old"; do
  cp "$here/bench/tracker.ts" "$tree/bench/tracker-current.ts"
  cp "$here/bench/harness.ts" "$tree/bench/harness-current.ts"
  sed -i "s#'./harness.js'#'./harness-current.js'#" "$tree/bench/tracker-current.ts"
  if [ -n "$own" ]; then printf '%s\n' "$own" > "$tree/bench/tracker-own.ts"; fi
done

line() { grep 'tracker.ingest' | sed 's/^ *tracker.ingest (memory store) *//'; }
echo "bench/tracker.ts of this tree, on this tree (HEAD $(git -C "$here" rev-parse --short HEAD)) and on $commit, $runs interleaved runs"
for i in $(seq "$runs"); do
  for tree in "$here" "$old"; do
    name=$([ "$tree" = "$here" ] && echo "this tree" || echo "$commit  ")
    echo "  run $i, $name: $(cd "$tree" && node --expose-gc --import tsx bench/tracker-current.ts | line)"
    if [ -f "$tree/bench/tracker-own.ts" ]; then
      echo "  run $i, $name, $commit's own bench/tracker.ts: $(cd "$tree" && node --import tsx bench/tracker-own.ts | line)"
    fi
  done
done
