/**
 * Which stale states a run works on, and what it does with each: ask the source (`check`),
 * report them `expired`, or leave them (`skip`).
 *
 * Expired states stay stale forever (the annotation never moves the rank, by design), so after a
 * few weeks they could fill every `findStale` page and hide the states still worth asking about.
 * The store contract has no "not annotated" filter, so the selection widens its query (×4, up
 * to `maxScan` states) until it has `limit` states to work on or the store has no more.
 */
import { atOfRank, DELIVERED_RANK, type DeliveryState, type ProgressStatus } from '../state/state.js';
import type { StateStore } from '../storage/state-store.js';
import { EXPIRED } from './events.js';
import type { StatusSource } from './types.js';

/** What a run does with one stale state. */
export type Action = 'check' | 'expire' | 'skip';

/** The rules of {@link classify}. */
export interface SelectRules {
  source: StatusSource | null;
  /** Epoch ms now. */
  now: number;
  /** Age (since the state's current status) past which an uncheckable state is expired; Infinity: never. */
  horizonMs: number;
}

/**
 * Whether a state is past the horizon: its current status is older than `horizonMs` (an unknown
 * time counts as old, as in `findStale`), and it never got as far as `delivered` (a delivered
 * message that was never read has not "expired": its receipts may just be off).
 *
 * @example
 * ```ts
 * pastHorizon(state, Date.now(), 7 * 86_400_000);
 * ```
 */
export function pastHorizon(state: DeliveryState, now: number, horizonMs: number): boolean {
  if (state.rank >= DELIVERED_RANK || horizonMs === Number.POSITIVE_INFINITY) return false;
  const at = atOfRank(state, state.rank);
  return at === 0 || now - at >= horizonMs;
}

/** The action for one stale state. */
export function classify(state: DeliveryState, rules: SelectRules): Action {
  if (state.annotations?.includes(EXPIRED) === true) return 'skip'; // reported once, never again
  if (rules.source !== null && rules.source.covers(state)) return 'check';
  return pastHorizon(state, rules.now, rules.horizonMs) ? 'expire' : 'skip';
}

/** A run's work. */
export interface Selection {
  /** States to check or expire, at most `limit`. */
  work: Array<{ state: DeliveryState; action: 'check' | 'expire' }>;
  /** Stale states read. */
  found: number;
  /** Of those, the ones left alone (including those beyond `limit`). */
  skipped: number;
}

/** Options of {@link selectStale}. */
export interface SelectQuery {
  olderThan: number;
  statuses: readonly ProgressStatus[];
  limit: number;
  maxScan: number;
}

/**
 * Reads stale states and classifies them, widening the query past states that need nothing.
 *
 * @example
 * ```ts
 * const { work, skipped } = await selectStale(store, { olderThan, statuses: ['pending', 'sent'], limit: 1000, maxScan: 10_000 }, rules);
 * ```
 */
export async function selectStale(store: StateStore, q: SelectQuery, rules: SelectRules): Promise<Selection> {
  let ask = Math.min(q.limit, q.maxScan);
  for (;;) {
    const found = await store.findStale({ olderThan: q.olderThan, statuses: q.statuses, limit: ask });
    const work: Selection['work'] = [];
    for (const state of found) {
      if (work.length >= q.limit) break;
      const action = classify(state, rules);
      if (action !== 'skip') work.push({ state, action });
    }
    const exhausted = found.length < ask || ask >= q.maxScan;
    if (work.length >= q.limit || exhausted) return { work, found: found.length, skipped: found.length - work.length };
    ask = Math.min(q.maxScan, ask * 4);
  }
}
