/**
 * The reconciler: catches the status updates that never came. It reads the stale states of the
 * tracker's store, asks a {@link StatusSource} about them, and merges each answer as an ordinary
 * status observation marked as polled; states no source can check are reported `expired` once
 * past a horizon. See docs/missed-updates.md.
 *
 * @packageDocumentation
 */
import { ConfigError } from '../errors.js';
import type { MetricsHook } from '../metrics/hook.js';
import type { ProgressStatus } from '../state/state.js';
import type { Tracker } from '../tracking/tracker.js';
import { runOnce, type RunSettings } from './run.js';
import type { ReconcileProgress, ReconcileReport, StatusSource } from './types.js';

const DAY = 86_400_000;
const STATUSES: readonly ProgressStatus[] = ['pending', 'sent', 'delivered', 'read'];

/** Options of {@link createReconciler}. */
export interface ReconcilerOptions {
  /** The tracker whose store is read and through which answers are merged. */
  tracker: Tracker;
  /** Where to ask (`wasenderStatusSource(…)`, your own). Null or absent: only expiry. */
  source?: StatusSource | null;
  /** Milliseconds a state must have been at its status to be looked at. Default 15 minutes. */
  olderThan?: number;
  /** Statuses to look for progress from. Default `['pending', 'sent']`. */
  statuses?: readonly ProgressStatus[];
  /** States checked or expired per run, at most. Default 10,000. */
  limit?: number;
  /** Stale states read per run, at most, to find `limit` that need work (see docs). Default 10 × limit. */
  maxScan?: number;
  /** Checks in flight. Default 4. */
  concurrency?: number;
  /** Requests per second to the source's API, never exceeded (shared by the checks). Default 5. */
  ratePerSecond?: number;
  /**
   * Milliseconds after which a state no source can check (Cloud API, On-Premises) or the source
   * does not find is reported `expired`, once. Default 7 days (Meta's retry window); `false`: never.
   */
  expireAfter?: number | false;
  /** Ask and count, write nothing. Default false. */
  dryRun?: boolean;
  /** Receives checked, changed, failed, rate-limited and expired counts. */
  metrics?: MetricsHook;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Options of one {@link Reconciler.run}. */
export interface RunOptions {
  /** Stops the run when it aborts (a Lambda's deadline): the report says `stopped: true`. */
  signal?: AbortSignal;
  /** Called after each batch, for a progress display. */
  onProgress?: (progress: ReconcileProgress) => void;
}

/** Options of {@link Reconciler.start}. */
export interface ScheduleOptions {
  /** Milliseconds between runs. A run still going when the next is due is not doubled: that tick is skipped. */
  everyMs: number;
  /** Also run right away. Default false. */
  immediately?: boolean;
  /** Each run's report. */
  onReport?: (report: ReconcileReport) => void;
  /** A run that stopped on an error. Default: a process warning (`process.emitWarning`). */
  onError?: (error: unknown) => void;
}

/** A reconciler. Create one with {@link createReconciler}. */
export interface Reconciler {
  /** Runs once and resolves with what it did. A call while a run is going joins that run. */
  run(options?: RunOptions): Promise<ReconcileReport>;
  /** Runs every `everyMs` on an unref'd timer (it never keeps a process alive), never two at once. */
  start(options: ScheduleOptions): void;
  /** Stops the schedule and the run in flight (its report says `stopped`), and waits for it. */
  stop(): Promise<void>;
  /** True while a run is going. */
  readonly running: boolean;
}

function positive(name: string, value: number | undefined, fallback: number, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || (integer && !Number.isInteger(value)) || Number.isNaN(value)) {
    throw new ConfigError('invalid_option', `createReconciler(): ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${String(value)}.`);
  }
  return value;
}

function settingsOf(o: ReconcilerOptions): RunSettings {
  if (o === null || typeof o !== 'object' || o.tracker === undefined || typeof o.tracker.ingest !== 'function') {
    throw new ConfigError('invalid_option', 'createReconciler(): give { tracker } (createTracker({ store })).');
  }
  const source = o.source ?? null;
  if (source !== null && (typeof source.check !== 'function' || typeof source.covers !== 'function' || typeof source.name !== 'string')) {
    throw new ConfigError('invalid_option', 'createReconciler(): source must be a StatusSource ({ name, covers(state), check(states, context) }).');
  }
  const statuses = o.statuses ?? ['pending', 'sent'];
  if (!Array.isArray(statuses) || statuses.length === 0 || statuses.some((st) => !STATUSES.includes(st))) {
    throw new ConfigError('invalid_option', `createReconciler(): statuses must be a non-empty list of ${STATUSES.join(', ')}.`);
  }
  const olderThanMs = o.olderThan ?? 15 * 60_000;
  if (typeof olderThanMs !== 'number' || !(olderThanMs >= 0)) throw new ConfigError('invalid_option', 'createReconciler(): olderThan must be milliseconds (≥ 0).');
  const limit = positive('limit', o.limit, 10_000, true);
  const horizonMs = o.expireAfter === false ? Number.POSITIVE_INFINITY : positive('expireAfter', o.expireAfter, 7 * DAY);
  return {
    tracker: o.tracker,
    source,
    olderThanMs,
    statuses,
    limit,
    maxScan: Math.max(limit, positive('maxScan', o.maxScan, limit * 10, true)),
    concurrency: positive('concurrency', o.concurrency, 4, true),
    ratePerSecond: positive('ratePerSecond', o.ratePerSecond, 5),
    horizonMs,
    dryRun: o.dryRun === true,
    metrics: o.metrics,
    now: o.now ?? Date.now,
  };
}

function warn(error: unknown): void {
  const message = `bluetick reconcile: a scheduled run stopped: ${error instanceof Error ? error.message : String(error)}`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') process.emitWarning(message);
  else console.error(message);
}

/**
 * Creates a reconciler over a tracker.
 *
 * @example
 * ```ts
 * import { createTracker } from 'bluetick';
 * import { postgresStore } from 'bluetick/postgres';
 * import { createReconciler, wasenderStatusSource } from 'bluetick/reconcile';
 *
 * const tracker = createTracker({ store: postgresStore({ connectionString: process.env.DATABASE_URL }) });
 * const reconciler = createReconciler({
 *   tracker,
 *   source: wasenderStatusSource({ apiKey: process.env.WASENDER_API_KEY! }),
 *   olderThan: 15 * 60_000,        // stale for 15 min
 *   statuses: ['pending', 'sent'], // progress to look for
 *   limit: 10_000, concurrency: 4, ratePerSecond: 5,
 * });
 * const report = await reconciler.run(); // { checked, changed, unchanged, notFound, failed, skipped, expired, … }
 * reconciler.start({ everyMs: 3_600_000, onError: console.error });
 * await reconciler.stop();
 * ```
 */
export function createReconciler(options: ReconcilerOptions): Reconciler {
  const settings = settingsOf(options);
  let current: { promise: Promise<ReconcileReport>; controller: AbortController } | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  function run(opts: RunOptions = {}): Promise<ReconcileReport> {
    if (current !== null) return current.promise;
    const controller = new AbortController();
    const outer = opts.signal;
    const relay = () => controller.abort(outer?.reason);
    if (outer?.aborted) relay();
    else outer?.addEventListener('abort', relay, { once: true });
    const promise = runOnce(settings, controller.signal, opts.onProgress).finally(() => {
      outer?.removeEventListener('abort', relay);
      current = null;
    });
    current = { promise, controller };
    return promise;
  }

  return {
    run,
    start(opts) {
      if (opts === null || typeof opts !== 'object' || opts.everyMs === undefined) throw new ConfigError('invalid_option', 'reconciler.start(): give { everyMs }.');
      const everyMs = positive('everyMs', opts.everyMs, 0);
      if (timer !== undefined) clearInterval(timer);
      const onError = opts.onError ?? warn;
      const tick = () => {
        if (current !== null) return; // the previous run is still going: no overlap
        run()
          .then((report) => opts.onReport?.(report))
          .catch((error: unknown) => {
            try {
              onError(error);
            } catch {
              // A failing error handler must not become an unhandled rejection in a timer.
            }
          });
      };
      timer = setInterval(tick, everyMs);
      timer.unref?.();
      if (opts.immediately === true) tick();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      const c = current;
      if (c === null) return;
      c.controller.abort(new Error('reconciler stopped'));
      await c.promise.catch(() => undefined);
    },
    get running() {
      return current !== null;
    },
  };
}
