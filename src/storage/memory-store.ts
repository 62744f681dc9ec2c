/**
 * The embedded default store: claims, states, the outbox and analytics records in this process's
 * memory, bounded and expiring. Single-process only (nothing is shared between instances or
 * survives a restart); use the PostgreSQL or Redis store when several processes receive
 * webhooks or when undelivered events must survive a crash.
 *
 * @packageDocumentation
 */
import { computeFunnel } from '../analytics/memory-funnel.js';
import type { ConversionRecord, FunnelReport, InteractionRecord, StoreFunnelQuery } from '../analytics/types.js';
import { StorageError } from '../errors.js';
import { parseStateKey } from '../state/key.js';
import { merge as join } from '../state/merge.js';
import { hasFailure } from '../state/present.js';
import { atOfRank, RANK, type DeliveryState } from '../state/state.js';
import type { AnalyticsStore } from './analytics-store.js';
import { createAnalyticsTable } from './memory/analytics-table.js';
import { createClaimTable } from './memory/claim-table.js';
import { createMemoryOutbox } from './memory/outbox.js';
import { createStateTable } from './memory/state-table.js';
import type { StateStore, MergeResult, StatePage } from './state-store.js';
import { checkStep, stepRecords } from './step.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** Most states kept; past it the least recently touched messages go first (counted). Default 100 000. */
  maxEntries?: number;
  /** A message untouched this long expires. Default 30 days. */
  ttlMs?: number;
  /** Most dedupe claims kept; past it the oldest go first (counted). Default `4 × maxEntries`. */
  maxClaims?: number;
  /** Most interaction records, and most conversions, kept (oldest dropped first). Default `maxEntries`. */
  maxRecords?: number;
  /** Most undelivered outbox records per consumer; past it the oldest is dead-lettered as `overflow`. Default 100 000. */
  maxOutbox?: number;
  /** Most dead letters kept (oldest dropped first, counted). Default 10 000. */
  maxDeadLetters?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
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
  /** Outbox records not yet delivered (all consumers), dead letters kept and dropped. */
  outbox: number;
  deadLetters: number;
  evictedDeadLetters: number;
}

/** The memory store: a {@link StateStore} and {@link AnalyticsStore}, plus `stats()`. */
export interface MemoryStore extends StateStore, AnalyticsStore {
  stats(): MemoryStoreStats;
}

const DAY = 86_400_000;
const PAGE = 1000;

/**
 * Creates an in-memory store. Every operation is atomic because it runs synchronously inside
 * one promise; memory stays bounded by `maxEntries`, `maxClaims` and `maxOutbox`.
 *
 * @example
 * ```ts
 * import { createTracker, memoryStore } from 'bluetick';
 *
 * const store = memoryStore({ maxEntries: 1_000_000, ttlMs: 14 * 86_400_000 });
 * const tracker = createTracker({ store });
 * console.log(store.stats()); // { states, claims, evictedStates, outbox, … }
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const ttlMs = options.ttlMs ?? 30 * DAY;
  const now = options.now ?? Date.now;
  if (!(maxEntries >= 1) || !(ttlMs > 0)) throw new RangeError('memoryStore(): maxEntries and ttlMs must be positive');
  const claims = createClaimTable(options.maxClaims ?? maxEntries * 4);
  const states = createStateTable(maxEntries, ttlMs);
  const records = createAnalyticsTable(options.maxRecords ?? maxEntries);
  let closed = false;
  let seq = 0;
  const open = (): void => {
    if (closed) throw new StorageError('closed', 'The memory store is closed.');
  };
  const outbox = createMemoryOutbox({ maxRecords: options.maxOutbox ?? 100_000, maxDeadLetters: options.maxDeadLetters ?? 10_000, now, open });
  // One snapshot for paging through scanStates (the live order moves with every touch).
  let scan: { id: number; states: DeliveryState[] } | null = null;
  let scans = 0;

  // WASender numeric send id → message id, from states whose meta names one (checked on use).
  const aliases = new Map<string, string>();

  function mergeOne(observation: DeliveryState, t: number): MergeResult {
    const { before, after } = states.upsert(observation, t, join);
    if (after !== before) {
      const alias = after.meta?.wasenderMsgId;
      if (alias !== undefined && alias !== after.messageId) {
        if (aliases.size >= maxEntries) aliases.clear(); // a bound; misses fall back to the raw id
        aliases.set(`${after.provider}:${alias}`, after.messageId);
      }
    }
    return { before, after };
  }

  return {
    async ingest(step) {
      open();
      checkStep(step);
      const t = now();
      const claimed = step.events.map((e) => claims.claim(e.id, step.claimTtlMs, t));
      const merged = step.merges.map((m) => mergeOne(m.observation, t));
      const appended = stepRecords(step, claimed, merged, () => String(++seq), t);
      outbox.append(appended, step.outbox.leaseMs, t);
      if (step.interactions !== undefined && step.interactions.length > 0) records.addInteractions(step.interactions);
      return { claimed, merged, records: appended };
    },
    async get(key) {
      open();
      const id = parseStateKey(key);
      return id === null ? null : states.get(id.provider, id.messageId, id.participantId, now());
    },
    async findByMessage(ref) {
      open();
      return states.byMessage(ref.messageId, now()).filter((s) => ref.provider === undefined || s.provider === ref.provider);
    },
    async findStale(query) {
      open();
      const ranks = new Set<number>(query.statuses.map((s) => RANK[s]));
      const limit = query.limit ?? Number.POSITIVE_INFINITY;
      const out: DeliveryState[] = [];
      for (const s of states.all(now())) {
        if (out.length >= limit) break;
        if (ranks.has(s.rank) && !hasFailure(s) && atOfRank(s, s.rank) < query.olderThan) out.push(s);
      }
      return out;
    },
    async resolveAliases(provider, list) {
      open();
      const out: Record<string, string> = {};
      for (const alias of list) {
        const messageId = aliases.get(`${provider}:${alias}`);
        if (messageId === undefined) continue;
        const live = states.byMessage(messageId, now()).some((s) => s.provider === provider && s.meta?.wasenderMsgId === alias);
        if (live) out[alias] = messageId;
      }
      return out;
    },
    async scanStates(opts = {}): Promise<StatePage> {
      open();
      const limit = Math.max(1, opts.limit ?? PAGE);
      let offset = 0;
      if (opts.cursor && scan !== null && opts.cursor.startsWith(`${scan.id}:`)) offset = Number(opts.cursor.slice(opts.cursor.indexOf(':') + 1));
      else scan = { id: ++scans, states: states.all(now()) };
      const page = scan.states.slice(offset, offset + limit);
      const end = offset + page.length;
      const cursor = end < scan.states.length ? `${scan.id}:${end}` : null;
      if (cursor === null) scan = null;
      return { states: page, cursor };
    },
    outbox,
    async ready() {
      open();
    },
    async ping() {
      open();
    },
    async recordInteractions(list: readonly InteractionRecord[]) {
      open();
      records.addInteractions(list);
    },
    async recordConversion(record: ConversionRecord) {
      open();
      return records.addConversion(record);
    },
    async funnel(query: StoreFunnelQuery): Promise<FunnelReport> {
      open();
      return computeFunnel(states.all(now()), records.interactions(), records.conversions(), query);
    },
    async close() {
      closed = true;
      states.clear();
      aliases.clear();
      outbox.clear();
      records.clear();
      claims.clear();
    },
    stats() {
      const o = outbox.counts();
      return { ...states.stats(), ...claims.stats(), ...records.stats(), outbox: o.outbox, deadLetters: o.deadLetters, evictedDeadLetters: o.evictedDeadLetters };
    },
  };
}
