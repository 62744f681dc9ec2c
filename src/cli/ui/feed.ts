/**
 * The session's feed for `listen --ui`: every event, duplicate, transition and change the tracker
 * emits, as bounded {@link UiRecord}s numbered 1, 2, … in emission order. Only the newest `limit`
 * are kept, so a long session holds a fixed amount of memory; a page that reconnects resumes from
 * the last number it saw while that number is still kept.
 */
import { randomBytes } from 'node:crypto';
import type { CanonicalEvent } from '../../event/types.js';
import type { Tracker } from '../../tracking/tracker.js';
import type { Transition } from '../../tracking/tracker-types.js';
import { changeView, eventView, type UiRecord } from './views.js';

/** Records kept by default. */
export const DEFAULT_FEED_LIMIT = 1000;

/** A live, bounded feed. */
export interface UiFeed {
  /** Random per process: a page connected to an earlier `listen` does not resume into this one. */
  readonly session: string;
  readonly limit: number;
  /** Number of the newest record (0 before the first). */
  latest(): number;
  /** Every kept record, oldest first. */
  records(): UiRecord[];
  /** Kept records after `seq`, or null when some after it are no longer kept (the reader must start over). */
  since(seq: number): UiRecord[] | null;
  /** Kept records about one message id, oldest first. */
  forMessage(messageId: string): UiRecord[];
  /** Calls `fn` with each new record; returns the unsubscribe function. */
  subscribe(fn: (record: UiRecord) => void): () => void;
  /** Stops following the tracker. */
  detach(): void;
}

/** Options of {@link createUiFeed}. */
export interface UiFeedOptions {
  /** Records kept (default {@link DEFAULT_FEED_LIMIT}). */
  limit?: number;
  /** Clock, for tests. */
  now?: () => number;
}

function messageIdOf(r: UiRecord): string | null {
  return 'event' in r ? r.event.messageId : r.change.messageId;
}

/**
 * Follows a tracker's events into a bounded feed.
 *
 * @example
 * ```ts
 * const feed = createUiFeed(tracker, { limit: 500 });
 * feed.subscribe((record) => console.log(record.seq, record.type));
 * ```
 */
export function createUiFeed(tracker: Tracker, options: UiFeedOptions = {}): UiFeed {
  const limit = Math.max(1, options.limit ?? DEFAULT_FEED_LIMIT);
  const now = options.now ?? Date.now;
  const kept: UiRecord[] = [];
  const subscribers = new Set<(record: UiRecord) => void>();
  let seq = 0;
  const push = (record: UiRecord) => {
    kept.push(record);
    if (kept.length > limit) kept.shift();
    for (const fn of subscribers) fn(record);
  };
  const at = () => new Date(now()).toISOString();
  const onEvent = (event: CanonicalEvent) => push({ seq: ++seq, at: at(), type: 'event', event: eventView(event) });
  const onDuplicate = (event: CanonicalEvent) => push({ seq: ++seq, at: at(), type: 'duplicate', event: eventView(event) });
  const onTransition = (t: Transition) => push({ seq: ++seq, at: at(), type: 'transition', change: changeView(t) });
  const onChange = (t: Transition) => push({ seq: ++seq, at: at(), type: 'change', change: changeView(t) });
  tracker.on('message', onEvent).on('status', onEvent).on('providerError', onEvent).on('notification', onEvent);
  tracker.on('duplicate', onDuplicate).on('transition', onTransition).on('change', onChange);
  return {
    session: randomBytes(6).toString('hex'),
    limit,
    latest: () => seq,
    records: () => kept.slice(),
    since(after) {
      const oldest = kept[0]?.seq ?? seq + 1;
      // Records after `after` were dropped (too old) or `after` is from the future (another run).
      if (after < oldest - 1 || after > seq) return null;
      return kept.slice(kept.length - (seq - after));
    },
    forMessage: (messageId) => kept.filter((r) => messageIdOf(r) === messageId),
    subscribe(fn) {
      subscribers.add(fn);
      return () => void subscribers.delete(fn);
    },
    detach() {
      tracker.off('message', onEvent).off('status', onEvent).off('providerError', onEvent).off('notification', onEvent);
      tracker.off('duplicate', onDuplicate).off('transition', onTransition).off('change', onChange);
      subscribers.clear();
    },
  };
}
