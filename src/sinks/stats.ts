/**
 * Dispatcher counters. Per sink, at every moment:
 * `enqueued = delivered + deadLettered + discarded + queued`, and every event that left
 * undelivered has exactly one cause: `failed + expired + dropped = deadLettered + discarded`.
 *
 * @packageDocumentation
 */

/**
 * Counters of one sink's lane (all in events, not batches).
 *
 * @example
 * ```ts
 * const s = dispatcher.stats().sinks['webhook-forwarder'];
 * if (s && s.discarded > 0) alert('events lost: no dead-letter sink accepted them');
 * ```
 */
export interface SinkStats {
  /** Events accepted by `enqueue` for this sink (including those later dropped). */
  enqueued: number;
  /** Not yet settled: waiting, being written, or being handed to the dead-letter sink. */
  queued: number;
  /** Part of `queued` currently inside a write attempt. */
  inFlight: number;
  /** Written successfully (each event counted once, however many attempts it took). */
  delivered: number;
  /** Event re-sends: an event retried twice counts 2. */
  retried: number;
  /** Gave up on: retries exhausted, non-retryable error, or cut by a shutdown deadline. */
  failed: number;
  /** Older than `eventTtlMs` before they could be delivered. */
  expired: number;
  /** Removed by the overflow policy because the queue was full. */
  dropped: number;
  /** Undelivered events the dead-letter sink accepted. */
  deadLettered: number;
  /** Undelivered events that no dead-letter sink kept (none configured, or it failed): lost. */
  discarded: number;
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
  /** The dead-letter sink itself: events it accepted, events it failed to take, failed write calls. */
  deadLetter: { written: number; failed: number; errors: number };
}

/** A zeroed {@link SinkStats}. */
export function emptySinkStats(): SinkStats {
  return { enqueued: 0, queued: 0, inFlight: 0, delivered: 0, retried: 0, failed: 0, expired: 0, dropped: 0, deadLettered: 0, discarded: 0 };
}

/** Adds `b` into `a` field by field. */
export function addSinkStats(a: SinkStats, b: SinkStats): SinkStats {
  const out = { ...a };
  for (const key of Object.keys(out) as (keyof SinkStats)[]) out[key] += b[key];
  return out;
}
