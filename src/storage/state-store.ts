/**
 * The delivery-state store contract. A `StateStore` owns ONE atomic operation, {@link
 * StateStore.ingest}: the claims, the merges and the outbox records of a step commit together,
 * or not at all. Reads (`get`, `findByMessage`, `findStale`, `scanStates`) serve the tracker and
 * tools. `bluetick/testing` runs the conformance suite every store, ours or yours, must pass.
 *
 * Errors a store raises must be {@link StorageError}s with a code (`unavailable`, `timeout`,
 * `closed`, …): the tracker lets them through and the webhook handler answers 503.
 *
 * @packageDocumentation
 */
import type { InteractionRecord } from '../analytics/types.js';
import type { CanonicalEvent, Provider } from '../event/types.js';
import type { DeliveryState, ProgressStatus } from '../state/state.js';
import type { Outbox, OutboxRecord } from './outbox.js';

/** One observation to merge, keyed by `stateKey(observation)`. */
export interface MergeItem {
  key: string;
  observation: DeliveryState;
  /** Index in the step's `events` of the status event this observation stands for, or -1 (a `track()`). */
  event: number;
}

/** A merge's outcome: the stored state before (null when new) and after the join. */
export interface MergeResult {
  before: DeliveryState | null;
  after: DeliveryState;
}

/**
 * One atomic ingest step. Every event id is claimed (first writer wins for `claimTtlMs`); every
 * merge is applied, duplicates' included (a claimed event's observation is already in the state
 * and joins as a no-op); each CLAIMED event is appended to the outbox once per consumer, with its
 * merge's before/after when it is a status event, leased for `leaseMs` to the process that
 * appends it (it delivers them itself; they become available to others when the lease ends).
 * Interaction records are kept by stores that keep analytics (idempotent by id).
 */
export interface IngestStep {
  events: readonly CanonicalEvent[];
  merges: readonly MergeItem[];
  claimTtlMs: number;
  outbox: { consumers: readonly string[]; leaseMs: number };
  interactions?: readonly InteractionRecord[];
}

/** What a step did, in the step's own orders. */
export interface IngestResult {
  /** Per event: true when this step claimed it (false: a duplicate). */
  claimed: boolean[];
  /** Per merge item. Items of one key see each other in order: each before is the previous after. */
  merged: MergeResult[];
  /** The records appended: claimed events × consumers, in event order then consumer order. */
  records: OutboxRecord[];
}

/** Query of {@link StateStore.findStale}. */
export interface StaleQuery {
  /** Epoch ms: states whose current progress timestamp is earlier than this. */
  olderThan: number;
  /** Progress statuses to look for. */
  statuses: readonly ProgressStatus[];
  limit?: number;
}

/** A message, for {@link StateStore.findByMessage}. */
export interface MessageRef {
  messageId: string;
  provider?: Provider;
}

/** A page of {@link StateStore.scanStates}. */
export interface StatePage {
  /**
   * About `limit` states: a store may return fewer (even none) before the end, when the work of
   * one page is bounded (Redis SCAN over a database shared with other data), or a few more.
   */
  states: DeliveryState[];
  /** Pass as `cursor` for the next page; null when this was the last. */
  cursor: string | null;
}

/**
 * A delivery-state store.
 *
 * @example
 * ```ts
 * const store: StateStore = memoryStore();
 * const { claimed, merged } = await store.ingest({ events, merges, claimTtlMs: 8 * 86_400_000, outbox: { consumers: [], leaseMs: 60_000 } });
 * ```
 */
export interface StateStore {
  /** The atomic step: claims, merges and outbox records together (see {@link IngestStep}). */
  ingest(step: IngestStep): Promise<IngestResult>;
  /** The state stored under a key (`stateKey(...)`), or null. */
  get(key: string): Promise<DeliveryState | null>;
  /** Every state of a message: the message itself and each group participant. */
  findByMessage(ref: MessageRef): Promise<DeliveryState[]>;
  /**
   * States without failure whose rank is one of `statuses` and whose time at that rank is earlier
   * than `olderThan` (0, unknown, counts as earlier). Order unspecified.
   */
  findStale(query: StaleQuery): Promise<DeliveryState[]>;
  /**
   * The message ids that WASender numeric send ids (`track({ wasenderMsgId })`, kept in the
   * state's `meta`) stand for: `{ alias: messageId }`, unknown aliases absent.
   */
  resolveAliases(provider: Provider, aliases: readonly string[]): Promise<Record<string, string>>;
  /** Every state, a page at a time (order unspecified, each state once), for tools and reports. */
  scanStates(options?: { cursor?: string | null; limit?: number }): Promise<StatePage>;
  /** The outbox the ingest step appends to. */
  readonly outbox: Outbox;
  /**
   * Resolves when the store can serve: its optional peer is loaded, its schema migrated, its
   * server reachable. Rejects with a `ConfigError` for a configuration mistake (a missing
   * package), a `StorageError` for an outage.
   */
  ready(): Promise<void>;
  /** Health check: resolves when the store answers, rejects with a StorageError otherwise. */
  ping(): Promise<void>;
  /** Releases connections and timers. Operations after close reject with StorageError `closed`. */
  close(): Promise<void>;
}
