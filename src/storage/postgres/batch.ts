/**
 * Batching helpers. One `INSERT … ON CONFLICT` cannot touch the same row twice, so observations
 * of one key are joined in JavaScript first (the lattice allows it: merging the join equals
 * merging each in turn), and the per-item before/after are rebuilt afterwards by folding the
 * items in order from the before state the database returned. Keys are sent sorted so that
 * concurrent batches lock rows in the same order and cannot deadlock each other.
 */
import type { MergeItem, MergeResult } from '../adapter.js';
import { merge } from '../../tracking/merge.js';
import type { DeliveryState } from '../../tracking/state.js';

/** The observations of one key within a batch. */
export interface KeyGroup {
  key: string;
  /** Indexes into the batch, in order. */
  items: number[];
  joined: DeliveryState;
}

const byKey = (a: KeyGroup, b: KeyGroup) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Groups a batch by key, joining each group's observations; groups sorted by key. */
export function groupByKey(items: readonly MergeItem[]): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  for (let i = 0; i < items.length; i++) {
    const { key, observation } = items[i] as MergeItem;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { key, items: [i], joined: observation });
    else {
      g.items.push(i);
      g.joined = merge(g.joined, observation);
    }
  }
  return [...groups.values()].sort(byKey);
}

/**
 * Writes each item's result into `out`: the first item's before is the database's before, each
 * next item's before is the previous item's after. The last after is the database's after
 * (equal to the fold by associativity; taking the stored value keeps the store authoritative).
 */
export function unfold(group: KeyGroup, items: readonly MergeItem[], before: DeliveryState | null, after: DeliveryState, out: MergeResult[]): void {
  let state = before;
  const last = group.items.length - 1;
  group.items.forEach((index, k) => {
    const obs = (items[index] as MergeItem).observation;
    let next = state === null ? obs : merge(state, obs);
    // merge returns `state` itself when nothing changed: keep that identity (the tracker's
    // duplicate test compares before/after), else hand out the stored value.
    if (k === last && next !== state) next = after;
    out[index] = { before: state, after: next };
    state = next;
  });
}

/** Unique ids in sorted order, and for each position whether it is the id's first occurrence. */
export function uniqueIds(ids: readonly string[]): { unique: string[]; first: boolean[] } {
  const seen = new Set<string>();
  const first = ids.map((id) => (seen.has(id) ? false : (seen.add(id), true)));
  return { unique: [...seen].sort(), first };
}
