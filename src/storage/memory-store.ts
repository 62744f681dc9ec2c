/**
 * The embedded default store: claims and states in this process's memory, bounded and expiring.
 * Single-process only (nothing is shared between instances or survives a restart); use the
 * PostgreSQL or Redis adapter when several processes receive webhooks.
 *
 * @packageDocumentation
 */
import { StorageError } from '../errors.js';
import { parseTrackingKey } from '../tracking/key.js';
import { merge as join } from '../tracking/merge.js';
import { hasFailure } from '../tracking/present.js';
import { atOfRank, RANK_STATUS, type DeliveryState } from '../tracking/state.js';
import { computeFunnel } from '../analytics/memory-funnel.js';
import type { ConversionRecord, FunnelReport, InteractionRecord, StoreFunnelQuery } from '../analytics/types.js';
import type { MergeItem, MergeResult, StaleQuery, StorageAdapter } from './adapter.js';
import { createAnalyticsTable } from './memory/analytics-table.js';
import { createClaimTable } from './memory/claim-table.js';
import { createStateTable } from './memory/state-table.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Most states kept; past it the least recently touched go first (counted). Default 100 000. */
  maxEntries?: number;
  /** An untouched state is evicted after between `ttlMs` and `2 × ttlMs`. Default 30 days. */
  ttlMs?: number;
  /** Most dedupe claims kept; past it the oldest go first (counted). Default `4 × maxEntries`. */
  maxClaims?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Most interaction records, and most conversions, kept (oldest dropped first). Default `maxEntries`. */
  maxRecords?: number;
}

/** Sizes and eviction counters of a memory store. */
export interface MemoryStoreStats {
  states: number;
  claims: number;
  /** States dropped to respect `maxEntries`. */
  evictedStates: number;
  /** States dropped because they expired. */
  expiredStates: number;
  /** Live claims dropped to respect `maxClaims`. */
  evictedClaims: number;
  /** Interaction records and conversions kept, and those dropped to respect `maxRecords`. */
  interactions: number;
  conversions: number;
  evictedRecords: number;
}

/** The memory store: a {@link StorageAdapter} with every optional method, plus `stats()`. */
export interface MemoryStore extends StorageAdapter {
  claimMany(ids: readonly string[], ttlMs: number): Promise<boolean[]>;
  mergeMany(items: readonly MergeItem[]): Promise<MergeResult[]>;
  findStale(query: StaleQuery): Promise<DeliveryState[]>;
  findByMessage(ref: { messageId: string; provider?: string; accountId?: string | null }): Promise<DeliveryState[]>;
  ping(): Promise<void>;
  recordInteractions(records: readonly InteractionRecord[]): Promise<void>;
  recordConversion(record: ConversionRecord): Promise<boolean>;
  funnel(query: StoreFunnelQuery): Promise<FunnelReport>;
  stats(): MemoryStoreStats;
}

const DAY = 86_400_000;

/**
 * Creates an in-memory {@link StorageAdapter}. Every operation is atomic because it runs
 * synchronously inside one promise; memory stays bounded by `maxEntries` and `maxClaims`.
 *
 * @example
 * ```ts
 * import { createTracker, memoryStore } from 'bluetick';
 *
 * const store = memoryStore({ maxEntries: 1_000_000, ttlMs: 14 * 86_400_000 });
 * const tracker = createTracker({ store });
 * console.log(store.stats()); // { states, claims, evictedStates, expiredStates, evictedClaims }
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const ttlMs = options.ttlMs ?? 30 * DAY;
  const now = options.now ?? Date.now;
  if (!(maxEntries >= 1) || !(ttlMs > 0)) throw new RangeError('memoryStore(): maxEntries and ttlMs must be positive');
  const claims = createClaimTable(options.maxClaims ?? maxEntries * 4);
  const states = createStateTable(maxEntries, ttlMs, now());
  const records = createAnalyticsTable(options.maxRecords ?? maxEntries);
  let closed = false;

  function open(): void {
    if (closed) throw new StorageError('closed', 'The memory store is closed.');
  }

  // `key` is trackingKey(observation): the observation carries the identity the table indexes by.
  function mergeOne(observation: DeliveryState, t: number): MergeResult {
    const party = observation.participantId ?? observation.recipientId;
    const before = states.get(observation.messageId, observation.provider, observation.accountId, party, t);
    if (before === null) {
      states.put(observation, t);
      return { before: null, after: observation };
    }
    const after = join(before, observation);
    if (after !== before) states.put(after, t);
    return { before, after };
  }

  return {
    async claim(id, ttl) {
      open();
      return claims.claim(id, ttl, now());
    },
    async claimMany(ids, ttl) {
      open();
      const t = now();
      const out = new Array<boolean>(ids.length);
      for (let i = 0; i < ids.length; i++) out[i] = claims.claim(ids[i] as string, ttl, t);
      return out;
    },
    async merge(_key, observation) {
      open();
      return mergeOne(observation, now());
    },
    async mergeMany(items) {
      open();
      const t = now();
      const out = new Array<MergeResult>(items.length);
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as MergeItem;
        out[i] = mergeOne(item.observation, t);
      }
      return out;
    },
    async get(key) {
      open();
      const parts = parseTrackingKey(key);
      if (parts === null) return null;
      return states.get(parts.messageId, parts.provider, parts.accountId, parts.party, now());
    },
    async findStale(query) {
      open();
      const wanted = new Set<string>(query.statuses);
      const limit = query.limit ?? Number.POSITIVE_INFINITY;
      const out: DeliveryState[] = [];
      if (limit <= 0) return out;
      states.forEach((s) => {
        if (wanted.has(RANK_STATUS[s.rank] as string) && !hasFailure(s) && atOfRank(s, s.rank) < query.olderThan) {
          out.push(s);
          if (out.length >= limit) return false;
        }
        return true;
      });
      return out;
    },
    async findByMessage(ref) {
      open();
      return states
        .byMessage(ref.messageId, now())
        .filter((s) => (ref.provider === undefined || s.provider === ref.provider) && (ref.accountId === undefined || s.accountId === ref.accountId));
    },
    async ping() {
      open();
    },
    async recordInteractions(list) {
      open();
      records.addInteractions(list);
    },
    async recordConversion(record) {
      open();
      return records.addConversion(record);
    },
    async funnel(query) {
      open();
      const all: DeliveryState[] = [];
      states.forEach((s) => void all.push(s));
      return computeFunnel(all, records.interactions(), records.conversions(), query);
    },
    async close() {
      closed = true;
      claims.clear();
      states.clear();
      records.clear();
    },
    stats() {
      return { ...states.stats(), ...claims.stats(), ...records.stats() };
    },
  };
}
