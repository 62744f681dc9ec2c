/**
 * The tracker's analytics methods, bound to its store, failure policy and WASender aliases:
 * `funnel()`, `recordConversion()`, and the interaction records of an ingested batch.
 */
import type { CanonicalEvent } from '../event/types.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { FailedPolicy } from '../tracking/present.js';
import { AnalyticsError } from './errors.js';
import { interactionsOf } from './interactions.js';
import { resolveFunnelQuery, toConversion } from './query.js';
import type { ConversionInput, FunnelQuery, FunnelReport, InteractionRecord } from './types.js';

/** What the tracker delegates to analytics. */
export interface TrackerAnalytics {
  funnel(query: FunnelQuery): Promise<FunnelReport>;
  recordConversion(messageId: string, input: ConversionInput): Promise<boolean>;
  /** Interaction records of a batch: empty when the store cannot keep them. */
  interactions(events: readonly CanonicalEvent[]): InteractionRecord[];
}

/** Binds the analytics methods to one tracker. */
export function createTrackerAnalytics(ctx: {
  store: StorageAdapter;
  policy: FailedPolicy;
  now: () => number;
  resolve: (id: string) => string;
}): TrackerAnalytics {
  const { store } = ctx;
  return {
    async funnel(query) {
      const q = resolveFunnelQuery(query, ctx.policy);
      if (!store.funnel) throw new AnalyticsError('unsupported', 'This store does not implement funnel(): use the memory or PostgreSQL store.');
      return store.funnel(q);
    },
    async recordConversion(messageId, input) {
      if (!store.recordConversion) throw new AnalyticsError('unsupported', 'This store does not implement recordConversion().');
      return store.recordConversion(toConversion(ctx.resolve(messageId), input, ctx.now()));
    },
    interactions(events) {
      return store.recordInteractions ? interactionsOf(events, ctx.resolve) : [];
    },
  };
}
