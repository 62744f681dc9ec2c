/**
 * Public types of the tracker: options, events, reports.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent, ErrorEvent, MessageEvent, NormalizeResult, NotificationEvent, Provider, StatusEvent } from '../event/types.js';
import type { MetricsHook } from '../metrics/hook.js';
import type { OpenTelemetryApiLike } from '../tracing/api.js';
import type { DispatcherOptions } from '../sinks/dispatcher.js';
import type { Sink } from '../sinks/types.js';
import type { FailedPolicy, PresentedState } from '../state/present.js';
import type { DeliveryState, ProgressStatus } from '../state/state.js';
import type { StateStore } from '../storage/state-store.js';
import type { GroupCommitOptions } from './group-commit.js';
import type { ListenerFailure } from './listeners.js';

/** Where the observation behind a transition or change came from. */
export type ChangeOrigin = 'ingest' | 'track' | 'poll';

/**
 * A presented state that changed: emitted as `transition` when its `status` changed (at most once
 * per status reached, per state, across every process sharing a store), as `change` for any
 * other presented change.
 */
export interface Transition {
  /** The state key (`stateKey()`): provider, message id and group participant. */
  key: string;
  /** Presented state before the event (null: the first observation of this state). */
  before: PresentedState | null;
  after: PresentedState;
  /** The status event that caused it (for `track()`, a synthetic `pending` event). */
  event: StatusEvent;
  /** The merged state after the event. */
  state: DeliveryState;
  /** A webhook or queue (`ingest`), the host's `track()`, or a reconciliation poll. */
  origin: ChangeOrigin;
  /** True when re-emitted from the outbox after the process that committed it stopped before its listeners ran. */
  recovered?: true;
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
 * The tracker's events and their listener signatures. Listeners run after the store committed
 * the batch, at least once for every accepted event (see docs/delivery-state.md for the exact
 * guarantees). They may be async: `ingest` awaits them, and their failures are reported, never
 * thrown.
 */
export interface TrackerEvents {
  /** A new (non-duplicate) message event. */
  message: (event: MessageEvent) => unknown;
  /** A new status event, with its state's presented view after merging it. */
  status: (event: StatusEvent, state: PresentedState) => unknown;
  /** A state's presented `status` changed (or the state is new). */
  transition: (transition: Transition) => unknown;
  /** Any other presented change of a state: a refined time, a flag, an implied time becoming observed. */
  change: (change: Transition) => unknown;
  /** An event whose id was already claimed: nothing else is emitted for it. */
  duplicate: (event: CanonicalEvent) => unknown;
  /** A WABA/app-level error event (`kind: "error"`). */
  providerError: (event: ErrorEvent) => unknown;
  /** Any other provider notification (account, template, call, session updates, …). */
  notification: (event: NotificationEvent) => unknown;
  /** A message found stuck by `sweepStale()`. */
  stale: (stale: StaleMessage) => unknown;
  /** A listener (or the forward hook, or a background task) failed. */
  error: (error: unknown, failure: ListenerFailure) => unknown;
}

/** What `ingest` did with a batch. */
export interface IngestReport {
  /** Events in the input. */
  received: number;
  /** New events: committed, emitted, and in the outbox of every sink. */
  accepted: number;
  /** Events whose id was already claimed. */
  duplicates: number;
  /** `transition` events emitted. */
  transitions: number;
  /** `change` events emitted. */
  changes: number;
  /** Accepted events by kind. */
  byKind: { message: number; status: number; error: number; notification: number };
  /** Listener and forward-hook failures (also emitted as `error`). The events were not lost. */
  errors: ListenerFailure[];
}

/** Periodic stale sweep. */
export interface StaleCheckOptions {
  everyMs: number;
  olderThanMs: number;
  statuses?: readonly ProgressStatus[];
}

/** Options of `createTracker`. */
export interface TrackerOptions {
  /** Default: a new `memoryStore()`. */
  store?: StateStore;
  /** Close the store in `tracker.close()`. Default true (false: you close it). */
  closeStore?: boolean;
  /** Default `delivery-wins`. */
  failedPolicy?: FailedPolicy;
  /** How long an event id is remembered for dedupe. Default 8 days (Meta retries for up to 7). */
  dedupeTtlMs?: number;
  /**
   * Sinks that receive every accepted event from the store's outbox, batched, retried and
   * dead-lettered by a dispatcher the tracker creates (`tracker.dispatcher`). Give each sink a
   * stable `name`: it names its share of the outbox across restarts and processes.
   */
  sinks?: readonly Sink[];
  /**
   * Names of sinks that OTHER processes on this store drain: every event this tracker accepts is
   * appended to their share of the outbox too. A process that ingests without running those sinks
   * (a reconciliation job, a queue consumer) sets it so the receivers' sinks still get its events.
   */
  outboxConsumers?: readonly string[];
  /** Dispatcher settings for `sinks`: batch size, retries, dead-letter sink, … */
  dispatch?: Omit<DispatcherOptions, 'sinks' | 'outbox'>;
  /** Receives every accepted event of each batch, after the commit (in process, like a listener). */
  forward?: (events: CanonicalEvent[]) => unknown;
  /** Provider for `track()` calls that give none. */
  provider?: Provider;
  /** Account for `track()` calls that give none. */
  accountId?: string | null;
  /** Run `sweepStale` periodically (unref'd timer, stopped by `close()`). */
  staleCheck?: StaleCheckOptions;
  /** Coalescing of concurrent ingests into one store step. */
  groupCommit?: GroupCommitOptions;
  /**
   * Keep listener deliveries in the outbox until the listeners ran, so another process (or this
   * one after a restart) runs them when this one stops first. Default true.
   */
  durableListeners?: boolean;
  /** How long this process holds what it just committed before others may deliver it. Default 60 s. */
  leaseMs?: number;
  /** How often orphaned listener deliveries are looked for. Default 5 s. */
  recoverEveryMs?: number;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /** Receives event, duplicate, transition and prevented-downgrade counts (and the sinks' dispatcher's). */
  metrics?: MetricsHook;
  /**
   * The `@opentelemetry/api` module (`import * as otel from '@opentelemetry/api'`): a
   * `bluetick.store` span per ingest (events, claimed, duplicates), and the sinks' dispatcher's
   * `bluetick.sink.deliver` spans, linked to it. Default: no tracing.
   */
  tracing?: OpenTelemetryApiLike;
}

/** What the host knows at send time, for `track()`. */
export interface TrackInput {
  messageId: string;
  /** The recipient as you hold it: `+1 650 555 1234`, `16505551234`, `…@s.whatsapp.net`. */
  recipientId?: string;
  provider?: Provider;
  /** Your spelling of the account (the provider's own value wins once it reports one). */
  accountId?: string | null;
  bizOpaqueCallbackData?: string;
  /** WASender's numeric send-response `msgId`: events naming it resolve to `messageId`. */
  wasenderMsgId?: string | number;
  campaign?: string;
  tags?: string[];
  /** When the host sent it (ISO string, Date or epoch ms). Default now. */
  sentAt?: string | Date | number;
}

/** Which state `getState` reads: a message, or one group participant's copy. */
export interface StateQuery {
  messageId: string;
  participantId?: string;
  provider?: Provider;
}

/** How far a group message got with its participants. */
export interface ParticipantSummary {
  total: number;
  /** Participants with rank ≥ delivered (read and played included). */
  delivered: number;
  /** Participants with rank ≥ read. */
  read: number;
  played: number;
  /** Participants whose presented status is `failed`. */
  failed: number;
}

/**
 * What `getState(messageId)` returns: the message's presented state, and for a group message its
 * participants' summary. When the provider reported only participants, the message's state is
 * the join of theirs (the furthest any participant got).
 */
export interface MessageState extends PresentedState {
  participants?: ParticipantSummary;
}

/** Aggregates of a group message over its participants. */
export interface GroupSummary {
  messageId: string;
  /** Presented state of each participant, sorted by participant id. */
  participants: PresentedState[];
  /** The group-level state (no participant), when the provider sent one. */
  group: PresentedState | null;
  total: number;
  deliveredCount: number;
  readCount: number;
  playedCount: number;
  failedCount: number;
}

/** Input accepted by `ingest`: a `normalize()` result, an array of events, or one event. */
export type IngestInput = NormalizeResult | readonly CanonicalEvent[] | CanonicalEvent;

/** Options of `findStale` / `sweepStale`. */
export interface StaleOptions {
  olderThanMs: number;
  /** Default `['pending', 'sent']`. */
  status?: ProgressStatus | readonly ProgressStatus[];
  limit?: number;
}
