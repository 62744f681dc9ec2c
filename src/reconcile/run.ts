/**
 * One reconciliation run: select the stale states, report the expired ones, ask the source about
 * the rest with `concurrency` checks sharing one rate limiter, and merge every answer through
 * `tracker.ingest(events, { origin: 'poll' })`. A dry run merges in memory instead
 * (`changeKind(state, merge(state, observe(event)))`): the same answer, nothing written.
 */
import type { StatusEvent } from '../event/types.js';
import { emit, type MetricsHook } from '../metrics/hook.js';
import { changeKind } from '../state/change.js';
import { stateKey } from '../state/key.js';
import { merge } from '../state/merge.js';
import { observe } from '../state/observe.js';
import type { DeliveryState, ProgressStatus } from '../state/state.js';
import type { Tracker } from '../tracking/tracker.js';
import { ReconcileError } from './errors.js';
import { expiredEvent, pollEvent } from './events.js';
import { createRateLimiter } from './rate-limiter.js';
import { pastHorizon, selectStale } from './select.js';
import type { CheckContext, Observation, ReconcileProgress, ReconcileReport, StatusSource } from './types.js';

/** Everything a run needs, resolved from the reconciler's options. */
export interface RunSettings {
  tracker: Tracker;
  source: StatusSource | null;
  olderThanMs: number;
  statuses: readonly ProgressStatus[];
  limit: number;
  maxScan: number;
  concurrency: number;
  ratePerSecond: number;
  horizonMs: number;
  dryRun: boolean;
  metrics: MetricsHook | undefined;
  now: () => number;
}

/** Expiry events are ingested this many at a time. */
const EXPIRE_CHUNK = 500;

function emptyReport(dryRun: boolean): ReconcileReport {
  return { found: 0, checked: 0, changed: 0, unchanged: 0, notFound: 0, failed: 0, expired: 0, skipped: 0, rateLimited: 0, stopped: false, dryRun, durationMs: 0 };
}

/**
 * Runs once. Rejects with the error that stopped it (a source's `ReconcileError`, a store's
 * `StorageError`), the counts so far on `error.report` for a ReconcileError.
 */
export async function runOnce(s: RunSettings, signal: AbortSignal, onProgress?: (p: ReconcileProgress) => void): Promise<ReconcileReport> {
  const started = s.now();
  const report = emptyReport(s.dryRun);
  const sourceName = s.source?.name ?? 'none';
  const inner = new AbortController();
  const stopAll = () => inner.abort(signal.reason);
  if (signal.aborted) stopAll();
  else signal.addEventListener('abort', stopAll, { once: true });
  // Set by the first check or merge that throws: it stops the run and is rethrown.
  const fatal: { error?: unknown; set: boolean } = { set: false };

  let total = 0;
  let done = 0;
  const progress = (n: number) => {
    done += n;
    onProgress?.({ done, total, report: { ...report, durationMs: s.now() - started } });
  };

  /** Merges status events; returns how many changed a state. */
  async function mergePolled(events: StatusEvent[], states: DeliveryState[]): Promise<number> {
    if (events.length === 0) return 0;
    if (s.dryRun) {
      let n = 0;
      events.forEach((e, i) => {
        const before = states[i] as DeliveryState;
        if (changeKind(before, merge(before, observe(e, before.messageId)), s.tracker.failedPolicy) !== 'none') n++;
      });
      return n;
    }
    const r = await s.tracker.ingest(events, { origin: 'poll' });
    return r.transitions + r.changes;
  }

  /** Reports states expired; counts those this run reported (another process may have been first). */
  async function expire(states: DeliveryState[]): Promise<void> {
    if (states.length === 0) return;
    const t = s.now();
    const events = states.map((st) => expiredEvent(st, t));
    const n = s.dryRun ? events.length : (await s.tracker.ingest(events, { origin: 'poll' })).accepted;
    report.expired += n;
    if (!s.dryRun && n > 0) emit(s.metrics, 'reconcileExpired', n);
  }

  try {
    const selection = await selectStale(
      s.tracker.store,
      { olderThan: started - s.olderThanMs, statuses: s.statuses, limit: s.limit, maxScan: s.maxScan },
      { source: s.source, now: started, horizonMs: s.horizonMs },
    );
    report.found = selection.found;
    report.skipped = selection.skipped;
    total = selection.work.length;

    const toExpire = selection.work.filter((w) => w.action === 'expire').map((w) => w.state);
    let expiredUpTo = 0;
    for (; expiredUpTo < toExpire.length && !inner.signal.aborted; expiredUpTo += EXPIRE_CHUNK) {
      const chunk = toExpire.slice(expiredUpTo, expiredUpTo + EXPIRE_CHUNK);
      await expire(chunk);
      progress(chunk.length);
    }
    report.skipped += Math.max(0, toExpire.length - expiredUpTo); // the run stopped first

    const toCheck = selection.work.filter((w) => w.action === 'check').map((w) => w.state);
    const source = s.source;
    if (source !== null && toCheck.length > 0) {
      const size = Math.max(1, Math.floor(source.batchSize ?? 1));
      const batches: DeliveryState[][] = [];
      for (let i = 0; i < toCheck.length; i += size) batches.push(toCheck.slice(i, i + size));
      const limiter = createRateLimiter(s.ratePerSecond);
      const context: CheckContext = {
        signal: inner.signal,
        request: (request) => limiter.run(request, inner.signal),
        rateLimited(ms) {
          report.rateLimited++;
          emit(s.metrics, 'reconcileRateLimited', sourceName);
          limiter.pause(ms);
        },
      };

      const handle = async (batch: DeliveryState[]) => {
        let observations: readonly Observation[];
        try {
          observations = await source.check(batch, context);
        } catch (error) {
          // Stopped while asking, or the source stopped the run: neither checked nor failed.
          report.skipped += batch.length;
          if (inner.signal.aborted) return;
          throw error;
        }
        const byKey = new Map<string, Observation>();
        for (const o of observations) byKey.set(o.key, o);
        const t = s.now();
        const events: StatusEvent[] = [];
        const polled: DeliveryState[] = [];
        const gone: DeliveryState[] = [];
        let failed = 0;
        for (const state of batch) {
          const o = byKey.get(stateKey(state));
          if (o === undefined || o.outcome === 'failed') failed++;
          else if (o.outcome === 'notFound') {
            report.notFound++;
            if (pastHorizon(state, t, s.horizonMs)) gone.push(state);
          } else {
            events.push(pollEvent(state, o, t));
            polled.push(state);
          }
        }
        const changed = await mergePolled(events, polled);
        report.checked += batch.length;
        report.changed += changed;
        report.unchanged += events.length - changed;
        report.failed += failed;
        emit(s.metrics, 'reconcileChecked', sourceName, batch.length);
        if (changed > 0 && !s.dryRun) emit(s.metrics, 'reconcileChanged', sourceName, changed);
        if (failed > 0) emit(s.metrics, 'reconcileFailed', sourceName, failed);
        await expire(gone);
        progress(batch.length);
      };

      let next = 0;
      const worker = async () => {
        while (!inner.signal.aborted && next < batches.length) {
          const batch = batches[next++] as DeliveryState[];
          try {
            await handle(batch);
          } catch (error) {
            if (!fatal.set) Object.assign(fatal, { error, set: true });
            inner.abort(error);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(s.concurrency, batches.length) }, worker));
      // Batches never started because the run stopped.
      report.skipped += batches.slice(next).reduce((n, b) => n + b.length, 0);
    }
  } finally {
    signal.removeEventListener('abort', stopAll);
  }
  report.stopped = signal.aborted;
  report.durationMs = s.now() - started;
  if (fatal.set) {
    if (fatal.error instanceof ReconcileError) fatal.error.report = report;
    throw fatal.error;
  }
  return report;
}
