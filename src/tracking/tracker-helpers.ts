/** Small helpers of the tracker's ingest path. */
import { BluetickError, StorageError } from '../errors.js';
import type { CanonicalEvent } from '../event/types.js';
import type { MergeResult } from '../storage/adapter.js';
import type { Dispatcher } from '../sinks/dispatcher.js';
import type { IngestInput } from './tracker-types.js';

/** The events of an ingest input. */
export function toEvents(input: IngestInput): readonly CanonicalEvent[] {
  if (Array.isArray(input)) return input as readonly CanonicalEvent[];
  if ('events' in input && Array.isArray(input.events)) return input.events;
  return [input as CanonicalEvent];
}

/** Store failures reach the caller as StorageErrors (the HTTP layer answers 503), whatever the adapter threw. */
export function asStorageError(err: unknown): BluetickError {
  if (err instanceof BluetickError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StorageError('unavailable', `Storage adapter failed: ${message}`, { cause: err });
}

/** Whether a merge left the state as it was. */
export function sameValue(a: MergeResult): boolean {
  return a.before !== null && (a.before === a.after || JSON.stringify(a.before) === JSON.stringify(a.after));
}

/** The forward hook: the sinks' dispatcher first (never throws, never awaits delivery), then the host's. */
export function forwardTo(
  dispatcher: Dispatcher | null,
  host: ((events: CanonicalEvent[]) => unknown) | undefined,
): ((events: CanonicalEvent[]) => unknown) | undefined {
  if (dispatcher === null) return host;
  if (host === undefined) return (events) => void dispatcher.enqueue(events);
  return (events) => {
    dispatcher.enqueue(events);
    return host(events);
  };
}
