/**
 * Dispatcher counters, per sink, in records (one record = one event for one sink). Every record
 * a lane takes ends delivered, dead-lettered, or handed back to the outbox (shed when the lane is
 * full, or released at close) for a later delivery.
 *
 * @packageDocumentation
 */

/**
 * Counters of one sink's lane.
 *
 * @example
 * ```ts
 * const s = dispatcher.stats().sinks['webhook-forwarder'];
 * if (s && s.deadLettered > 0) alert('events dead-lettered: see bluetick dead-letters');
 * ```
 */
export interface SinkStats {
  /** Records the lane took: fresh from an ingest, or recovered from the outbox. */
  enqueued: number;
  /** Part of `enqueued` recovered from the outbox (a crashed or stopped process's, or shed ones). */
  recovered: number;
  /** Waiting or being written now. */
  queued: number;
  /** Part of `queued` currently inside a write attempt. */
  inFlight: number;
  /** Written successfully (each record counted once, however many attempts it took). */
  delivered: number;
  /** Record re-sends: a record retried twice counts 2. */
  retried: number;
  /** Given up on: retries exhausted or a non-retryable error. */
  failed: number;
  /** Older than `eventTtlMs` before they could be delivered. */
  expired: number;
  /** Moved to the outbox's dead-letter list (`failed + expired` once recorded). */
  deadLettered: number;
  /** Handed back to the outbox because the lane held `maxQueue` records already. */
  shed: number;
  /** Handed back to the outbox undelivered by `close()`. */
  released: number;
}

/**
 * Everything {@link Dispatcher.stats} reports.
 *
 * @example
 * ```ts
 * const { totals, deadLetter } = dispatcher.stats();
 * metrics.gauge('bluetick.sink.queued', totals.queued);
 * metrics.counter('bluetick.dlq.errors', deadLetter.errors);
 * ```
 */
export interface DispatcherStats {
  /** Per sink, keyed by sink name. */
  sinks: Record<string, SinkStats>;
  /** Sum over all sinks (an event sent to two sinks counts twice). */
  totals: SinkStats;
  /** The optional dead-letter sink: records it accepted, records it failed to take, failed write calls. */
  deadLetter: { written: number; failed: number; errors: number };
}

/**
 * A zeroed {@link SinkStats}.
 *
 * @example
 * ```ts
 * emptySinkStats().delivered; // 0
 * ```
 */
export function emptySinkStats(): SinkStats {
  return { enqueued: 0, recovered: 0, queued: 0, inFlight: 0, delivered: 0, retried: 0, failed: 0, expired: 0, deadLettered: 0, shed: 0, released: 0 };
}

/** Adds `b` into `a` field by field. */
export function addSinkStats(a: SinkStats, b: SinkStats): SinkStats {
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof SinkStats)[]) out[key] += b[key];
  return out;
}
