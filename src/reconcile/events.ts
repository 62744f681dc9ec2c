/**
 * What a poll becomes: an ordinary canonical status event, so it enters through
 * `tracker.ingest(events, { origin: 'poll' })` and the lattice decides like for any webhook.
 *
 * Ids are deterministic, `provider:poll:messageId:participant:providerStatus`: polling the same
 * status twice (two runs, two processes) is a duplicate, not a new event; the next status a new
 * one. The `poll` kind keeps them apart from webhook ids (`provider:status:…`), which name a
 * recipient the poll may not know.
 */
import { EXPIRED_ANNOTATION } from '../analytics/state-metrics.js';
import { joinId } from '../event/ids.js';
import type { StatusEvent } from '../event/types.js';
import type { DeliveryState } from '../state/state.js';
import type { Observation } from './types.js';

/** The `providerStatus` (and so the annotation) of an expiry: the one the funnel counts. */
export const EXPIRED = EXPIRED_ANNOTATION;

function isoOf(value: string | number | Date | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : null;
}

function baseEvent(state: DeliveryState, status: StatusEvent['status'], providerStatus: string, now: number): StatusEvent {
  const received = new Date(now).toISOString();
  const event: StatusEvent = {
    schemaVersion: 1,
    id: joinId([state.provider, 'poll', state.messageId, state.participantId, providerStatus]),
    kind: 'status',
    provider: state.provider,
    // The provider's own values as the state holds them (never the host's spellings from track()).
    accountId: state.accountId,
    phoneNumberId: null,
    occurredAt: received,
    occurredAtEstimated: true,
    receivedAt: received,
    messageId: state.messageId,
    recipientId: state.recipientId,
    status,
    providerStatus,
    errors: [],
  };
  if (state.participantId !== null) event.participantId = state.participantId;
  return event;
}

/**
 * The status event of a polled status. Without a provider time, `occurredAt` is the poll time,
 * marked `occurredAtEstimated` (any provider time replaces it; analytics leave it out of latencies).
 *
 * @example
 * ```ts
 * pollEvent(state, { key, outcome: 'status', status: 'read', providerStatus: '4' }, Date.now()).id; // 'wasender:poll:3EB0…::4'
 * ```
 */
export function pollEvent(state: DeliveryState, observation: Extract<Observation, { outcome: 'status' }>, now: number): StatusEvent {
  const event = baseEvent(state, observation.status, observation.providerStatus, now);
  const at = isoOf(observation.occurredAt);
  if (at !== null) {
    event.occurredAt = at;
    delete event.occurredAtEstimated;
  }
  if (observation.errors !== undefined && observation.errors.length > 0) event.errors = observation.errors.map((e) => ({ ...e }));
  return event;
}

/**
 * The event that reports a state as expired: `status: 'unknown'`, `providerStatus: 'expired'`.
 * Through `observe()` it becomes the annotation `expired` and nothing else: rank 0 and no
 * timestamp, so the presented status stays what the provider last said (no status is invented)
 * and a late webhook still merges as usual.
 *
 * @example
 * ```ts
 * expiredEvent(state, Date.now()).id; // 'cloud:poll:wamid.X::expired'
 * ```
 */
export function expiredEvent(state: DeliveryState, now: number): StatusEvent {
  return baseEvent(state, 'unknown', EXPIRED, now);
}
