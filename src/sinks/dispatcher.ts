/**
 * The dispatcher: delivers an outbox's records to sinks, one lane per sink, in batches, with
 * retries, a write timeout, a dead-letter path, and recovery of records whose lease ended
 * (crashes, restarts). Nothing in the background ever throws or leaves an unhandled rejection.
 *
 * @packageDocumentation
 */
import pRetry from 'p-retry';
import { ConfigError } from '../errors.js';
import type { CanonicalEvent } from '../event/types.js';
import { emit, type MetricsHook } from '../metrics/hook.js';
import { createMemoryOutbox, type MemoryOutbox } from '../storage/memory/outbox.js';
import { LISTENERS_CONSUMER, type DeadLetterReason, type Outbox, type OutboxRecord } from '../storage/outbox.js';
import type { OpenTelemetryApiLike } from '../tracing/api.js';
import { deliveryTracing } from '../tracing/delivery.js';
import { resolveTracing } from '../tracing/tracing.js';
import { describeError, writeWithTimeout } from './attempt.js';
import { SinkError, isRetryableSinkError } from './errors.js';
import { createLane, type Lane, type RetryPolicy } from './lane.js';
import { installSignalHandlers } from './signals.js';
import { addSinkStats, emptySinkStats, type DispatcherStats } from './stats.js';
import type { DeadLetterDetails, DeadLetterSink, Sink } from './types.js';

/** Where an error reported to `onError` happened. */
export type DispatcherErrorPhase = 'write' | 'dead-letter' | 'outbox' | 'hook' | 'close';

/**
 * Options of {@link createDispatcher}.
 *
 * @example
 * ```ts
 * const options: DispatcherOptions = { sinks: [httpSink({ url, secret })], batchSize: 200, retry: { retries: 8 } };
 * ```
 */
export interface DispatcherOptions {
  /** Each sink's `name` names its share of the outbox: keep it stable across restarts. */
  sinks: readonly Sink[];
  /**
   * The outbox to drain. `createTracker({ sinks })` passes its store's (durable with PostgreSQL
   * or Redis). Default: an outbox in this process's memory, fed by {@link Dispatcher.enqueue}.
   */
  outbox?: Outbox;
  /** Also receives every record that is dead-lettered, with a {@link DeadLetterInfo}. */
  deadLetter?: DeadLetterSink;
  /** Maximum events per `write`. Default 100. */
  batchSize?: number;
  /** How long a partial batch may wait for company before it is sent. Default 50 ms. */
  flushIntervalMs?: number;
  /** Most records a sink's lane holds in memory; more wait in the outbox. Default 10 000. */
  maxQueue?: number;
  /** A record not delivered this long after it was appended is dead-lettered as `expired`. Default: never. */
  eventTtlMs?: number;
  /** p-retry options per batch. Default `{ retries: 5, minTimeout: 100, maxTimeout: 10_000, factor: 2, randomize: true }`. */
  retry?: Partial<RetryPolicy>;
  /** A write attempt still pending after this long fails (retryable) and its signal aborts. Default 30 s; 0 disables. */
  writeTimeoutMs?: number;
  /** How long records taken from the outbox are held before another process may take them. Default 60 s. */
  leaseMs?: number;
  /** How often each lane looks for records whose lease ended. Default 5 s. */
  recoverEveryMs?: number;
  /** Close (deliver or hand back) then re-raise on SIGTERM/SIGINT (or the signals given). Default off. */
  handleSignals?: boolean | readonly NodeJS.Signals[];
  /** Deadline for the close run by a signal; what is undelivered then stays in the outbox. Default 25 s. */
  signalCloseTimeoutMs?: number;
  /** Called for every set of records dead-lettered. */
  onDeadLetter?: (events: CanonicalEvent[], info: DeadLetterDetails) => void;
  /** Receives sink failures, retries, dead-lettered counts and queue depths. */
  metrics?: MetricsHook;
  /**
   * The `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`): one
   * `bluetick.sink.deliver` span per write attempt, its trace headers handed to the sink
   * (`WriteContext.trace`) and sent by the built-in HTTP and queue sinks. Default: no tracing.
   */
  tracing?: OpenTelemetryApiLike;
  /** Failed write attempts, outbox and dead-letter failures, throwing hooks, failing `close`. Default: `console.error` except for `write`. */
  onError?: (error: unknown, context: { phase: DispatcherErrorPhase; sink: string; attempt?: number }) => void;
}

/**
 * A running dispatcher.
 *
 * @example
 * ```ts
 * dispatcher.enqueue(normalize(body).events);
 * await dispatcher.flush();
 * ```
 */
export interface Dispatcher {
  /** The outbox consumer names of its sinks. */
  readonly consumers: readonly string[];
  /** The outbox it drains: pending counts, dead letters, replay. */
  readonly outbox: Outbox;
  /**
   * Appends events to the dispatcher's own memory outbox and delivers them; `false` when a lane
   * holds `maxQueue` records already (they wait in the outbox). Throws after `close()`, and with an
   * outbox of a store (events enter it through `tracker.ingest()`).
   */
  enqueue(events: CanonicalEvent | readonly CanonicalEvent[]): boolean;
  /** Delivers records this process just committed and holds leased (the tracker's path). */
  deliver(records: readonly OutboxRecord[]): void;
  /** Resolves when every sink's lane holds fewer than `maxQueue` records. */
  waitForCapacity(): Promise<void>;
  /** Sends what lanes hold now and resolves when each of those records is delivered or dead-lettered. */
  flush(): Promise<void>;
  /** Resolves when every sink can write (rejects with a ConfigError for a missing package). */
  ready(): Promise<void>;
  /**
   * Stops taking records, delivers what lanes hold until `timeoutMs`, hands the rest back to the
   * outbox (nothing acknowledged is thrown away), then closes every sink. Idempotent.
   */
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
 * Creates a dispatcher: one lane per sink over the outbox, batching by size and time, retries with
 * exponential backoff and jitter (p-retry), a write timeout, an optional TTL, dead letters kept in
 * the outbox (and copied to a dead-letter sink), and recovery of records nobody holds.
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
  const eventTtlMs = positive('eventTtlMs', options.eventTtlMs ?? Number.POSITIVE_INFINITY);
  const writeTimeoutMs = positive('writeTimeoutMs', options.writeTimeoutMs ?? 30_000, true);
  const leaseMs = positive('leaseMs', options.leaseMs ?? 60_000);
  const recoverEveryMs = positive('recoverEveryMs', options.recoverEveryMs ?? 5_000);
  const deadLetterSink = options.deadLetter;
  const metrics = options.metrics;
  const bound = resolveTracing(options.tracing, 'createDispatcher');
  const tracing = bound === undefined ? undefined : deliveryTracing(bound);
  let own: MemoryOutbox | null = null;
  let seq = 0;
  const outbox: Outbox = options.outbox ?? (own = createMemoryOutbox({ maxRecords: Number.POSITIVE_INFINITY, maxDeadLetters: 10_000, now: Date.now, open: () => undefined }));
  const dl = { written: 0, failed: 0, errors: 0 };
  let closing: Promise<void> | undefined;

  const onError =
    options.onError ??
    ((error: unknown, context: { phase: DispatcherErrorPhase; sink: string }) => {
      if (context.phase !== 'write') console.error(`[bluetick] sink dispatcher ${context.phase} error (${context.sink}):`, error instanceof Error ? error.message : error);
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

  /** After the outbox recorded dead letters: the dead-letter sink's copy, the hook, metrics. */
  async function deadLettered(sink: string, records: OutboxRecord[], details: { reason: DeadLetterReason; attempts: number; error?: unknown; message: string }): Promise<void> {
    const events = records.map((r) => r.event);
    const settlement: DeadLetterDetails = { ...details, sink };
    if (deadLetterSink) {
      try {
        await pRetry(
          (attempt) =>
            writeWithTimeout((signal) => deadLetterSink.write(events, { ...settlement, signal, attempt }), writeTimeoutMs, deadLetterSink.name ?? 'dead-letter').catch((error: unknown) => {
              throw error instanceof SinkError ? error : new SinkError('dead_letter_failed', describeError(error), { retryable: true, cause: error });
            }),
          { ...retry, shouldRetry: ({ error }) => isRetryableSinkError(error) },
        );
        dl.written += events.length;
      } catch (error) {
        dl.failed += events.length;
        dl.errors++;
        report(error, { phase: 'dead-letter', sink });
      }
    }
    hook(sink, () => options.onDeadLetter?.(events, settlement));
    emit(metrics, 'deadLettered', sink, events.length);
  }

  const lanes = new Map<string, Lane>();
  const depth = (name: string) => emit(metrics, 'queueDepth', name, lanes.get(name)?.stats().queued ?? 0);
  /** Counts records re-sent by retry attempts and reports queue depth after each write. */
  const measured = (sink: Sink, name: string): Sink => ({
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
    // Names must be unique (each names its share of the outbox): a repeated one gets its position.
    if (lanes.has(name)) name = `${name}-${index}`;
    if (name === LISTENERS_CONSUMER) throw new ConfigError('invalid_dispatcher_option', `createDispatcher: the sink name "${name}" is reserved for the tracker's listeners.`);
    named.push([name, sink]);
    lanes.set(
      name,
      createLane({
        name,
        sink: metrics === undefined ? sink : measured(sink, name),
        outbox,
        batchSize,
        flushIntervalMs,
        maxQueue,
        eventTtlMs,
        retry,
        writeTimeoutMs,
        leaseMs,
        recoverEveryMs,
        deadLettered: (records, details) => deadLettered(name, records, details),
        writeFailed: (error, laneName, attempt) => {
          emit(metrics, 'sinkFailure', laneName);
          report(error, { phase: 'write', sink: laneName, attempt });
        },
        outboxFailed: (error, laneName) => report(error, { phase: 'outbox', sink: laneName }),
        shed: (n) => emit(metrics, 'shed', name, n),
        ...(tracing === undefined ? {} : { tracing }),
      }),
    );
  });

  const recoverAll = () => {
    for (const [name, lane] of lanes) void lane.recover().catch((error: unknown) => report(error, { phase: 'outbox', sink: name }));
  };
  const recovery = setInterval(recoverAll, recoverEveryMs);
  recovery.unref?.();
  // Resume at once what an earlier run left in a durable outbox (leases permitting).
  if (own === null) setTimeout(recoverAll, 0).unref?.();

  const flush = async () => {
    await Promise.all([...lanes.values()].map((lane) => lane.drain()));
    if (metrics?.queueDepth) for (const name of lanes.keys()) depth(name);
  };

  const signals = options.handleSignals === true ? (['SIGTERM', 'SIGINT'] as const) : options.handleSignals || [];
  const uninstallSignals =
    signals.length > 0
      ? installSignalHandlers(signals, () => dispatcher.close({ timeoutMs: options.signalCloseTimeoutMs ?? 25_000 }), (error) => report(error, { phase: 'close', sink: 'dispatcher' }))
      : () => {};

  async function closeAll(timeoutMs: number | undefined): Promise<void> {
    clearInterval(recovery);
    const deadline = new AbortController();
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => deadline.abort(new SinkError('dispatcher_shutdown', `close deadline of ${timeoutMs} ms reached`, { retryable: false })), timeoutMs);
    try {
      await Promise.all([...lanes.values()].map((lane) => lane.close(deadline.signal)));
    } finally {
      clearTimeout(timer);
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
    consumers: [...lanes.keys()],
    outbox,
    enqueue(events) {
      if (closing) throw new SinkError('dispatcher_closed', 'enqueue after dispatcher.close()', { retryable: false });
      if (own === null) throw new ConfigError('invalid_dispatcher_option', 'enqueue() feeds the dispatcher’s own outbox; with a store’s outbox, events enter through tracker.ingest().');
      const list = Array.isArray(events) ? (events as readonly CanonicalEvent[]) : [events as CanonicalEvent];
      if (list.length === 0) return true;
      const now = Date.now();
      const records: OutboxRecord[] = [];
      for (const event of list) for (const consumer of lanes.keys()) records.push({ id: String(++seq), consumer, event, attempts: 0, appendedAt: now });
      own.append(records, leaseMs, now);
      dispatcher.deliver(records);
      let room = true;
      for (const lane of lanes.values()) room = lane.hasRoom() && room;
      return room;
    },
    deliver(records) {
      tracing?.remember(records);
      const byConsumer = new Map<string, OutboxRecord[]>();
      for (const r of records) {
        const list = byConsumer.get(r.consumer);
        if (list === undefined) byConsumer.set(r.consumer, [r]);
        else list.push(r);
      }
      for (const [consumer, list] of byConsumer) lanes.get(consumer)?.push(list);
      if (metrics?.queueDepth) for (const name of byConsumer.keys()) depth(name);
    },
    async waitForCapacity() {
      await Promise.all([...lanes.values()].map((lane) => lane.capacity()));
    },
    flush,
    async ready() {
      await Promise.all(options.sinks.map((s) => s.ready?.()));
    },
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
