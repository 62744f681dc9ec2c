/**
 * The sink contract: where canonical events go after the tracker has ingested them.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent } from '../event/types.js';
import type { DeadLetterReason } from '../storage/outbox.js';
import type { WriteTrace } from '../tracing/delivery.js';

/**
 * What the dispatcher tells a sink about one write attempt.
 *
 * @example
 * ```ts
 * const sink: Sink = {
 *   async write(batch, { signal }) { await fetch(url, { method: 'POST', body: JSON.stringify(batch), signal }); },
 * };
 * ```
 */
export interface WriteContext {
  /**
   * Aborted when the attempt is cut by `writeTimeoutMs` (or the dispatcher shuts down). A sink that
   * honours it stops work the dispatcher already counts as failed, so a late success cannot
   * deliver a batch twice.
   */
  signal: AbortSignal;
  /** 1 for the first attempt of a batch, 2 for its first retry, … */
  attempt: number;
  /**
   * Present only when the dispatcher is traced (`tracing` option): the trace headers of this
   * attempt's `bluetick.sink.deliver` span, for the sink to copy into what it sends.
   */
  trace?: WriteTrace;
}

/**
 * A destination for canonical events. `write` resolves when the whole batch is durably handed
 * over; it rejects (ideally with a {@link SinkError}) when it is not, or throws a
 * {@link PartialBatchError} naming the events that failed so only those are retried.
 *
 * @example
 * ```ts
 * const sink: Sink = {
 *   name: 'audit-log',
 *   async write(batch) { await db.insertMany(batch); },
 *   async close() { await db.end(); },
 * };
 * ```
 */
export interface Sink {
  /** Shown in stats, errors and dead-letter info. Defaults to `sink-<index>`. */
  name?: string;
  write(batch: CanonicalEvent[], context: WriteContext): Promise<void>;
  /**
   * Resolves when the sink can write (its optional package loaded, its connection configured);
   * rejects with a `ConfigError` for a configuration mistake. `tracker.ready()` awaits it.
   */
  ready?(): Promise<void>;
  /** Releases what the sink opened (files, connections). Called once by `dispatcher.close()`. */
  close?(): Promise<void>;
}

export type { DeadLetterReason } from '../storage/outbox.js';

/**
 * What the dead-letter sink receives beside the events: why, from which sink, after how many
 * attempts and with which last error.
 *
 * @example
 * ```ts
 * const deadLetter: DeadLetterSink = {
 *   async write(batch, info) { await table.insert(batch.map((e) => ({ e, reason: info.reason, sink: info.sink }))); },
 * };
 * ```
 */
export interface DeadLetterInfo extends WriteContext {
  reason: DeadLetterReason;
  /** Name of the sink the events were meant for. */
  sink: string;
  /** Write attempts made for these events (0 when they never reached the sink). */
  attempts: number;
  /** The last error the sink threw, when there was one. */
  error?: unknown;
  /** A readable summary of `error` (or of the reason), safe to store as text. */
  message: string;
}

/**
 * The dead-letter facts without the per-attempt fields: what `onDeadLetter` receives.
 *
 * @example
 * ```ts
 * const onDeadLetter = (events: CanonicalEvent[], d: DeadLetterDetails & { stored: boolean }) => log.warn(d.reason, d.sink, events.length);
 * ```
 */
export type DeadLetterDetails = Omit<DeadLetterInfo, keyof WriteContext>;

/**
 * A sink used as the dead-letter destination: its `write` also receives a {@link DeadLetterInfo}.
 * Any {@link Sink} fits (it simply ignores the extra fields).
 *
 * Dead letters are always recorded in the outbox's dead-letter list (`bluetick dead-letters`);
 * a dead-letter sink receives a copy.
 *
 * @example
 * ```ts
 * createDispatcher({ sinks: [primary], deadLetter: ndjsonSink({ path: './dead-letter.ndjson' }) });
 * ```
 */
export interface DeadLetterSink {
  name?: string;
  write(batch: CanonicalEvent[], info: DeadLetterInfo): Promise<void>;
  close?(): Promise<void>;
}
