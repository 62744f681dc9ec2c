/**
 * Delivery of one batch of outbox records to one sink: p-retry attempts, each bounded by the
 * write timeout, TTL checks between attempts, and per-event results from a PartialBatchError.
 * Internal to the dispatcher.
 */
import pRetry from 'p-retry';
import type { CanonicalEvent } from '../event/types.js';
import type { DeadLetterReason, OutboxRecord } from '../storage/outbox.js';
import { asError, describeError, writeWithTimeout } from './attempt.js';
import { PartialBatchError, SinkError, isRetryableSinkError } from './errors.js';
import type { SinkStats } from './stats.js';
import type { DeliveryTracing } from '../tracing/delivery.js';
import type { Sink } from './types.js';

/** Retry policy handed to p-retry for every batch. */
export interface RetryPolicy {
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  factor: number;
  randomize: boolean;
}

/** Records that leave a batch undelivered, with why. */
export interface Undelivered {
  records: OutboxRecord[];
  reason: DeadLetterReason;
  attempts: number;
  error?: unknown;
  message: string;
}

/** What {@link deliverBatch} needs from its lane. */
export interface DeliverContext {
  sink: Sink;
  name: string;
  retry: RetryPolicy;
  writeTimeoutMs: number;
  /** Aborted when the dispatcher closes: the batch stops and what is left is handed back. */
  stop: AbortSignal;
  counters: SinkStats;
  isExpired(record: OutboxRecord, now: number): boolean;
  ttlMessage: string;
  setInFlight(n: number): void;
  delivered(records: OutboxRecord[]): void;
  undelivered(u: Undelivered): void;
  /** Handed back undelivered because the dispatcher stopped. */
  stopped(records: OutboxRecord[]): void;
  writeFailed(error: unknown, attempt: number): void;
  /** Present when the dispatcher is traced: one span per attempt. */
  tracing?: DeliveryTracing;
}

/**
 * Maps the events a PartialBatchError names back to records: by reference first, then by id, so a
 * sink that hands back copies still works; each record is matched at most once.
 */
function pick(current: OutboxRecord[], events: readonly CanonicalEvent[], taken: Set<OutboxRecord>): OutboxRecord[] {
  const out: OutboxRecord[] = [];
  for (const event of events) {
    const match = current.find((r) => r.event === event && !taken.has(r)) ?? current.find((r) => r.event.id === event.id && !taken.has(r));
    if (match) {
      taken.add(match);
      out.push(match);
    }
  }
  return out;
}

/**
 * Delivers `batch`; never rejects. Every record ends delivered, undelivered (with its reason:
 * expired, non_retryable, retries_exhausted) or stopped.
 */
export async function deliverBatch(batch: OutboxRecord[], c: DeliverContext): Promise<void> {
  let current = batch;
  c.setInFlight(current.length);
  let attempts = 0;
  let lastError: unknown;
  try {
    await pRetry(
      async (attempt) => {
        attempts = attempt;
        const now = Date.now();
        const expired = current.filter((r) => c.isExpired(r, now));
        if (expired.length > 0) {
          current = current.filter((r) => !c.isExpired(r, now));
          c.setInFlight(current.length);
          c.undelivered({ records: expired, reason: 'expired', attempts: attempt - 1, error: lastError, message: c.ttlMessage });
        }
        if (current.length === 0) return;
        if (attempt > 1) c.counters.retried += current.length;
        const traced = c.tracing?.start(c.name, current, attempt);
        try {
          const events = current.map((r) => r.event);
          await writeWithTimeout((signal) => c.sink.write(events, traced === undefined ? { signal, attempt } : { signal, attempt, trace: traced.trace }), c.writeTimeoutMs, c.name, c.stop);
          traced?.end('delivered');
          c.delivered(current);
          current = [];
          c.setInFlight(0);
        } catch (error) {
          lastError = error;
          traced?.end(error instanceof PartialBatchError ? 'partial' : 'failed', error);
          if (error instanceof PartialBatchError) {
            const taken = new Set<OutboxRecord>();
            const rejected = pick(current, error.rejected, taken);
            const failed = pick(current, error.failed, taken);
            c.delivered(current.filter((r) => !taken.has(r)));
            current = failed;
            c.setInFlight(current.length);
            if (rejected.length > 0) c.undelivered({ records: rejected, reason: 'non_retryable', attempts: attempt, error, message: describeError(error) });
            if (current.length === 0) return;
          }
          c.writeFailed(error, attempt);
          // Every error is retryable unless a SinkError says otherwise; p-retry alone would
          // refuse to retry a TypeError, which is not what a sink author expects.
          throw error instanceof SinkError ? error : new SinkError('sink_failed', describeError(error), { retryable: true, cause: asError(error) });
        }
      },
      { ...c.retry, signal: c.stop, shouldRetry: ({ error }) => !c.stop.aborted && isRetryableSinkError(error) },
    );
  } catch (error) {
    const left = current;
    current = [];
    c.setInFlight(0);
    if (left.length === 0) return;
    if (c.stop.aborted) {
      c.stopped(left);
      return;
    }
    const reason: DeadLetterReason = isRetryableSinkError(error) ? 'retries_exhausted' : 'non_retryable';
    const cause = lastError ?? error;
    const message = reason === 'retries_exhausted' ? `gave up after ${attempts} attempt(s): ${describeError(cause)}` : describeError(cause);
    c.undelivered({ records: left, reason, attempts, error: cause, message });
  }
}
