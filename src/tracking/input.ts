/**
 * What `ingest` accepts, checked before any store call: canonical events (one, an array, or a
 * `normalize()` result). Anything else, a raw webhook body most often, is refused with a
 * `TrackingError('invalid_input')` that says what to do instead.
 */
import type { CanonicalEvent } from '../event/types.js';
import { TrackingError } from './errors.js';
import type { IngestInput } from './tracker-types.js';

const KINDS = new Set(['message', 'status', 'error', 'notification']);
const PROVIDERS = new Set(['cloud', 'onprem', 'wasender']);

function looksRaw(x: Record<string, unknown>): boolean {
  return 'object' in x || 'entry' in x || ('event' in x && 'data' in x) || 'statuses' in x || 'messages' in x || 'contacts' in x;
}

function check(e: unknown, where: string): CanonicalEvent {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new TrackingError('invalid_input', `ingest(): ${where} is not a canonical event.`);
  const x = e as Record<string, unknown>;
  if (x.schemaVersion !== 1 || typeof x.kind !== 'string' || !KINDS.has(x.kind)) {
    const hint = looksRaw(x) ? ' It looks like a raw webhook body: pass normalize(body) (or body.events) instead.' : '';
    throw new TrackingError('invalid_input', `ingest(): ${where} is not a canonical event (schemaVersion 1 and a kind are required).${hint}`);
  }
  if (typeof x.id !== 'string' || x.id === '' || typeof x.provider !== 'string' || !PROVIDERS.has(x.provider)) {
    throw new TrackingError('invalid_input', `ingest(): ${where} needs a non-empty string id and a provider.`);
  }
  if (x.kind === 'status' && (typeof x.messageId !== 'string' || x.messageId === '' || typeof x.status !== 'string')) {
    throw new TrackingError('invalid_input', `ingest(): ${where} is a status event without a messageId or status.`);
  }
  return e as CanonicalEvent;
}

/**
 * The events of an ingest input, checked.
 *
 * @example
 * ```ts
 * eventsOf(normalize(body)); // its events
 * eventsOf(JSON.parse(body)); // throws TrackingError invalid_input: "…pass normalize(body)…"
 * ```
 */
export function eventsOf(input: IngestInput): readonly CanonicalEvent[] {
  if (Array.isArray(input)) {
    input.forEach((e, i) => check(e, `item ${i}`));
    return input as readonly CanonicalEvent[];
  }
  if (input !== null && typeof input === 'object' && 'events' in input && Array.isArray((input as { events: unknown }).events)) {
    const events = (input as { events: unknown[] }).events;
    events.forEach((e, i) => check(e, `events[${i}]`));
    return events as CanonicalEvent[];
  }
  return [check(input, 'the input')];
}
