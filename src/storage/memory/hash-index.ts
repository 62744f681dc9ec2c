/**
 * An open-addressing index from 64-bit string hashes to slot numbers, in typed arrays: linear
 * probing, backward-shift deletion, no tombstones. The memory store's tables (claims, states)
 * keep their rows in typed-array slots and find them through it.
 *
 * Each bucket holds the high lane of its entry's hash beside the slot, so a probe that misses, an
 * insert and a deletion's shifts read one cache line, not one for the bucket and one per slot they
 * look at; the low lane is read only when the high lanes agree.
 *
 * Why not a `Map<string, number>`: with fresh message ids in every webhook and a full store, each
 * event costs a lookup that misses, an insert and the delete of an evicted id. Measured on
 * `bench/receiver.ts` (50-status batches, memory store), `Map.get` and `Map.delete` alone took
 * 18% of the server's CPU; this index allocates nothing per entry.
 */
import { hashLanes } from '../../event/ids.js';

/** The index: see the module comment. */
export interface HashIndex {
  /** The hash lanes of `text`, in a scratch array of this index's: read them at once. */
  hash(text: string): Uint32Array;
  /** Position of the first entry with lanes (h, l) whose slot `accept`s, or -1. */
  find(h: number, l: number, accept?: (slot: number) => boolean): number;
  /** Position of the entry of `slot` (which must be indexed). */
  positionOf(slot: number): number;
  /** The slot at a position `find` or `positionOf` returned. */
  slotAt(position: number): number;
  /** The high (0) or low (1) lane `slot` was indexed under. */
  lane(slot: number, which: 0 | 1): number;
  /** Indexes `slot` under (h, l). The slot must be below the capacity given last to `resize`. */
  insert(slot: number, h: number, l: number): void;
  /** Removes the entry at a position `find` or `positionOf` returned. */
  removeAt(position: number): void;
  /** Makes room for slots 0..slots-1, keeping every entry. */
  resize(slots: number): void;
  /** Number of entries. */
  readonly size: number;
  clear(): void;
}

/** Creates an empty index with room for `slots` slots (see `resize`). */
export function createHashIndex(slots = 0): HashIndex {
  let lanes = new Uint32Array(0); // per slot: the hash's high and low lanes
  let buckets = new Uint32Array(16); // per bucket: high lane, slot + 1 (0 = empty)
  let mask = 7;
  let size = 0;
  const scratch = new Uint32Array(2);

  function place(slot: number, h: number): void {
    let i = h & mask;
    while (buckets[i * 2 + 1] !== 0) i = (i + 1) & mask;
    buckets[i * 2] = h;
    buckets[i * 2 + 1] = slot + 1;
  }

  const index: HashIndex = {
    hash(text) {
      return hashLanes(text, scratch);
    },
    find(h, l, accept) {
      for (let i = h & mask; ; i = (i + 1) & mask) {
        const e = buckets[i * 2 + 1] as number;
        if (e === 0) return -1;
        if (buckets[i * 2] === h && lanes[(e - 1) * 2 + 1] === l && (accept === undefined || accept(e - 1))) return i;
      }
    },
    positionOf(slot) {
      let i = (lanes[slot * 2] as number) & mask;
      while (buckets[i * 2 + 1] !== slot + 1) i = (i + 1) & mask;
      return i;
    },
    slotAt(position) {
      return (buckets[position * 2 + 1] as number) - 1;
    },
    lane(slot, which) {
      return lanes[slot * 2 + which] as number;
    },
    insert(slot, h, l) {
      lanes[slot * 2] = h;
      lanes[slot * 2 + 1] = l;
      place(slot, h);
      size++;
    },
    removeAt(position) {
      let i = position;
      let j = position;
      for (;;) {
        j = (j + 1) & mask;
        const e = buckets[j * 2 + 1] as number;
        if (e === 0) break;
        const home = (buckets[j * 2] as number) & mask;
        // Move j's entry back into the hole unless its home lies cyclically in (i, j].
        const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
        if (!inRange) {
          buckets[i * 2] = buckets[j * 2] as number;
          buckets[i * 2 + 1] = e;
          i = j;
        }
      }
      buckets[i * 2 + 1] = 0;
      size--;
    },
    resize(n) {
      if (n * 2 > lanes.length) {
        const wider = new Uint32Array(n * 2);
        wider.set(lanes);
        lanes = wider;
      }
      let length = 8;
      while (length < n * 2) length *= 2; // load factor at most 1/2
      if (length <= mask + 1) return;
      const old = buckets;
      buckets = new Uint32Array(length * 2);
      mask = length - 1;
      for (let i = 1; i < old.length; i += 2) if (old[i] !== 0) place((old[i] as number) - 1, old[i - 1] as number);
    },
    get size() {
      return size;
    },
    clear() {
      buckets.fill(0);
      size = 0;
    },
  };
  index.resize(slots);
  return index;
}
