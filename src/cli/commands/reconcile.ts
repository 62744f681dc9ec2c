import { BluetickError } from '../../errors.js';
import { createReconciler, ReconcileError, wasenderStatusSource, type ReconcileProgress, type ReconcileReport, type ReconcilerOptions } from '../../reconcile/index.js';
import type { ProgressStatus } from '../../state/state.js';
import { createTracker } from '../../tracking/tracker.js';
import type { Tracker } from '../../tracking/tracker.js';
import { flag, numberOpt, parseCommandArgs, stringOpt, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import { CliError, EXIT, printHelp, println, usageError, type CliIo } from '../io.js';
import { count, duration } from '../report/table.js';
import { openStore, parseStoreSpec } from '../store-option.js';

const help = `Usage: bluetick reconcile --store S [--wasender-key K] [options]

Catches the status updates that never came: reads the stale messages of a store, asks
WASenderApi (GET /api/messages/{msgId}/info) about those sent with a numeric msgId, merges each
answer (a poll never downgrades a state), and reports Cloud API and On-Premises messages stale
past the horizon as expired, once. Prints a progress bar on a terminal and the report at the end.

  --store S            pglite:<dir>, postgres://… or redis://host:6379[?prefix=bluetick:]
  --wasender-key K     WASenderApi API key (or the WASENDER_API_KEY environment variable);
                       without one, only expiry runs
  --base-url U         WASenderApi base URL (default https://www.wasenderapi.com)
  --older-than D       stale for at least D (default 1h): 90s, 15m, 1h, 2d
  --statuses LIST      progress to look for (default pending,sent)
  --limit N            messages checked or expired per run (default 10000)
  --concurrency N      requests in flight (default 4)
  --rate N             requests per second, never exceeded (default 5)
  --expire-after D     the horizon (default 7d, Meta's retry window), or never
  --sinks LIST         names of the receivers' sinks (comma-separated) that should get what the
                       polls find, from the outbox (default: none; the states are updated)
  --dry-run            ask and count, write nothing
  --json               print the report as JSON
  --quiet              no progress output

Only the store is written: listeners and sinks of your own processes do not hear about what
this command merges (run createReconciler in your process for that; docs/missed-updates.md).
Exit 1 when the run stopped on an error (a refused API key): the report so far is printed.
`;

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds of a duration flag: `500ms`, `90s`, `15m`, `1h`, `7d` (or `0`).
 *
 * @example
 * ```ts
 * parseDuration('reconcile', 'older-than', '1h'); // 3_600_000
 * ```
 */
export function parseDuration(command: string, name: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(raw.trim());
  if (m === null || (m[2] === undefined && Number(m[1]) !== 0)) throw usageError(`${command}: --${name} must be a duration such as 90s, 15m, 1h or 7d, got "${raw}"`);
  return Number(m[1]) * (UNITS[m[2] ?? 'ms'] as number);
}

function statusesOf(raw: string | undefined): ProgressStatus[] {
  if (raw === undefined) return ['pending', 'sent'];
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const allowed = ['pending', 'sent', 'delivered', 'read'];
  const bad = list.filter((s) => !allowed.includes(s));
  if (list.length === 0 || bad.length > 0) throw usageError(`reconcile: --statuses takes ${allowed.join(', ')} (comma-separated), got "${raw}"`);
  return list as ProgressStatus[];
}

/** Reconciler options from the flags (everything but the tracker). */
export function reconcilerOptions(parsed: ParsedArgs, env: Record<string, string | undefined>): Omit<ReconcilerOptions, 'tracker'> {
  const key = stringOpt(parsed, 'wasender-key') ?? env.WASENDER_API_KEY;
  const baseUrl = stringOpt(parsed, 'base-url');
  if (baseUrl !== undefined && !/^https?:\/\//.test(baseUrl)) throw usageError(`reconcile: --base-url must be an http(s) URL, got "${baseUrl}"`);
  const expireRaw = stringOpt(parsed, 'expire-after');
  return {
    source: key === undefined || key === '' ? null : wasenderStatusSource({ apiKey: key, ...(baseUrl === undefined ? {} : { baseUrl }) }),
    olderThan: parseDuration('reconcile', 'older-than', stringOpt(parsed, 'older-than') ?? '1h'),
    statuses: statusesOf(stringOpt(parsed, 'statuses')),
    limit: numberOpt('reconcile', parsed, 'limit', 10_000, 1, 10_000_000),
    concurrency: numberOpt('reconcile', parsed, 'concurrency', 4, 1, 256),
    ratePerSecond: numberOpt('reconcile', parsed, 'rate', 5, 0.001, 10_000, false),
    expireAfter: expireRaw === 'never' ? false : parseDuration('reconcile', 'expire-after', expireRaw ?? '7d'),
    dryRun: flag(parsed, 'dry-run'),
  };
}

/** A progress display on stderr: one redrawn bar on a terminal, a plain line every 10% otherwise. */
function progressDisplay(io: CliIo, quiet: boolean): { update: (p: ReconcileProgress) => void; done: () => void } {
  if (quiet) return { update: () => undefined, done: () => undefined };
  const tail = (p: ReconcileProgress) => `changed ${count(p.report.changed)}  not found ${count(p.report.notFound)}  failed ${count(p.report.failed)}  expired ${count(p.report.expired)}`;
  if (io.stderr.isTTY === true) {
    let last = 0;
    let latest: ReconcileProgress | null = null;
    const draw = (p: ReconcileProgress) => {
      const width = 24;
      const filled = p.total === 0 ? width : Math.round((p.done / p.total) * width);
      io.stderr.write(`\r  [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count(p.done)}/${count(p.total)}  ${tail(p)} `);
    };
    return {
      update(p) {
        latest = p;
        const now = Date.now();
        if (now - last >= 100 || p.done === p.total) {
          last = now;
          draw(p);
        }
      },
      done() {
        if (latest !== null) io.stderr.write('\n');
      },
    };
  }
  let nextTenth = 1;
  return {
    update(p) {
      if (p.total === 0) return;
      const tenth = Math.floor((p.done / p.total) * 10);
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      println(io.stderr, `reconcile: ${count(p.done)}/${count(p.total)} (${Math.round((p.done / p.total) * 100)}%)  ${tail(p)}`);
    },
    done: () => undefined,
  };
}

/** The report as text lines. */
export function formatReconcileReport(r: ReconcileReport, label: string): string[] {
  return [
    `Reconciled ${label}${r.dryRun ? ' (dry run: nothing written)' : ''}${r.stopped ? ' (stopped early)' : ''} in ${duration(r.durationMs)}`,
    `  stale found   ${count(r.found)}`,
    `  checked       ${count(r.checked)}  (changed ${count(r.changed)}, unchanged ${count(r.unchanged)}, not found ${count(r.notFound)}, failed ${count(r.failed)})`,
    `  expired       ${count(r.expired)}`,
    `  skipped       ${count(r.skipped)}`,
    ...(r.rateLimited > 0 ? [`  rate-limited  ${count(r.rateLimited)} answers (waited as asked)`] : []),
  ];
}

/**
 * Runs one reconciliation over a tracker and prints progress and the report. Returns the exit code.
 *
 * @example
 * ```ts
 * const code = await reconcileAndReport(tracker, options, io, { label: 'postgres://…', json: false, quiet: false });
 * ```
 */
export async function reconcileAndReport(tracker: Tracker, options: Omit<ReconcilerOptions, 'tracker'>, io: CliIo, out: { label: string; json: boolean; quiet: boolean }): Promise<number> {
  const reconciler = createReconciler({ ...options, tracker });
  const display = progressDisplay(io, out.quiet);
  const stop = () => void reconciler.stop();
  io.signal?.addEventListener('abort', stop, { once: true });
  let report: ReconcileReport | undefined;
  let failure: unknown;
  try {
    report = await reconciler.run({ onProgress: display.update });
  } catch (error) {
    failure = error;
    report = error instanceof ReconcileError ? error.report : undefined;
  } finally {
    io.signal?.removeEventListener('abort', stop);
    display.done();
  }
  if (report !== undefined) {
    if (out.json) println(io.stdout, JSON.stringify(failure === undefined ? report : { ...report, error: errorOf(failure) }));
    else for (const line of formatReconcileReport(report, out.label)) println(io.stdout, line);
  }
  if (failure === undefined) return EXIT.ok;
  println(io.stderr, `bluetick reconcile: ${errorOf(failure).code}: ${errorOf(failure).message}`);
  return EXIT.failure;
}

function errorOf(error: unknown): { code: string; message: string } {
  if (error instanceof BluetickError) return { code: error.code, message: error.message };
  return { code: 'error', message: error instanceof Error ? error.message : String(error) };
}

/** `bluetick reconcile`: one reconciliation run over a persistent store. */
export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'poll WASenderApi for missed statuses; expire Cloud/On-Prem messages past the horizon',
  help,
  async run(args, io) {
    const parsed = parseCommandArgs('reconcile', args, {
      store: { type: 'string' },
      'wasender-key': { type: 'string' },
      'base-url': { type: 'string' },
      'older-than': { type: 'string' },
      statuses: { type: 'string' },
      limit: { type: 'string' },
      concurrency: { type: 'string' },
      rate: { type: 'string' },
      'expire-after': { type: 'string' },
      'dry-run': { type: 'boolean' },
      sinks: { type: 'string' },
      json: { type: 'boolean' },
      quiet: { type: 'boolean' },
    });
    if (parsed.help) return printHelp(io, help);
    const raw = stringOpt(parsed, 'store');
    if (raw === undefined) throw usageError('reconcile: --store is required (see bluetick reconcile --help)');
    const spec = parseStoreSpec('reconcile', raw);
    if (spec.kind === 'memory') {
      throw new CliError('nothing_persisted', 'reconcile: the memory store of a new process holds nothing to reconcile: use --store pglite:<dir> / postgres://… / redis://…, or createReconciler() in the process that tracks');
    }
    const options = reconcilerOptions(parsed, process.env);
    const opened = await openStore('reconcile', spec);
    // No listeners: a reader and a writer of states, never a consumer of outbox records meant for
    // others; what it finds reaches the receivers' sinks named by --sinks through the outbox.
    const sinks = (stringOpt(parsed, 'sinks') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const tracker = createTracker({ store: opened.store, durableListeners: false, outboxConsumers: sinks });
    try {
      return await reconcileAndReport(tracker, options, io, { label: opened.label, json: flag(parsed, 'json'), quiet: flag(parsed, 'quiet') });
    } finally {
      await tracker.close();
    }
  },
};
