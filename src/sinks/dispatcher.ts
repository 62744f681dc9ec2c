/**
 * The dispatcher: fans canonical events out to sinks in batches, with retries, bounded queues and
 * a dead-letter sink, without ever blocking or failing the caller.
 *
 * @packageDocumentation
 */
import pRetry from 'p-retry';
import { ConfigError } from '../errors.js';
import type { CanonicalEvent } from '../event/types.js';
import { emit, type MetricsHook } from '../metrics/hook.js';
import { describeError, writeWithTimeout } from './attempt.js';
import { SinkError, isRetryableSinkError } from './errors.js';
import { createLane, type Lane, type RetryPolicy } from './lane.js';
import { installSignalHandlers } from './signals.js';
import { addSinkStats, emptySinkStats, type DispatcherStats } from './stats.js';
import type { DeadLetterDetails, DeadLetterSink, Sink } from './types.js';

/** Where an error reported to `onError` happened. */
export type DispatcherErrorPhase = 'write' | 'dead-letter' | 'hook' | 'close';

/**
 * Options of {@link createDispatcher}.
 *
 * @example
 * ```ts
 * const options: DispatcherOptions = { sinks: [httpSink({ url })], batchSize: 200, retry: { retries: 8 } };
 * ```
 */
export interface DispatcherOptions {
  sinks: readonly Sink[];
  /** Receives every event that leaves undelivered, with a {@link DeadLetterInfo}. */
  deadLetter?: DeadLetterSink;
  /** Maximum events per `write`. Default 100. */
  batchSize?: number;
  /** How long a partial batch may wait for company before it is sent. Default 50 ms. */
  flushIntervalMs?: number;
  /** Maximum events waiting per sink (in-flight ones not included). Default 10 000. */
  maxQueue?: number;
  /** An event not delivered this long after `enqueue` is dead-lettered as `expired`. Default 5 min. */
  eventTtlMs?: number;
  /**
   * What a full queue does: `drop-oldest` (default) or `drop-newest` drop and report; `block`
   * keeps everything and makes `enqueue` return `false` until there is room again: the caller
   * must then `await dispatcher.waitForCapacity()`, or the bound is not enforced.
   */
  overflow?: 'drop-oldest' | 'drop-newest' | 'block';
  /** p-retry options per batch. Default `{ retries: 5, minTimeout: 100, maxTimeout: 10_000, factor: 2, randomize: true }`. */
  retry?: Partial<RetryPolicy>;
  /** A write attempt still pending after this long fails (retryable) and its signal aborts. Default 30 s; 0 disables. */
  writeTimeoutMs?: number;
  /** Flush then re-raise on SIGTERM/SIGINT (or the signals given). Default off. */
  handleSignals?: boolean | readonly NodeJS.Signals[];
  /** Deadline for the close run by a signal: what is still undelivered then is dead-lettered as `shutdown`. Default 25 s. */
  signalCloseTimeoutMs?: number;
  /** Called when the overflow policy drops events (they are also dead-lettered with reason `overflow`). */
  onDrop?: (events: CanonicalEvent[], info: { sink: string; policy: 'drop-oldest' | 'drop-newest' }) => void;
  /** Called for every set of events that leaves undelivered; `stored` says whether the dead-letter sink kept them. */
  onDeadLetter?: (events: CanonicalEvent[], info: DeadLetterDetails & { stored: boolean }) => void;
  /** Receives sink failures, retries, dead-lettered/discarded/dropped counts and queue depths. */
  metrics?: MetricsHook;
  /** Failed write attempts, dead-letter failures, throwing hooks, failing `close`. Default: `console.error` except for `write`. */
  onError?: (error: unknown, context: { phase: DispatcherErrorPhase; sink: string; attempt?: number }) => void;
}

/**
 * A running dispatcher.
 *
 * @example
 * ```ts
 * const ok = dispatcher.enqueue(events);
 * if (!ok) await dispatcher.waitForCapacity(); // only needed with overflow: 'block'
 * ```
 */
export interface Dispatcher {
  /** Queues events for every sink and returns at once; `false` when a queue is at `maxQueue`. Throws after `close()`. */
  enqueue(events: CanonicalEvent | readonly CanonicalEvent[]): boolean;
  /** Resolves when every sink's queue is below `maxQueue`. */
  waitForCapacity(): Promise<void>;
  /** Sends what is queued now and resolves when every queued event is delivered or dead-lettered. */
  flush(): Promise<void>;
  /** Stops accepting events, flushes (dead-lettering what is left after `timeoutMs`), then closes every sink. Idempotent. */
  close(options?: { timeoutMs?: number }): Promise<void>;
  stats(): DispatcherStats;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 5, minTimeout: 100, maxTimeout: 10_000, factor: 2, randomize: true };

function positive(name: string, value: number, allowZero = false): number {
  if (!(typeof value === 'number') || Number.isNaN(value) || value < 0 || (!allowZero && value === 0)) {
    throw new ConfigError('invalid_dispatcher_option', `createDispatcher: ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got ${String(value)}`);
  }
  return value;
}

/**
 * Creates a dispatcher: one bounded queue per sink, batching by size and time, retries with
 * exponential backoff and jitter (p-retry), a write timeout, TTL, an overflow policy that counts
 * and reports what it drops, and a dead-letter sink for whatever finally fails.
 * Nothing in the background ever throws or leaves an unhandled rejection.
 *
 * @example
 * ```ts
 * const dispatcher = createDispatcher({
 *   sinks: [httpSink({ url: 'https://hooks.example.com/wa', secret })],
 *   deadLetter: ndjsonSink({ path: './dead-letter.ndjson' }),
 *   retry: { retries: 6 },
 * });
 * dispatcher.enqueue(normalize(body).events);
 * await dispatcher.close();
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  if (!options.sinks || options.sinks.length === 0) throw new ConfigError('invalid_dispatcher_option', 'createDispatcher: give at least one sink');
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  positive('retry.retries', retry.retries, true);
  const batchSize = positive('batchSize', options.batchSize ?? 100);
  const flushIntervalMs = positive('flushIntervalMs', options.flushIntervalMs ?? 50, true);
  const maxQueue = positive('maxQueue', options.maxQueue ?? 10_000);
  const eventTtlMs = positive('eventTtlMs', options.eventTtlMs ?? 5 * 60_000);
  const writeTimeoutMs = positive('writeTimeoutMs', options.writeTimeoutMs ?? 30_000, true);
  const overflow = options.overflow ?? 'drop-oldest';
  const deadLetterSink = options.deadLetter;
  const metrics = options.metrics;
  const shutdown = new AbortController();
  const dl = { written: 0, failed: 0, errors: 0 };
  let closing: Promise<void> | undefined;

  const onError =
    options.onError ??
    ((error: unknown, context: { phase: DispatcherErrorPhase; sink: string }) => {
      if (context.phase !== 'write') console.error(`[bluetick] sink dispatcher ${context.phase} error (${context.sink}):`, error);
    });
  const report = (error: unknown, context: { phase: DispatcherErrorPhase; sink: string; attempt?: number }) => {
    try {
      onError(error, context);
    } catch {
      // An error reporter that throws has nowhere left to report to.
    }
  };
  const hook = (sink: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      report(error, { phase: 'hook', sink });
    }
  };

  async function deadLetter(events: CanonicalEvent[], settlement: DeadLetterDetails): Promise<boolean> {
    let stored = false;
    if (deadLetterSink) {
      try {
        await pRetry(
          (attempt) =>
            writeWithTimeout(
              (signal) => deadLetterSink.write(events, { ...settlement, signal, attempt }),
              writeTimeoutMs,
              deadLetterSink.name ?? 'dead-letter',
            ).catch((error: unknown) => {
              throw error instanceof SinkError ? error : new SinkError('dead_letter_failed', describeError(error), { retryable: true, cause: error });
            }),
          { ...retry, shouldRetry: ({ error }) => isRetryableSinkError(error) },
        );
        dl.written += events.length;
        stored = true;
      } catch (error) {
        dl.failed += events.length;
        dl.errors++;
        report(error, { phase: 'dead-letter', sink: settlement.sink });
      }
    }
    hook(settlement.sink, () => options.onDeadLetter?.(events, { ...settlement, stored }));
    emit(metrics, stored ? 'deadLettered' : 'discarded', settlement.sink, events.length);
    // The lane counts these events as queued until this promise settles: report the depth after.
    if (metrics?.queueDepth) setTimeout(() => depth(settlement.sink), 0).unref?.();
    return stored;
  }

  const lanes = new Map<string, Lane>();
  const depth = (name: string) => emit(metrics, 'queueDepth', name, lanes.get(name)?.stats().queued ?? 0);
  /** Counts events re-sent by retry attempts (the lane's `retried`) and reports queue depth after each write. */
  const countRetries = (sink: Sink, name: string): Sink => ({
    name,
    write(events, context) {
      if (context.attempt > 1) emit(metrics, 'retry', name, events.length);
      const out = sink.write(events, context);
      void Promise.resolve(out).then(() => queueMicrotask(() => depth(name)), () => undefined);
      return out;
    },
  });
  const named: [string, Sink][] = [];
  options.sinks.forEach((sink, index) => {
    let name = sink.name ?? `sink-${index}`;
    if (lanes.has(name)) name = `${name}-${index}`;
    named.push([name, sink]);
    lanes.set(
      name,
      createLane({
        name,
        sink: metrics === undefined ? sink : countRetries(sink, name),
        batchSize,
        flushIntervalMs,
        maxQueue,
        eventTtlMs,
        overflow,
        retry,
        writeTimeoutMs,
        shutdown: shutdown.signal,
        deadLetter,
        dropped: (events, laneName) => {
          emit(metrics, 'dropped', laneName, events.length);
          hook(laneName, () => options.onDrop?.(events, { sink: laneName, policy: overflow as 'drop-oldest' | 'drop-newest' }));
        },
        writeFailed: (error, laneName, attempt) => {
          emit(metrics, 'sinkFailure', laneName);
          report(error, { phase: 'write', sink: laneName, attempt });
        },
      }),
    );
  });

  const flush = async () => {
    await Promise.all([...lanes.values()].map((lane) => lane.drain()));
    if (metrics?.queueDepth) for (const name of lanes.keys()) depth(name);
  };

  const signals = options.handleSignals === true ? (['SIGTERM', 'SIGINT'] as const) : options.handleSignals || [];
  const uninstallSignals =
    signals.length > 0
      ? installSignalHandlers(signals, () => dispatcher.close({ timeoutMs: options.signalCloseTimeoutMs ?? 25_000 }), (error) =>
          report(error, { phase: 'close', sink: 'dispatcher' }),
        )
      : () => {};

  async function closeAll(timeoutMs: number | undefined): Promise<void> {
    const deadline = timeoutMs === undefined ? undefined : setTimeout(() => shutdown.abort(new SinkError('dispatcher_shutdown', `close deadline of ${timeoutMs} ms reached`, { retryable: false })), timeoutMs);
    try {
      await flush();
    } finally {
      clearTimeout(deadline);
    }
    uninstallSignals();
    await Promise.all(
      named.map(async ([name, sink]) => {
        try {
          await sink.close?.();
        } catch (error) {
          report(error, { phase: 'close', sink: name });
        }
      }),
    );
    try {
      await deadLetterSink?.close?.();
    } catch (error) {
      report(error, { phase: 'close', sink: deadLetterSink?.name ?? 'dead-letter' });
    }
  }

  const dispatcher: Dispatcher = {
    enqueue(events) {
      if (closing) throw new SinkError('dispatcher_closed', 'enqueue after dispatcher.close()', { retryable: false });
      const list = Array.isArray(events) ? (events as readonly CanonicalEvent[]) : [events as CanonicalEvent];
      let room = true;
      if (list.length === 0) return room;
      for (const lane of lanes.values()) room = lane.push(list) && room;
      if (metrics?.queueDepth) for (const name of lanes.keys()) depth(name);
      return room;
    },
    async waitForCapacity() {
      await Promise.all([...lanes.values()].map((lane) => lane.capacity()));
    },
    flush,
    close(closeOptions) {
      closing ??= closeAll(closeOptions?.timeoutMs);
      return closing;
    },
    stats() {
      const sinks: DispatcherStats['sinks'] = {};
      let totals = emptySinkStats();
      for (const [name, lane] of lanes) {
        const s = lane.stats();
        sinks[name] = s;
        totals = addSinkStats(totals, s);
      }
      return { sinks, totals, deadLetter: { ...dl } };
    },
  };
  return dispatcher;
}
