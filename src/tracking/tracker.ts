/**
 * The tracker: claims each event id (dedupe), merges status events into their delivery state
 * through the store, and emits typed events, awaiting async listeners and collecting failures.
 *
 * @packageDocumentation
 */
import { createTrackerAnalytics } from '../analytics/tracker-analytics.js';
import type { ConversionInput, FunnelQuery, FunnelReport, InteractionRecord } from '../analytics/types.js';
import type { CanonicalEvent } from '../event/types.js';
import { emit } from '../metrics/hook.js';
import type { MergeItem, MergeResult, StorageAdapter } from '../storage/adapter.js';
import { memoryStore } from '../storage/memory-store.js';
import { createDispatcher, type Dispatcher } from '../sinks/dispatcher.js';
import { createAliasMap } from './aliases.js';
import { TrackingError } from './errors.js';
import { trackingKey } from './key.js';
import { createListenerHub, type Collector, type ListenerFailure } from './listeners.js';
import { observe } from './observe.js';
import { present, presentedStatus, samePresentation, type FailedPolicy, type PresentedState } from './present.js';
import { createQueries } from './tracker-queries.js';
import type {
  GroupSummary,
  IngestInput,
  IngestReport,
  StaleMessage,
  StaleOptions,
  StateQuery,
  TrackerEvents,
  TrackerOptions,
  TrackInput,
} from './tracker-types.js';
import { trackObservation } from './track-input.js';
import { asStorageError, forwardTo, sameValue, toEvents } from './tracker-helpers.js';

/** A delivery tracker. Create one with {@link createTracker}. */
export interface Tracker {
  /** Claims, merges and emits a batch; resolves once every listener has settled. */
  ingest(input: IngestInput): Promise<IngestReport>;
  /** Seeds a `pending` state from the host's own send call. */
  track(input: TrackInput): Promise<PresentedState>;
  /** The presented state of one recipient/participant, null when unknown. */
  getState(query: string | StateQuery, participantId?: string): Promise<PresentedState | null>;
  /** Per-participant states and counts of a group message. */
  getGroupSummary(query: string | StateQuery): Promise<GroupSummary>;
  /** Messages stuck at `status` for longer than `olderThanMs` (needs `store.findStale`). */
  findStale(options: StaleOptions): Promise<StaleMessage[]>;
  /** Like findStale, and emits `stale` for each one not reported at that status before. */
  sweepStale(options: StaleOptions): Promise<StaleMessage[]>;
  /** Delivery funnel, latencies, failures, interactions and revenue of a window (docs/analytics.md). */
  funnel(query: FunnelQuery): Promise<FunnelReport>;
  /** Attaches revenue to the message that drove it; false when this conversion id was already recorded. */
  recordConversion(messageId: string, input: ConversionInput): Promise<boolean>;
  on<K extends keyof TrackerEvents>(name: K, listener: TrackerEvents[K]): Tracker;
  once<K extends keyof TrackerEvents>(name: K, listener: TrackerEvents[K]): Tracker;
  off<K extends keyof TrackerEvents>(name: K, listener?: TrackerEvents[K]): Tracker;
  readonly store: StorageAdapter;
  readonly failedPolicy: FailedPolicy;
  /** The dispatcher feeding `sinks` (null without sinks): `stats()`, `flush()`. */
  readonly dispatcher: Dispatcher | null;
  /**
   * Stops ingesting, flushes the sinks (delivered or dead-lettered), stops the stale timer and
   * closes the store if the tracker created it.
   */
  close(): Promise<void>;
}

const DAY = 86_400_000;

/**
 * Creates a tracker.
 *
 * @example
 * ```ts
 * import { createTracker, normalize } from 'bluetick';
 *
 * const tracker = createTracker(); // memory store, delivery-wins
 * tracker.on('transition', async ({ after }) => db.update(after.messageId, after.status));
 * const report = await tracker.ingest(normalize(rawBody));
 * console.log(report.accepted, report.duplicates, report.errors);
 * ```
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  const ownsStore = options.store === undefined;
  const store = options.store ?? memoryStore();
  const policy: FailedPolicy = options.failedPolicy ?? 'delivery-wins';
  const ttl = options.dedupeTtlMs ?? 8 * DAY;
  const now = options.now ?? Date.now;
  const hub = createListenerHub<TrackerEvents>();
  const aliases = createAliasMap(options.maxAliases ?? 100_000);
  let closed = false;
  let timer: ReturnType<typeof setInterval> | undefined;
  const metrics = options.metrics;
  const dispatcher =
    options.sinks && options.sinks.length > 0 ? createDispatcher({ metrics, ...options.dispatch, sinks: options.sinks }) : null;
  const forward = forwardTo(dispatcher, options.forward);

  async function finish(collector: Collector): Promise<ListenerFailure[]> {
    await hub.settle(collector);
    const failures = collector.failures;
    if (failures.length > 0 && hub.has('error')) {
      // Failures of `error` listeners are reported but not re-emitted (no loops).
      const inner: Collector = { pending: [], failures: [] };
      for (const f of failures.slice()) hub.emit(inner, 'error', f.error, f);
      await hub.settle(inner);
      failures.push(...inner.failures);
    }
    return failures;
  }

  async function ingest(input: IngestInput): Promise<IngestReport> {
    if (closed) throw new TrackingError('closed', 'ingest() after tracker.close().');
    const events = toEvents(input);
    const n = events.length;
    const byKind = { message: 0, status: 0, error: 0, notification: 0 };
    const report: IngestReport = { received: n, accepted: 0, duplicates: 0, transitions: 0, byKind, errors: [] };
    if (n === 0) return report;
    const ids = new Array<string>(n);
    const items: MergeItem[] = [];
    for (let i = 0; i < n; i++) {
      const e = events[i] as CanonicalEvent;
      ids[i] = e.id;
      if (e.kind === 'status') {
        const observation = observe(e, aliases.resolve(e.messageId));
        items.push({ key: trackingKey(observation), observation });
      }
    }
    const replies: InteractionRecord[] = analytics.interactions(events);
    let claimed: boolean[];
    let results: MergeResult[];
    try {
      // Claim first, then merge every status event, duplicates included: the merge is idempotent,
      // and a "duplicate" whose merge still changes the state is an event a failed earlier attempt
      // claimed but never merged, so it is accepted rather than lost.
      claimed = store.claimMany ? await store.claimMany(ids, ttl) : await Promise.all(ids.map((id) => store.claim(id, ttl)));
      if (items.length === 0) results = [];
      else if (store.mergeMany) results = await store.mergeMany(items);
      else results = await Promise.all(items.map((it) => store.merge(it.key, it.observation)));
      // Recorded for duplicates too (idempotent by event id): an earlier attempt may have claimed
      // the event and failed before recording it.
      if (replies.length > 0) await store.recordInteractions?.(replies);
    } catch (err) {
      throw asStorageError(err);
    }

    const collector: Collector = { pending: [], failures: [] };
    const wantStatus = hub.has('status');
    const wantTransition = hub.has('transition');
    const accepted: CanonicalEvent[] = [];
    let j = 0;
    for (let i = 0; i < n; i++) {
      const e = events[i] as CanonicalEvent;
      if (e.kind === 'status') {
        const r = results[j] as MergeResult;
        const key = (items[j] as MergeItem).key;
        j++;
        if (claimed[i] !== true && sameValue(r)) {
          report.duplicates++;
          hub.emit(collector, 'duplicate', e);
          continue;
        }
        accepted.push(e);
        byKind.status++;
        const seen = (items[j - 1] as MergeItem).observation.rank;
        if (r.before !== null && seen > 0 && seen < r.before.rank) emit(metrics, 'preventedDowngrade');
        let after: PresentedState | null = null;
        if (wantStatus) hub.emit(collector, 'status', e, (after = present(r.after, { failedPolicy: policy })));
        if (r.before === null || !samePresentation(r.before, r.after, policy)) {
          report.transitions++;
          if (metrics?.transition) emit(metrics, 'transition', presentedStatus(r.after, policy));
          if (wantTransition) {
            after ??= present(r.after, { failedPolicy: policy });
            const before = r.before === null ? null : present(r.before, { failedPolicy: policy });
            hub.emit(collector, 'transition', { key, before, after, event: e, state: r.after });
          }
        }
        continue;
      }
      if (claimed[i] !== true) {
        report.duplicates++;
        hub.emit(collector, 'duplicate', e);
        continue;
      }
      accepted.push(e);
      byKind[e.kind]++;
      if (e.kind === 'message') hub.emit(collector, 'message', e);
      else if (e.kind === 'error') hub.emit(collector, 'providerError', e);
      else hub.emit(collector, 'notification', e);
    }
    report.accepted = accepted.length;
    if (metrics !== undefined) {
      for (const kind of ['message', 'status', 'error', 'notification'] as const) if (byKind[kind] > 0) emit(metrics, 'events', kind, byKind[kind]);
      if (report.duplicates > 0) emit(metrics, 'duplicates', report.duplicates);
    }
    if (forward && accepted.length > 0) {
      try {
        const r = forward(accepted);
        if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
          collector.pending.push(
            Promise.resolve(r).then(undefined, (error: unknown) => {
              collector.failures.push({ source: 'forward', error, subject: accepted });
            }),
          );
        }
      } catch (error) {
        collector.failures.push({ source: 'forward', error, subject: accepted });
      }
    }
    report.errors = await finish(collector);
    return report;
  }

  const queries = createQueries({ store, policy, now, aliases, defaults: options });
  const analytics = createTrackerAnalytics({ store, policy, now, resolve: (id) => aliases.resolve(id) });

  async function sweepStale(opts: StaleOptions): Promise<StaleMessage[]> {
    const found = await queries.findStale(opts);
    const fresh = queries.unreported(found);
    const collector: Collector = { pending: [], failures: [] };
    for (const s of fresh) hub.emit(collector, 'stale', s);
    await finish(collector);
    return fresh;
  }

  const tracker: Tracker = {
    ingest,
    async track(input) {
      if (closed) throw new TrackingError('closed', 'track() after tracker.close().');
      const t = now();
      const { observation, event } = trackObservation(input, options, t);
      if (input.wasenderMsgId !== undefined) aliases.set(String(input.wasenderMsgId), input.messageId);
      const key = trackingKey(observation);
      let r: MergeResult;
      try {
        r = await store.merge(key, observation);
      } catch (err) {
        throw asStorageError(err);
      }
      const after = present(r.after, { failedPolicy: policy });
      if (r.before === null || !samePresentation(r.before, r.after, policy)) {
        emit(metrics, 'transition', after.status);
        const collector: Collector = { pending: [], failures: [] };
        const before = r.before === null ? null : present(r.before, { failedPolicy: policy });
        hub.emit(collector, 'transition', { key, before, after, event, state: r.after });
        await finish(collector);
      }
      return after;
    },
    getState: (query, participantId) => queries.getState(query, participantId),
    getGroupSummary: (query) => queries.getGroupSummary(query),
    findStale: (opts) => queries.findStale(opts),
    sweepStale,
    funnel: (query) => analytics.funnel(query),
    recordConversion: (messageId, input) => analytics.recordConversion(messageId, input),
    on(name, listener) {
      hub.on(name, listener);
      return tracker;
    },
    once(name, listener) {
      hub.once(name, listener);
      return tracker;
    },
    off(name, listener) {
      hub.off(name, listener);
      return tracker;
    },
    store,
    failedPolicy: policy,
    dispatcher,
    async close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      if (dispatcher) await dispatcher.close();
      if (ownsStore) await store.close();
    },
  };

  if (options.staleCheck) {
    const check = options.staleCheck;
    timer = setInterval(() => {
      sweepStale({ olderThanMs: check.olderThanMs, status: check.statuses ?? ['pending', 'sent'] }).catch((error: unknown) => {
        const collector: Collector = { pending: [], failures: [] };
        hub.emit(collector, 'error', error, { source: 'staleCheck', error });
        void hub.settle(collector);
      });
    }, check.everyMs);
    timer.unref?.();
  }
  return tracker;
}
