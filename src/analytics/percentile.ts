/**
 * Exact nearest-rank percentiles: of n ascending values, the p-quantile is the value at 1-based
 * position `ceil(p × n)` (at least 1). This is what PostgreSQL's `percentile_disc(p)` returns
 * (it computes the same `ceil(p * rows)` in float8), so both stores agree to the millisecond.
 */
import type { LatencyStats } from './types.js';

/**
 * The nearest-rank `p`-quantile (0 < p ≤ 1) of values sorted ascending; null when empty.
 *
 * @example
 * ```ts
 * nearestRank([10, 20, 30, 40], 0.5); // 20
 * ```
 */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const position = Math.max(1, Math.ceil(p * n));
  return sorted[Math.min(n, position) - 1] as number;
}

/** p50/p90/p99 of unsorted values (sorted in place). */
export function latencyStats(values: number[]): LatencyStats {
  values.sort((a, b) => a - b);
  return { count: values.length, p50: nearestRank(values, 0.5), p90: nearestRank(values, 0.9), p99: nearestRank(values, 0.99) };
}
