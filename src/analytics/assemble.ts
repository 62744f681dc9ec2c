/**
 * The last step every store shares: rates, sort orders and the report's shape are computed here
 * from integer counts and exact percentiles, so the memory and PostgreSQL stores cannot differ in
 * rounding or ordering.
 */
import type { ErrorClass } from '../event/types.js';
import type { FailureCount, FunnelBucket, FunnelReport, FunnelStats, InteractionStat, LatencyStats, PricingCount, RevenueStat, StoreFunnelQuery } from './types.js';

/** Counts and exact latencies of a set of states, before rates and ordering. */
export interface RawStats {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  played: number;
  failed: number;
  /** See {@link FunnelStats.expired}. */
  expired: number;
  sentToDelivered: LatencyStats;
  sentToRead: LatencyStats;
  byCode: FailureCount[];
  byPricingCategory: PricingCount[];
  /** Failed states per error class (a state counts once per class it carries). */
  byClass: Partial<Record<ErrorClass, number>>;
}

/** Code-unit order, null first (PostgreSQL `COLLATE "C"`, `NULLS FIRST`). */
export function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);

/** Rates and sorted breakdowns of raw stats. */
export function finishStats(raw: RawStats): FunnelStats {
  return {
    total: raw.total,
    sent: raw.sent,
    delivered: raw.delivered,
    read: raw.read,
    played: raw.played,
    failed: raw.failed,
    expired: raw.expired,
    rates: {
      sent: ratio(raw.sent, raw.total),
      delivered: ratio(raw.delivered, raw.sent),
      read: ratio(raw.read, raw.delivered),
      played: ratio(raw.played, raw.read),
      failed: ratio(raw.failed, raw.total),
    },
    latency: { sentToDelivered: raw.sentToDelivered, sentToRead: raw.sentToRead },
    failures: {
      byCode: [...raw.byCode].sort((a, b) => compareText(a.code, b.code) || compareText(a.class, b.class)),
      byClass: { retryable: raw.byClass.retryable ?? 0, permanent: raw.byClass.permanent ?? 0, policy: raw.byClass.policy ?? 0, unknown: raw.byClass.unknown ?? 0 },
    },
    byPricingCategory: [...raw.byPricingCategory].sort((a, b) => compareText(a.category, b.category)),
  };
}

/** Interaction rows without their rate, as a store aggregates them. */
export type RawInteraction = Omit<InteractionStat, 'clickThroughRate'>;

/** Builds the report from the overall stats, the per-bucket stats, interactions and revenue. */
export function buildReport(
  q: StoreFunnelQuery,
  overall: RawStats,
  buckets: ReadonlyArray<{ start: number; stats: RawStats }>,
  interactions: readonly RawInteraction[],
  deliveredMessages: number,
  revenue: readonly RevenueStat[],
): FunnelReport {
  const sortedBuckets: FunnelBucket[] = [...buckets]
    .sort((a, b) => a.start - b.start)
    .map((b) => ({ start: new Date(b.start).toISOString(), ...finishStats(b.stats) }));
  return {
    from: new Date(q.fromMs).toISOString(),
    to: new Date(q.toMs).toISOString(),
    groupBy: q.groupBy ?? null,
    ...finishStats(overall),
    buckets: q.groupBy === undefined ? [] : sortedBuckets,
    interactions: interactions
      .map((i) => ({ ...i, clickThroughRate: ratio(i.messages, deliveredMessages) }))
      .sort((a, b) => compareText(a.kind, b.kind) || compareText(a.replyId, b.replyId) || compareText(a.title, b.title)),
    revenue: [...revenue].sort((a, b) => compareText(a.campaign, b.campaign) || compareText(a.currency, b.currency)),
    deliveredMessages,
  };
}

/** An empty {@link RawStats}. */
export function emptyRawStats(): RawStats {
  const none: LatencyStats = { count: 0, p50: null, p90: null, p99: null };
  return { total: 0, sent: 0, delivered: 0, read: 0, played: 0, failed: 0, expired: 0, sentToDelivered: none, sentToRead: { ...none }, byCode: [], byPricingCategory: [], byClass: {} };
}
