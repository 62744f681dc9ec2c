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
cleanup() { git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true; }
trap cleanup EXIT
git -C "$here" worktree add --detach "$old" "$commit" >/dev/null
(cd "$old" && npm ci --ignore-scripts --no-audit --no-fund >/dev/null)
for tree in "$here" "$old"; do
  cp "$here/bench/tracker.ts" "$tree/bench/tracker-current.ts"
  cp "$here/bench/harness.ts" "$tree/bench/harness-current.ts"
  sed -i "s#'./harness.js'#'./harness-current.js'#" "$tree/bench/tracker-current.ts"
done
git -C "$old" show "$commit:bench/tracker.ts" > "$old/bench/tracker-own.ts" 2>/dev/null || rm -f "$old/bench/tracker-own.ts"
cp "$old/bench/tracker-own.ts" "$here/bench/tracker-own.ts" 2>/dev/null || true
trap 'cleanup; rm -f "$here/bench/tracker-current.ts" "$here/bench/harness-current.ts" "$here/bench/tracker-own.ts"' EXIT

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
