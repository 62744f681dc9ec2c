/**
 * Public types of the tracker: options, events, reports.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent, ErrorEvent, MessageEvent, NormalizeResult, NotificationEvent, Provider, StatusEvent } from '../event/types.js';
import type { MetricsHook } from '../metrics/hook.js';
import type { StorageAdapter } from '../storage/adapter.js';
import type { DispatcherOptions } from '../sinks/dispatcher.js';
import type { Sink } from '../sinks/types.js';
import type { ListenerFailure } from './listeners.js';
import type { FailedPolicy, PresentedState } from './present.js';
import type { DeliveryState } from './state.js';

/** A change of a presented state, emitted once per change. */
export interface Transition {
  key: string;
  /** Presented state before the event (null: first observation of this key). */
  before: PresentedState | null;
  after: PresentedState;
  /** The status event that caused it (for `track()`, a synthetic `pending` event). */
  event: StatusEvent;
  /** The merged state after the event. */
  state: DeliveryState;
}

/** A message stuck at a progress status, reported by `sweepStale()`. */
export interface StaleMessage {
  key: string;
  state: PresentedState;
  /** ISO time the message reached its current status (null when unknown). */
  since: string | null;
  /** Milliseconds since then. */
  ageMs: number;
}

/**
 * The tracker's events and their listener signatures. Listeners may be async: `ingest` awaits
 * them, and their failures are reported, never thrown.
 */
export interface TrackerEvents {
  /** A new (non-duplicate) message event. */
  message: (event: MessageEvent) => unknown;
  /** A new status event, with the key's presented state after merging it. */
  status: (event: StatusEvent, state: PresentedState) => unknown;
  /** The presented state of a key changed. */
  transition: (transition: Transition) => unknown;
  /** An event whose id was already claimed: dropped. */
  duplicate: (event: CanonicalEvent) => unknown;
  /** A WABA/app-level error event (`kind: "error"`). */
  providerError: (event: ErrorEvent) => unknown;
  /** Any other provider notification (account, template, call, session updates, …). */
  notification: (event: NotificationEvent) => unknown;
  /** A message found stuck by `sweepStale()`. */
  stale: (stale: StaleMessage) => unknown;
  /** A listener (or the forward hook, or the stale timer) failed. */
  error: (error: unknown, failure: ListenerFailure) => unknown;
}

/** What `ingest` did with a batch. */
export interface IngestReport {
  /** Events in the input. */
  received: number;
  /** New events, processed and emitted. */
  accepted: number;
  /** Events dropped as already seen. */
  duplicates: number;
  /** `transition` events emitted. */
  transitions: number;
  /** Accepted events by kind. */
  byKind: { message: number; status: number; error: number; notification: number };
  /** Listener and forward-hook failures (also emitted as `error`). The events were not lost. */
  errors: ListenerFailure[];
}

/** Periodic stale sweep. */
export interface StaleCheckOptions {
  everyMs: number;
  olderThanMs: number;
  statuses?: ReadonlyArray<'pending' | 'sent' | 'delivered' | 'read'>;
}

/** Options of `createTracker`. */
export interface TrackerOptions {
  /** Default: a new `memoryStore()` (closed by `tracker.close()`; a store you pass is not). */
  store?: StorageAdapter;
  /** Default `delivery-wins`. */
  failedPolicy?: FailedPolicy;
  /** How long an event id is remembered for dedupe. Default 8 days (Meta retries for up to 7). */
  dedupeTtlMs?: number;
  /**
   * Sinks that receive every accepted event, batched, retried and dead-lettered by a dispatcher
   * the tracker creates (its stats are `tracker.dispatcher.stats()`); `close()` flushes them.
   */
  sinks?: readonly Sink[];
  /** Dispatcher settings for `sinks`: batch size, retries, queue bounds, dead-letter sink, … */
  dispatch?: Omit<DispatcherOptions, 'sinks'>;
  /** Receives every accepted event of each batch (after the sinks' dispatcher, if any). */
  forward?: (events: CanonicalEvent[]) => unknown;
  /** Provider for `track()` calls that give none. */
  provider?: Provider;
  /** Account for `track()` calls that give none. */
  accountId?: string | null;
  /** Most WASender msgId aliases remembered (oldest dropped first). Default 100 000. */
  maxAliases?: number;
  /** Run `sweepStale` periodically (unref'd timer, stopped by `close()`). */
  staleCheck?: StaleCheckOptions;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Receives event, duplicate, transition and prevented-downgrade counts (and the sinks' dispatcher's). */
  metrics?: MetricsHook;
}

/** What the host knows at send time, for `track()`. */
export interface TrackInput {
  messageId: string;
  recipientId: string;
  provider?: Provider;
  accountId?: string | null;
  bizOpaqueCallbackData?: string;
  /** WASender's numeric send-response `msgId`: events naming it resolve to `messageId`. */
  wasenderMsgId?: string | number;
  campaign?: string;
  tags?: string[];
  /** When the host sent it (ISO string, Date or epoch ms). Default now. */
  sentAt?: string | Date | number;
}

/** Which state `getState` should read, when a message id alone is not enough. */
export interface StateQuery {
  messageId: string;
  participantId?: string;
  recipientId?: string;
  provider?: Provider;
  accountId?: string | null;
}

/** Aggregates of a group message over its participants. */
export interface GroupSummary {
  messageId: string;
  /** Presented state of each participant, sorted by participant id. */
  participants: PresentedState[];
  /** The group-level state (no participant), when the provider sent one. */
  group: PresentedState | null;
  total: number;
  /** Participants with rank ≥ delivered (read and played included). */
  deliveredCount: number;
  /** Participants with rank ≥ read. */
  readCount: number;
  playedCount: number;
  /** Participants whose presented status is `failed`. */
  failedCount: number;
}

/** Input accepted by `ingest`: a `normalize()` result, an array of events, or one event. */
export type IngestInput = NormalizeResult | readonly CanonicalEvent[] | CanonicalEvent;

/** Options of `findStale` / `sweepStale`. */
export interface StaleOptions {
  olderThanMs: number;
  /** Default `['pending', 'sent']`. */
  status?: 'pending' | 'sent' | 'delivered' | 'read' | ReadonlyArray<'pending' | 'sent' | 'delivered' | 'read'>;
  limit?: number;
}
