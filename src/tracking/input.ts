/**
 * What `ingest` accepts, checked before any store call: canonical events (one, an array, or a
 * `normalize()` result). Anything else, a raw webhook body most often, is refused with a
 * `TrackingError('invalid_input')` that says what to do instead.
 */
import type { CanonicalEvent } from '../event/types.js';
import { TrackingError } from './errors.js';
import type { IngestInput } from './tracker-types.js';

// Comparisons, not Set lookups: this runs for every event ingested.
const isKind = (k: unknown): boolean => k === 'status' || k === 'message' || k === 'notification' || k === 'error';
const isProvider = (p: unknown): boolean => p === 'cloud' || p === 'wasender' || p === 'onprem';

function looksRaw(x: Record<string, unknown>): boolean {
  return 'object' in x || 'entry' in x || ('event' in x && 'data' in x) || 'statuses' in x || 'messages' in x || 'contacts' in x;
}

/** Where an item sits, named only when an error is thrown (no string is built per event). */
type Where = (index: number) => string;
const ITEM: Where = (i) => `item ${i}`;
const EVENTS: Where = (i) => `events[${i}]`;
const WHOLE: Where = () => 'the input';

function check(e: unknown, where: Where, index = 0): CanonicalEvent {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new TrackingError('invalid_input', `ingest(): ${where(index)} is not a canonical event.`);
  const x = e as Record<string, unknown>;
  if (x.schemaVersion !== 1 || !isKind(x.kind)) {
    const hint = looksRaw(x) ? ' It looks like a raw webhook body: pass normalize(body) (or body.events) instead.' : '';
    throw new TrackingError('invalid_input', `ingest(): ${where(index)} is not a canonical event (schemaVersion 1 and a kind are required).${hint}`);
  }
  if (typeof x.id !== 'string' || x.id === '' || !isProvider(x.provider)) {
    throw new TrackingError('invalid_input', `ingest(): ${where(index)} needs a non-empty string id and a provider.`);
  }
  if (x.kind === 'status' && (typeof x.messageId !== 'string' || x.messageId === '' || typeof x.status !== 'string')) {
    throw new TrackingError('invalid_input', `ingest(): ${where(index)} is a status event without a messageId or status.`);
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
    for (let i = 0; i < input.length; i++) check(input[i], ITEM, i);
    return input as readonly CanonicalEvent[];
  }
  if (input !== null && typeof input === 'object' && 'events' in input && Array.isArray((input as { events: unknown }).events)) {
    const events = (input as { events: unknown[] }).events;
    for (let i = 0; i < events.length; i++) check(events[i], EVENTS, i);
    return events as CanonicalEvent[];
  }
  return [check(input, WHOLE)];
}
