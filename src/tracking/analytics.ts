/**
 * The tracker's analytics: `funnel()` and `recordConversion()` over its store. A store that keeps
 * analytics answers itself (SQL in PostgreSQL); over any other store the funnel is computed from
 * `scanStates()` in JavaScript (delivery counts, latencies and failures; no interaction replies or
 * revenue, which only analytics stores keep).
 */
import { computeFunnel } from '../analytics/memory-funnel.js';
import { resolveFunnelQuery, toConversion } from '../analytics/query.js';
import { AnalyticsError } from '../analytics/errors.js';
import type { ConversionInput, FunnelQuery, FunnelReport } from '../analytics/types.js';
import type { FailedPolicy } from '../state/present.js';
import type { DeliveryState } from '../state/state.js';
import { isAnalyticsStore } from '../storage/analytics-store.js';
import type { StateStore } from '../storage/state-store.js';

/** What the tracker delegates to analytics. */
export interface TrackerAnalytics {
  funnel(query: FunnelQuery): Promise<FunnelReport>;
  recordConversion(messageId: string, input: ConversionInput): Promise<boolean>;
}

/**
 * Reads every state of a store, page by page.
 *
 * @example
 * ```ts
 * const states = await allStates(store);
 * ```
 */
export async function allStates(store: StateStore, pageSize = 1000): Promise<DeliveryState[]> {
  const out: DeliveryState[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.scanStates({ cursor, limit: pageSize });
    out.push(...page.states);
    cursor = page.cursor;
  } while (cursor !== null);
  return out;
}

/** Binds the analytics methods to one tracker. */
export function createTrackerAnalytics(ctx: { store: StateStore; policy: FailedPolicy; now: () => number }): TrackerAnalytics {
  const { store } = ctx;
  return {
    async funnel(query) {
      const q = resolveFunnelQuery(query, ctx.policy);
      if (isAnalyticsStore(store)) return store.funnel(q);
      return computeFunnel(await allStates(store), [], [], q);
    },
    async recordConversion(messageId, input) {
      if (!isAnalyticsStore(store)) throw new AnalyticsError('unsupported', 'This store does not keep conversions: use the memory or PostgreSQL store.');
      return store.recordConversion(toConversion(messageId, input, ctx.now()));
    },
  };
}
