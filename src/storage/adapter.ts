/**
 * The storage contract. A store owns two atomic operations, `claim` (dedupe) and `merge` (the
 * lattice join of docs/delivery-state.md applied to a stored state); everything else is
 * optional. `bluetick/testing` runs the conformance suite every adapter must pass.
 *
 * Errors a store raises must be {@link StorageError}s with a code (`unavailable`, `timeout`,
 * `closed`, …): the tracker lets them propagate and the webhook handler answers 503.
 *
 * @packageDocumentation
 */
import type { Provider } from '../event/types.js';
import type { ConversionRecord, FunnelReport, InteractionRecord, StoreFunnelQuery } from '../analytics/types.js';
import type { DeliveryState } from '../tracking/state.js';

/** One merge of a batch. */
export interface MergeItem {
  key: string;
  observation: DeliveryState;
}

/** What a merge returns: the stored state before (null when new) and after the join. */
export interface MergeResult {
  before: DeliveryState | null;
  after: DeliveryState;
}

/** Query of {@link StorageAdapter.findStale}. */
export interface StaleQuery {
  /** Epoch ms: states whose current progress timestamp is earlier than this. */
  olderThan: number;
  /** Progress statuses to look for (by rank name). */
  statuses: ReadonlyArray<'pending' | 'sent' | 'delivered' | 'read'>;
  limit?: number;
}

/** Identity of a message across recipients/participants, for {@link StorageAdapter.findByMessage}. */
export interface MessageRef {
  messageId: string;
  provider?: Provider;
  accountId?: string | null;
}

/**
 * A delivery-state store.
 *
 * @example
 * ```ts
 * const store: StorageAdapter = memoryStore();
 * if (await store.claim(event.id, 8 * 86_400_000)) {
 *   const { before, after } = await store.merge(trackingKey(event), observe(event));
 * }
 * ```
 */
export interface StorageAdapter {
  /** Atomically claims an id: true for the first caller, false while the claim lives (ttlMs). */
  claim(id: string, ttlMs: number): Promise<boolean>;
  /**
   * Atomically joins `observation` into the state stored under `key` (creating it) and returns
   * the state before and after. Concurrent merges of the same key must all be reflected.
   */
  merge(key: string, observation: DeliveryState): Promise<MergeResult>;
  /** The stored state, or null. */
  get(key: string): Promise<DeliveryState | null>;
  /** Batch claim: same answers as claiming each id in order (a repeated id is false the 2nd time). */
  claimMany?(ids: readonly string[], ttlMs: number): Promise<boolean[]>;
  /** Batch merge: same results as merging each item in order. */
  mergeMany?(items: readonly MergeItem[]): Promise<MergeResult[]>;
  /**
   * States without failure whose rank is one of `statuses` and whose timestamp at that rank is
   * earlier than `olderThan` (0, unknown, counts as earlier). Order unspecified.
   */
  findStale?(query: StaleQuery): Promise<DeliveryState[]>;
  /** Every state of a message (all recipients and group participants). */
  findByMessage?(ref: MessageRef): Promise<DeliveryState[]>;
  /** Health check: resolves when the store answers, rejects with a StorageError otherwise. */
  ping?(): Promise<void>;
  /** Releases connections and timers. Operations after close reject with StorageError `closed`. */
  close(): Promise<void>;
  /** Keeps interaction replies for the funnel (idempotent by record id). See docs/analytics.md. */
  recordInteractions?(records: readonly InteractionRecord[]): Promise<void>;
  /** Keeps a conversion; resolves false when its id was already recorded (nothing changes). */
  recordConversion?(record: ConversionRecord): Promise<boolean>;
  /** The funnel report of docs/analytics.md, computed where the data lives (SQL, JS). */
  funnel?(query: StoreFunnelQuery): Promise<FunnelReport>;
}
