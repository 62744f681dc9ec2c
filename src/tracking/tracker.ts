/**
 * The tracker: turns canonical events into one atomic store step (claims, merges, outbox records;
 * group-committed with concurrent ingests), then emits typed events after the commit and hands
 * the sinks' records to the dispatcher.
 *
 * @packageDocumentation
 */
import { interactionsOf } from '../analytics/interactions.js';
import { BluetickError, StorageError } from '../errors.js';
import type { CanonicalEvent, StatusEvent } from '../event/types.js';
import { emit as emitMetric } from '../metrics/hook.js';
import { createDispatcher, type Dispatcher } from '../sinks/dispatcher.js';
import { stateKey } from '../state/key.js';
import { observe } from '../state/observe.js';
import { present, type FailedPolicy, type PresentedState } from '../state/present.js';
import { trackedObservation } from '../state/track.js';
import { isAnalyticsStore } from '../storage/analytics-store.js';
import { memoryStore } from '../storage/memory-store.js';
import { LISTENERS_CONSUMER, type OutboxRecord } from '../storage/outbox.js';
import { SANITIZED, sanitizeValue } from '../storage/sanitize.js';
import type { MergeItem, StateStore } from '../storage/state-store.js';
import type { SpanLike } from '../tracing/api.js';
import { resolveTracing } from '../tracing/tracing.js';
import { createTrackerAnalytics } from './analytics.js';
import { emitAccepted, emitChange, type EmitContext } from './emit.js';
import { TrackingError } from './errors.js';
import { createGroupCommitter } from './group-commit.js';
import { eventsOf } from './input.js';
import { createListenerOutbox } from './listener-outbox.js';
import { createListenerHub, type Collector, type ListenerFailure } from './listeners.js';
import { createQueries } from './queries.js';
import type {
  GroupSummary,
  IngestInput,
  IngestReport,
  MessageState,
  StaleMessage,
  StaleOptions,
  StateQuery,
  TrackerEvents,
  TrackerOptions,
  TrackInput,
} from './tracker-types.js';
import type { ConversionInput, FunnelQuery, FunnelReport } from '../analytics/types.js';
import { describeValue } from '../internal/describe.js';

/** A delivery tracker. Create one with {@link createTracker}. */
export interface Tracker {
  /**
   * Commits a batch (claims, merges, outbox) in one store step, then emits; resolves once every
   * listener settled. `origin: 'poll'` marks status events a reconciliation read from a provider's
   * API: they merge like webhooks (the lattice decides) and their transitions and changes say so.
   */
  ingest(input: IngestInput, options?: { origin?: 'ingest' | 'poll' }): Promise<IngestReport>;
  /** Declares a message the host sent: seeds its `pending` state with the host's metadata. */
  track(input: TrackInput): Promise<PresentedState>;
  /**
   * A message's presented state (with its participants' summary for a group message), or one
   * participant's (`getState(messageId, participantId)` or `getState({ messageId, participantId })`);
   * null when unknown.
   */
  getState(query: string | StateQuery, participantId?: string): Promise<MessageState | null>;
  /** Per-participant states and counts of a group message. */
  getGroupSummary(query: string | StateQuery): Promise<GroupSummary>;
  /** Messages stuck at `status` for longer than `olderThanMs`. */
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
  /**
   * Resolves when the store (and every sink) can serve; rejects with a `ConfigError` for a
   * configuration mistake such as a missing optional package. The webhook adapters await it.
   */
  ready(): Promise<void>;
  readonly store: StateStore;
  readonly failedPolicy: FailedPolicy;
  /** The dispatcher feeding `sinks` (null without sinks): `stats()`, `flush()`. */
  readonly dispatcher: Dispatcher | null;
  /**
   * Stops taking events, waits for the ingests in flight, runs or hands back what listeners and
   * sinks still hold (undelivered records stay in the store's outbox), stops timers and closes
   * the store unless `closeStore: false`.
   */
  close(): Promise<void>;
}

const DAY = 86_400_000;
/** Listener kinds whose deliveries are kept in the outbox until they ran. */
const DURABLE: ReadonlyArray<keyof TrackerEvents> = ['message', 'status', 'transition', 'change', 'providerError', 'notification'];
const NUMERIC = /^\d+$/;

/** Store failures reach the caller as StorageErrors (the HTTP layer answers 503), whatever the store threw. */
function asStorageError(err: unknown): BluetickError {
  if (err instanceof BluetickError) return err;
  const message = err instanceof Error ? err.message : describeValue(err);
  return new StorageError('unavailable', `Storage failed: ${message}`, { cause: err });
}

function toMs(value: string | Date | number | undefined, now: number): number {
  if (value === undefined) return now;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new TrackingError('invalid_input', `track(): invalid sentAt ${describeValue(value)}`);
  return ms;
}

/**
 * Creates a tracker.
 *
 * @example
 * ```ts
 * import { createTracker, normalize } from 'bluetick';
 *
 * const tracker = createTracker(); // memory store, delivery-wins
 * tracker.on('transition', ({ before, after }) => console.log(after.messageId, before?.status, '→', after.status));
 * const report = await tracker.ingest(normalize(rawBody));
 * console.log(report.accepted, report.duplicates, report.transitions);
 * await tracker.close();
 * ```
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  const store = options.store ?? memoryStore();
  const closeStore = options.closeStore !== false;
  const policy: FailedPolicy = options.failedPolicy ?? 'delivery-wins';
  const claimTtlMs = options.dedupeTtlMs ?? 8 * DAY;
  const leaseMs = options.leaseMs ?? 60_000;
  const now = options.now ?? Date.now;
  const metrics = options.metrics;
  const tracing = resolveTracing(options.tracing, 'createTracker');
  const hub = createListenerHub<TrackerEvents>();
  const ctx: EmitContext = { hub, policy, metrics };
  // Listener records are worth writing only where they outlive this process.
  const durable = options.durableListeners !== false && store.outbox.durable !== false;
  const dispatcher =
    options.sinks && options.sinks.length > 0 ? createDispatcher({ metrics, tracing: options.tracing, ...options.dispatch, sinks: options.sinks, outbox: store.outbox }) : null;
  // Sinks that other processes drain: records are appended for them, never held here.
  const othersConsumers = new Set((options.outboxConsumers ?? []).filter((c) => !(dispatcher?.consumers ?? []).includes(c)));
  const committer = createGroupCommitter(store, { claimTtlMs, leaseMs }, options.groupCommit);
  const queries = createQueries({ store, policy, now, ...(options.provider === undefined ? {} : { defaultProvider: options.provider }) });
  const analytics = createTrackerAnalytics({ store, policy, now });
  const reportError = (source: string) => (error: unknown) => {
    const collector: Collector = { pending: [], failures: [] };
    hub.emit(collector, 'error', error, { source, error });
    void hub.settle(collector);
  };
  const listenerOutbox = createListenerOutbox(store.outbox, leaseMs, reportError('listenerOutbox'));
  let closed = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const timers: Array<ReturnType<typeof setInterval>> = [];
  let readiness: Promise<void> | undefined;

  const wantsListenerRecords = () => durable && (options.forward !== undefined || DURABLE.some((name) => hub.has(name)));

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

  function forward(collector: Collector, accepted: CanonicalEvent[]): void {
    if (options.forward === undefined || accepted.length === 0) return;
    try {
      const r = options.forward(accepted);
      if (r !== null && typeof r === 'object' && typeof (r as PromiseLike<unknown>).then === 'function') {
        collector.pending.push(Promise.resolve(r).then(undefined, (error: unknown) => void collector.failures.push({ source: 'forward', error, subject: accepted })));
      }
    } catch (error) {
      collector.failures.push({ source: 'forward', error, subject: accepted });
    }
  }

  /** WASender numeric send ids among the status events, resolved to the tracked message ids. */
  async function aliasesOf(events: readonly CanonicalEvent[]): Promise<Record<string, string>> {
    const numeric = new Set<string>();
    for (const e of events) {
      if (e.provider !== 'wasender') continue;
      if (e.kind === 'status' && NUMERIC.test(e.messageId)) numeric.add(e.messageId);
      else if (e.kind === 'message' && e.context?.messageId !== undefined && NUMERIC.test(e.context.messageId)) numeric.add(e.context.messageId);
    }
    return numeric.size === 0 ? {} : store.resolveAliases('wasender', [...numeric]);
  }

  async function commitAndEmit(events: readonly CanonicalEvent[], origin: 'ingest' | 'poll'): Promise<IngestReport> {
    const n = events.length;
    const byKind = { message: 0, status: 0, error: 0, notification: 0 };
    const report: IngestReport = { received: n, accepted: 0, duplicates: 0, transitions: 0, changes: 0, byKind, errors: [] };
    if (n === 0) return report;
    const aliases = await aliasesOf(events);
    // Own keys only: a provider message id like `constructor` must resolve to itself, not to Object's.
    const resolve = (id: string) => (Object.hasOwn(aliases, id) ? (aliases[id] as string) : id);
    const merges: MergeItem[] = [];
    const mergeOf = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      const e = events[i] as CanonicalEvent;
      if (e.kind !== 'status') continue;
      const observation = observe(e, e.provider === 'wasender' ? resolve(e.messageId) : e.messageId);
      mergeOf[i] = merges.length;
      merges.push({ key: stateKey(observation), observation, event: i });
    }
    const consumers = [...new Set([...(dispatcher?.consumers ?? []), ...(options.outboxConsumers ?? [])])];
    const listenerRecords = wantsListenerRecords();
    if (listenerRecords) consumers.push(LISTENERS_CONSUMER);
    const span: SpanLike | undefined = tracing?.start('bluetick.store', { 'bluetick.events': n, 'bluetick.origin': origin });
    let result: Awaited<ReturnType<typeof committer.submit>>;
    try {
      result = await committer.submit({
        events,
        merges,
        interactions: isAnalyticsStore(store) ? interactionsOf(events, resolve) : [],
        consumers,
      });
    } catch (error) {
      if (span !== undefined) tracing?.end(span, error);
      throw error;
    }
    if (span !== undefined) {
      const claimed = result.claimed.filter((c) => c === true).length;
      span.setAttribute('bluetick.claimed', claimed);
      span.setAttribute('bluetick.duplicates', n - claimed);
      tracing?.end(span);
    }

    const collector: Collector = { pending: [], failures: [] };
    const accepted: CanonicalEvent[] = [];
    for (let i = 0; i < n; i++) {
      const e = events[i] as CanonicalEvent;
      if (result.claimed[i] !== true) {
        report.duplicates++;
        hub.emit(collector, 'duplicate', e);
        continue;
      }
      accepted.push(e);
      byKind[e.kind]++;
      const m = mergeOf[i] as number;
      const merged = m >= 0 ? result.merged[m] : undefined;
      emitAccepted(ctx, collector, merged === undefined ? { event: e } : { event: e, before: merged.before, after: merged.after }, report, origin);
    }
    report.accepted = accepted.length;
    for (const kind of ['message', 'status', 'error', 'notification'] as const) if (byKind[kind] > 0) emitMetric(metrics, 'events', kind, byKind[kind]);
    if (report.duplicates > 0) emitMetric(metrics, 'duplicates', report.duplicates);
    forward(collector, accepted);

    const sinkRecords: OutboxRecord[] = [];
    const mine: OutboxRecord[] = [];
    const others = new Map<string, string[]>();
    for (const r of result.records) {
      if (r.consumer === LISTENERS_CONSUMER) mine.push(r);
      else if (othersConsumers.has(r.consumer)) others.set(r.consumer, [...(others.get(r.consumer) ?? []), r.id]);
      else sinkRecords.push(r);
    }
    // Records for sinks other processes drain: this one does not hold them.
    for (const [consumer, ids] of others) void store.outbox.release(consumer, ids).catch(reportError('outboxRelease'));
    if (dispatcher !== null && sinkRecords.length > 0) {
      // Under the store span, so the delivery spans link to the step that committed their records.
      if (span === undefined) dispatcher.deliver(sinkRecords);
      else tracing?.within(span, () => dispatcher.deliver(sinkRecords));
    }
    report.errors = await finish(collector);
    listenerOutbox.ack(mine);
    return report;
  }

  async function ingest(input: IngestInput, opts: { origin?: 'ingest' | 'poll' } = {}): Promise<IngestReport> {
    if (closed) throw new TrackingError('closed', 'ingest() after tracker.close().');
    const origin = opts.origin ?? 'ingest';
    if (origin !== 'ingest' && origin !== 'poll') throw new TrackingError('invalid_input', `ingest(): origin must be 'ingest' or 'poll'.`);
    // The one storable form of text (src/storage/sanitize.ts), before anything is stored or emitted;
    // a webhook handler marks the results whose body it checked to need none.
    const checked = eventsOf(input);
    const events = (input as { [SANITIZED]?: true })[SANITIZED] === true ? checked : checked.map(sanitizeValue);
    inFlight++;
    try {
      return await commitAndEmit(events, origin);
    } catch (err) {
      throw err instanceof TrackingError ? err : asStorageError(err);
    } finally {
      if (--inFlight === 0 && drained !== undefined) drained();
    }
  }

  /** Re-runs listeners from records whose committing process stopped before running them. */
  async function recover(): Promise<void> {
    if (closed || !wantsListenerRecords()) return;
    await listenerOutbox.recover(async (records) => {
      const collector: Collector = { pending: [], failures: [] };
      const counts = { transitions: 0, changes: 0 };
      for (const r of records) {
        const item = r.after === undefined ? { event: r.event } : { event: r.event, before: r.before ?? null, after: r.after };
        emitAccepted(ctx, collector, item, counts, 'ingest', true);
      }
      forward(collector, records.map((r) => r.event));
      await finish(collector);
    });
  }

  async function sweepStale(opts: StaleOptions): Promise<StaleMessage[]> {
    const fresh = queries.unreported(await queries.findStale(opts));
    const collector: Collector = { pending: [], failures: [] };
    for (const s of fresh) hub.emit(collector, 'stale', s);
    await finish(collector);
    return fresh;
  }

  const tracker: Tracker = {
    ingest,
    async track(input) {
      if (closed) throw new TrackingError('closed', 'track() after tracker.close().');
      const provider = input.provider ?? options.provider;
      if (provider === undefined) throw new TrackingError('unresolved_key', 'track(): give a provider (or set createTracker({ provider })).');
      if (typeof input.messageId !== 'string' || input.messageId === '') throw new TrackingError('invalid_input', 'track(): give the messageId the provider returned.');
      const t = now();
      const accountId = input.accountId !== undefined ? input.accountId : (options.accountId ?? null);
      const observation = trackedObservation(sanitizeValue({
        provider,
        messageId: input.messageId,
        sentAt: toMs(input.sentAt, t),
        ...(accountId === null ? {} : { accountId }),
        ...(input.recipientId === undefined ? {} : { recipientId: input.recipientId }),
        ...(input.campaign === undefined ? {} : { campaign: input.campaign }),
        ...(input.tags === undefined ? {} : { tags: input.tags }),
        ...(input.wasenderMsgId === undefined ? {} : { wasenderMsgId: String(input.wasenderMsgId) }),
        ...(input.bizOpaqueCallbackData === undefined ? {} : { bizOpaqueCallbackData: input.bizOpaqueCallbackData }),
      }));
      inFlight++;
      try {
        const result = await committer.submit({ events: [], merges: [{ key: stateKey(observation), observation, event: -1 }], interactions: [], consumers: [] });
        const merged = result.merged[0] as { before: typeof observation | null; after: typeof observation };
        const iso = new Date(observation.pendingAt).toISOString();
        const event: StatusEvent = {
          schemaVersion: 1,
          id: `track:${stateKey(observation)}`,
          kind: 'status',
          provider,
          accountId,
          phoneNumberId: null,
          occurredAt: iso,
          receivedAt: new Date(t).toISOString(),
          messageId: input.messageId,
          recipientId: observation.meta?.recipientId ?? null,
          status: 'pending',
          providerStatus: 'track',
          errors: [],
        };
        const collector: Collector = { pending: [], failures: [] };
        emitChange(ctx, collector, event, merged.before, merged.after, 'track');
        await finish(collector);
        return present(merged.after, { failedPolicy: policy });
      } catch (err) {
        throw err instanceof TrackingError ? err : asStorageError(err);
      } finally {
        if (--inFlight === 0 && drained !== undefined) drained();
      }
    },
    async getState(query, participantId) {
      const q: StateQuery = typeof query === 'string' ? { messageId: query } : { ...query };
      if (participantId !== undefined) q.participantId = participantId;
      if (NUMERIC.test(q.messageId) && (q.provider === undefined || q.provider === 'wasender')) {
        const hit = (await store.resolveAliases('wasender', [q.messageId]))[q.messageId];
        if (hit !== undefined) return queries.getState({ ...q, messageId: hit, provider: 'wasender' });
      }
      return queries.getState(q);
    },
    getGroupSummary: (query) => queries.getGroupSummary(query),
    findStale: (opts) => queries.findStale(opts),
    sweepStale,
    funnel: (query) => analytics.funnel(query),
    async recordConversion(messageId, input) {
      const hit = NUMERIC.test(messageId) ? (await store.resolveAliases('wasender', [messageId]))[messageId] : undefined;
      return analytics.recordConversion(hit ?? messageId, input);
    },
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
    ready() {
      readiness ??= Promise.all([store.ready(), dispatcher?.ready()]).then(
        () => undefined,
        (err: unknown) => {
          readiness = undefined; // an outage may end: ask again next time
          throw err;
        },
      );
      return readiness;
    },
    store,
    failedPolicy: policy,
    dispatcher,
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
      await committer.idle();
      await listenerOutbox.flush();
      if (dispatcher) await dispatcher.close();
      if (closeStore) await store.close();
    },
  };

  const every = (ms: number, task: () => Promise<unknown>, source: string) => {
    const timer = setInterval(() => void task().catch(reportError(source)), ms);
    timer.unref?.();
    timers.push(timer);
  };
  if (durable) every(options.recoverEveryMs ?? 5_000, recover, 'listenerRecovery');
  if (options.staleCheck) {
    const check = options.staleCheck;
    every(check.everyMs, () => sweepStale({ olderThanMs: check.olderThanMs, status: check.statuses ?? ['pending', 'sent'] }), 'staleCheck');
  }
  return tracker;
}
