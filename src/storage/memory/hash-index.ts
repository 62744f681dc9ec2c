/**
 * An open-addressing index from 64-bit string hashes to slot numbers, in typed arrays: linear
 * probing, backward-shift deletion, no tombstones. The memory store's tables keep their rows in
 * typed-array slots and find them through it.
 *
 * Why not a `Map<string, number>`: with fresh message ids in every webhook and a full store, each
 * event costs a lookup that misses, an insert and the delete of an evicted id. Measured on
 * `bench/receiver.ts` (50-status batches, memory store), `Map.get` and `Map.delete` alone took
 * 18% of the server's CPU; here the same work costs a hash of the id and a probe or two in one
 * `Int32Array`, and the index allocates nothing per entry.
 */
import { hashLanes } from '../../event/ids.js';

/** The index: see the module comment. */
export interface HashIndex {
  /** The hash lanes of `text` (for find, insert), in a scratch array of this index's: read them at once. */
  hash(text: string): Uint32Array;
  /** Position of the first entry with lanes (h, l) whose slot `accept`s, or -1. */
  find(h: number, l: number, accept?: (slot: number) => boolean): number;
  /** Position of the entry of `slot` (which must be indexed). */
  positionOf(slot: number): number;
  /** The slot at a position `find` returned. */
  slotAt(position: number): number;
  /** Indexes `slot` under (h, l). The slot must be below the capacity given last to `resize`. */
  insert(slot: number, h: number, l: number): void;
  /** Removes the entry at a position `find` returned. */
  removeAt(position: number): void;
  /** Makes room for slots 0..slots-1, keeping every entry. */
  resize(slots: number): void;
  /** Number of entries. */
  readonly size: number;
  clear(): void;
}

/** Creates an empty index with room for `slots` slots (see `resize`). */
export function createHashIndex(slots = 0): HashIndex {
  let lanes = new Uint32Array(0); // per slot: hash hi, hash lo
  let table = new Int32Array(8); // slot + 1, 0 = empty
  let mask = 7;
  let size = 0;
  const scratch = new Uint32Array(2);

  function place(slot: number): void {
    let i = (lanes[slot * 2] as number) & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  }

  const index: HashIndex = {
    hash(text) {
      return hashLanes(text, scratch);
    },
    find(h, l, accept) {
      for (let i = h & mask; ; i = (i + 1) & mask) {
        const e = table[i] as number;
        if (e === 0) return -1;
        const s = e - 1;
        if (lanes[s * 2] === h && lanes[s * 2 + 1] === l && (accept === undefined || accept(s))) return i;
      }
    },
    positionOf(slot) {
      let i = (lanes[slot * 2] as number) & mask;
      while (table[i] !== slot + 1) i = (i + 1) & mask;
      return i;
    },
    slotAt(position) {
      return (table[position] as number) - 1;
    },
    insert(slot, h, l) {
      lanes[slot * 2] = h;
      lanes[slot * 2 + 1] = l;
      place(slot);
      size++;
    },
    removeAt(position) {
      let i = position;
      let j = position;
      for (;;) {
        j = (j + 1) & mask;
        const e = table[j] as number;
        if (e === 0) break;
        const home = (lanes[(e - 1) * 2] as number) & mask;
        // Move e back into the hole unless its home lies cyclically in (i, j].
        const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
        if (!inRange) {
          table[i] = e;
          i = j;
        }
      }
      table[i] = 0;
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
      if (length <= table.length) return;
      const old = table;
      table = new Int32Array(length);
      mask = length - 1;
      for (const e of old) if (e !== 0) place(e - 1);
    },
    get size() {
      return size;
    },
    clear() {
      table.fill(0);
      size = 0;
    },
  };
  index.resize(slots);
  return index;
}
