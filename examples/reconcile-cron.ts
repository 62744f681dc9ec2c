/**
 * Reconciliation as a cron-style worker: a process of its own that runs at the top of every
 * period (every hour by default, like `0 * * * *`), asks WASenderApi about the messages whose
 * statuses never came, reports Cloud/On-Premises messages stale past 7 days as expired, logs one
 * JSON line per run, and stops cleanly on SIGTERM / Ctrl-C (the run in flight ends early, its
 * report still logged).
 *
 *   DATABASE_URL=postgres://… WASENDER_API_KEY=… node --import tsx examples/reconcile-cron.ts
 *
 * Why a loop and not `reconciler.start()`: `start()` is for a process that already lives (your
 * webhook server): its timer is unref'd so it never keeps a process alive. A worker whose only
 * job is reconciling needs the loop itself to hold the process, and waits that a signal can cut.
 *
 * Run it in ONE place. Two workers would each pay for the same API calls (the merges stay
 * correct: polled events have deterministic ids, a second copy is a duplicate).
 */
import { pathToFileURL } from 'node:url';
import { createTracker, type Tracker } from 'bluetick';
import { createReconciler, wasenderStatusSource, type ReconcileReport } from 'bluetick/reconcile';

/** Options of {@link runReconcileLoop}. */
export interface LoopOptions {
  tracker: Tracker;
  /** WASenderApi API key; without it only expiry runs. */
  apiKey?: string;
  baseUrl?: string;
  /** The period, aligned on the clock like cron. Default one hour. */
  everyMs?: number;
  /** Stops the loop (and the run in flight). */
  signal: AbortSignal;
  /** Each run's report (default: one JSON line on stdout). */
  onReport?: (report: ReconcileReport) => void;
}

/** Resolves after `ms`, or at once when the signal aborts. This timer is ref'd: it holds the process. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Runs reconciliations at each period boundary until `signal` aborts. */
export async function runReconcileLoop(options: LoopOptions): Promise<void> {
  const everyMs = options.everyMs ?? 3_600_000;
  const reconciler = createReconciler({
    tracker: options.tracker,
    source: options.apiKey ? wasenderStatusSource({ apiKey: options.apiKey, ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}) }) : null,
    olderThan: 15 * 60_000, // quiet for 15 minutes: the webhook is not just late
    statuses: ['pending', 'sent'],
    limit: 10_000,
    concurrency: 4,
    ratePerSecond: 5,
  });
  const log = options.onReport ?? ((report) => console.log(JSON.stringify({ at: new Date().toISOString(), ...report })));
  while (!options.signal.aborted) {
    await sleep(everyMs - (Date.now() % everyMs), options.signal); // the next boundary, like cron
    if (options.signal.aborted) break;
    try {
      log(await reconciler.run({ signal: options.signal }));
    } catch (error) {
      // A refused key stops this run, not the worker: it is logged and tried again next period.
      console.error(JSON.stringify({ at: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) }));
    }
  }
}

async function main(): Promise<void> {
  const { postgresStore } = await import('bluetick/postgres');
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('Set DATABASE_URL (the store your receivers write to).');
  const tracker = createTracker({ store: postgresStore({ connectionString }), durableListeners: false });
  const controller = new AbortController();
  process.once('SIGTERM', () => controller.abort());
  process.once('SIGINT', () => controller.abort());
  await runReconcileLoop({ tracker, apiKey: process.env.WASENDER_API_KEY, signal: controller.signal });
  await tracker.close();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
