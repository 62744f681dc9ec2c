/**
 * Delivery of one batch to one sink: p-retry attempts, each bounded by the write timeout, with
 * TTL checks between attempts and per-event results from a PartialBatchError. Internal.
 */
import pRetry from 'p-retry';
import type { CanonicalEvent } from '../event/types.js';
import { asError, describeError, writeWithTimeout } from './attempt.js';
import { PartialBatchError, SinkError, isRetryableSinkError } from './errors.js';
import type { SinkStats } from './stats.js';
import type { DeadLetterDetails, DeadLetterReason, Sink } from './types.js';

/** Retry policy handed to p-retry for every batch. */
export interface RetryPolicy {
  retries: number;
  minTimeout: number;
  maxTimeout: number;
  factor: number;
  randomize: boolean;
}

/** One queued event and when it was enqueued (for its TTL). */
export interface Entry {
  event: CanonicalEvent;
  enqueuedAt: number;
}

/** What {@link deliverBatch} needs from its lane. */
export interface DeliverContext {
  sink: Sink;
  name: string;
  retry: RetryPolicy;
  writeTimeoutMs: number;
  shutdown: AbortSignal;
  counters: SinkStats;
  isExpired(entry: Entry, now: number): boolean;
  setInFlight(n: number): void;
  settle(entries: Entry[], details: Omit<DeadLetterDetails, 'sink'>): void;
  writeFailed(error: unknown, name: string, attempt: number): void;
  ttlMessage: string;
}

/**
 * Maps the events a PartialBatchError names back to entries: by reference first, then by id, so a
 * sink that hands back copies still works; each entry is matched at most once.
 */
function pick(current: Entry[], events: readonly CanonicalEvent[], taken: Set<Entry>): Entry[] {
  const out: Entry[] = [];
  for (const event of events) {
    const match =
      current.find((e) => e.event === event && !taken.has(e)) ?? current.find((e) => e.event.id === event.id && !taken.has(e));
    if (match) {
      taken.add(match);
      out.push(match);
    }
  }
  return out;
}

/**
 * Delivers `batch`; never rejects. Every entry ends delivered (counted) or handed to `settle`
 * with its reason: expired, non_retryable, retries_exhausted or shutdown.
 */
export async function deliverBatch(batch: Entry[], c: DeliverContext): Promise<void> {
  let current = batch;
  c.setInFlight(current.length);
  let attempts = 0;
  let lastError: unknown;
  try {
    await pRetry(
      async (attempt) => {
        attempts = attempt;
        const now = Date.now();
        const expired = current.filter((e) => c.isExpired(e, now));
        if (expired.length > 0) {
          current = current.filter((e) => !c.isExpired(e, now));
          c.setInFlight(current.length);
          c.settle(expired, { reason: 'expired', attempts: attempt - 1, error: lastError, message: c.ttlMessage });
        }
        if (current.length === 0) return;
        if (attempt > 1) c.counters.retried += current.length;
        try {
          const events = current.map((e) => e.event);
          await writeWithTimeout((signal) => c.sink.write(events, { signal, attempt }), c.writeTimeoutMs, c.name, c.shutdown);
          c.counters.delivered += current.length;
          current = [];
          c.setInFlight(0);
        } catch (error) {
          lastError = error;
          if (error instanceof PartialBatchError) {
            const taken = new Set<Entry>();
            const rejected = pick(current, error.rejected, taken);
            const failed = pick(current, error.failed, taken);
            c.counters.delivered += current.length - taken.size;
            current = failed;
            c.setInFlight(current.length);
            c.settle(rejected, { reason: 'non_retryable', attempts: attempt, error, message: describeError(error) });
            if (current.length === 0) return;
          }
          c.writeFailed(error, c.name, attempt);
          // Every error is retryable unless a SinkError says otherwise; p-retry alone would
          // refuse to retry a TypeError, which is not what a sink author expects.
          throw error instanceof SinkError ? error : new SinkError('sink_failed', describeError(error), { retryable: true, cause: asError(error) });
        }
      },
      { ...c.retry, signal: c.shutdown, shouldRetry: ({ error }) => isRetryableSinkError(error) },
    );
  } catch (error) {
    const reason: DeadLetterReason = c.shutdown.aborted ? 'shutdown' : isRetryableSinkError(error) ? 'retries_exhausted' : 'non_retryable';
    const cause = lastError ?? error;
    const message = reason === 'retries_exhausted' ? `gave up after ${attempts} attempt(s): ${describeError(cause)}` : describeError(cause);
    const left = current;
    current = [];
    c.setInFlight(0);
    c.settle(left, { reason, attempts, error: cause, message });
  }
}
