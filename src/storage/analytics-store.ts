/**
 * The analytics store contract: where interaction replies and conversions are kept, and where
 * the funnel of docs/analytics.md is computed (in JavaScript for the memory store, in SQL for
 * PostgreSQL). A store that also implements it receives interaction records inside the ingest
 * step (see {@link IngestStep.interactions}).
 *
 * @packageDocumentation
 */
import type { ConversionRecord, FunnelReport, InteractionRecord, StoreFunnelQuery } from '../analytics/types.js';
import type { StateStore } from './state-store.js';

/**
 * Analytics over a store's states.
 *
 * @example
 * ```ts
 * if (isAnalyticsStore(store)) console.log((await store.funnel(query)).rates.delivered);
 * ```
 */
export interface AnalyticsStore {
  /** Keeps interaction replies (idempotent by record id). */
  recordInteractions(records: readonly InteractionRecord[]): Promise<void>;
  /** Keeps a conversion; resolves false when its id was already recorded (nothing changes). */
  recordConversion(record: ConversionRecord): Promise<boolean>;
  /** The funnel report of docs/analytics.md, computed where the data lives. */
  funnel(query: StoreFunnelQuery): Promise<FunnelReport>;
}

/**
 * Whether a store also implements {@link AnalyticsStore}.
 *
 * @example
 * ```ts
 * isAnalyticsStore(memoryStore()); // true
 * ```
 */
export function isAnalyticsStore<T extends StateStore>(store: T): store is T & AnalyticsStore {
  const s = store as Partial<AnalyticsStore>;
  return typeof s.funnel === 'function' && typeof s.recordConversion === 'function' && typeof s.recordInteractions === 'function';
}
