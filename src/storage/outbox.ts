/**
 * The outbox contract: a durable log of accepted events, one record per event and consumer (each
 * sink, and the tracker's listeners), appended by the same atomic step that claims and merges
 * (see {@link StateStore.ingest}). Consumers lease records, deliver them, and ack or dead-letter
 * them; a lease that expires (a crashed process) makes its records available again, so delivery
 * is at least once across crashes and restarts.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent } from '../event/types.js';
import type { DeliveryState } from '../state/state.js';

/** The consumer name of the tracker's own listeners (`message`, `status`, `transition`, `change`). */
export const LISTENERS_CONSUMER = 'bluetick:listeners';

/**
 * One accepted event, for one consumer.
 *
 * @example
 * ```ts
 * for (const record of await store.outbox.lease('warehouse', 100, 60_000)) await send(record.event);
 * ```
 */
export interface OutboxRecord {
  /** Store-assigned, unique within the store (opaque). */
  id: string;
  consumer: string;
  event: CanonicalEvent;
  /**
   * For a status event: the stored state before its merge (null: it created the state). Always in
   * what `ingest` returns; in what `lease` returns at least for the tracker's listeners (the
   * listeners need it to tell transitions from changes; sinks only get events).
   */
  before?: DeliveryState | null;
  /** For a status event: the stored state after its merge (same rule as `before`). */
  after?: DeliveryState;
  /** Leases taken before this one (0 on the first delivery attempt of the record). */
  attempts: number;
  /** Epoch ms the record was appended. */
  appendedAt: number;
}

/**
 * Why a record left the outbox undelivered.
 *
 * - `retries_exhausted`: every attempt failed with a retryable error.
 * - `non_retryable`: the sink said retrying cannot help (4xx, oversized record, …).
 * - `expired`: the record waited longer than the dispatcher's `eventTtlMs`.
 * - `overflow`: the memory store's outbox was full and dropped its oldest record.
 *
 * @example
 * ```ts
 * const reason: DeadLetterReason = 'retries_exhausted';
 * ```
 */
export type DeadLetterReason = 'retries_exhausted' | 'non_retryable' | 'expired' | 'overflow';

/** A record moved to the dead-letter list. */
export interface DeadLetterRecord {
  /** The outbox record's id. */
  id: string;
  consumer: string;
  event: CanonicalEvent;
  reason: DeadLetterReason;
  /** Readable cause, safe to store as text. */
  message: string;
  /** Delivery attempts made. */
  attempts: number;
  /** Epoch ms it was dead-lettered. */
  at: number;
}

/** One record to dead-letter. */
export interface DeadLetterItem {
  id: string;
  reason: DeadLetterReason;
  message: string;
  attempts: number;
}

/** Outbox sizes. */
export interface OutboxStats {
  /** Records not yet acked or dead-lettered, per consumer. */
  pending: Record<string, number>;
  /** Dead letters kept, per consumer. */
  deadLetters: Record<string, number>;
}

/**
 * A store's outbox.
 *
 * @example
 * ```ts
 * const records = await store.outbox.lease('crm', 100, 60_000);
 * await store.outbox.ack('crm', records.map((r) => r.id));
 * ```
 */
export interface Outbox {
  /**
   * False when records do not outlive this process (the memory store's outbox): nothing could
   * recover them after a crash, so the tracker keeps no listener records in it. Default true.
   */
  readonly durable?: boolean;
  /**
   * Leases up to `limit` records of `consumer` that nobody holds (never leased, or the lease
   * expired), oldest first, for `leaseMs`; each returned record's `attempts` counts earlier leases.
   */
  lease(consumer: string, limit: number, leaseMs: number): Promise<OutboxRecord[]>;
  /** Delivered: removes the records (unknown ids are ignored). */
  ack(consumer: string, ids: readonly string[]): Promise<void>;
  /** Gives records back before their lease ends (a closing process), so others take them at once. */
  release(consumer: string, ids: readonly string[]): Promise<void>;
  /** Moves records to the dead-letter list, with why. */
  deadLetter(consumer: string, items: readonly DeadLetterItem[]): Promise<void>;
  /** Dead letters, oldest first. */
  deadLetters(query?: { consumer?: string; limit?: number }): Promise<DeadLetterRecord[]>;
  /** Moves dead letters back into the outbox (all of a consumer, or the given ids); resolves how many. */
  replay(query: { consumer?: string; ids?: readonly string[] }): Promise<number>;
  stats(): Promise<OutboxStats>;
}
