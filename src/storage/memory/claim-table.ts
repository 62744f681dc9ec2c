/**
 * Dedupe claims in flat typed arrays: each claim is a 64-bit hash of its id (two 32-bit lanes)
 * plus an expiry, about 24–40 bytes per claim instead of ~100 for a `Map<string, number>` entry.
 * Claims sit in a ring in insertion order (oldest first, so expired ones are purged from the head)
 * and an open-addressing index (linear probing, backward-shift deletion) finds them by hash.
 * A false "duplicate" needs a 64-bit collision among live claims: ~3e-8 at 1M claims.
 */

import { hashLanes } from '../../event/ids.js';

/** Counters of a {@link ClaimTable}. */
export interface ClaimStats {
  claims: number;
  evictedClaims: number;
}

/** A bounded claim set. `claim` answers like `StorageAdapter.claim`, synchronously. */
export interface ClaimTable {
  claim(id: string, ttlMs: number, now: number): boolean;
  stats(): ClaimStats;
  clear(): void;
}

/**
 * Creates a claim table holding at most `maxClaims` claims; past that the oldest claim is evicted
 * (counted in `evictedClaims` when it had not expired yet).
 */
export function createClaimTable(maxClaims: number, initialCapacity = 1024): ClaimTable {
  let cap = Math.max(1, Math.min(maxClaims, initialCapacity));
  // One interleaved ring, 4 words per claim (hash hi, hash lo, expiry hi, expiry lo), so a probe
  // touches one cache line instead of three arrays.
  let ring = new Uint32Array(cap * 4);
  let mask = 0;
  let index = new Int32Array(0);
  let head = 0;
  let count = 0;
  let evicted = 0;
  const lanes = new Uint32Array(2);

  function buildIndex(): void {
    let size = 8;
    while (size < cap * 2) size *= 2;
    mask = size - 1;
    index = new Int32Array(size);
    for (let n = 0; n < count; n++) insertIndex((head + n) % cap);
  }

  function insertIndex(slot: number): void {
    let i = (ring[slot * 4] as number) & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = slot + 1;
  }

  /** Index position of the claim with these lanes, or -1. */
  function find(h: number, l: number): number {
    let i = h & mask;
    for (;;) {
      const e = index[i] as number;
      if (e === 0) return -1;
      const b = (e - 1) * 4;
      if (ring[b] === h && ring[b + 1] === l) return i;
      i = (i + 1) & mask;
    }
  }

  function removeIndexAt(pos: number): void {
    let i = pos;
    let j = pos;
    for (;;) {
      j = (j + 1) & mask;
      const e = index[j] as number;
      if (e === 0) break;
      const home = (ring[(e - 1) * 4] as number) & mask;
      // Move e back into the hole unless its home lies cyclically in (i, j].
      const inRange = i <= j ? home > i && home <= j : home > i || home <= j;
      if (!inRange) {
        index[i] = e;
        i = j;
      }
    }
    index[i] = 0;
  }

  function dropHead(): void {
    const pos = find(ring[head * 4] as number, ring[head * 4 + 1] as number);
    if (pos >= 0) removeIndexAt(pos);
    head = (head + 1) % cap;
    count--;
  }

  function grow(): void {
    const next = Math.min(maxClaims, cap * 2);
    const nring = new Uint32Array(next * 4);
    // The ring in order, oldest first: [head, cap) then [0, head) (count === cap when growing).
    nring.set(ring.subarray(head * 4, Math.min(cap, head + count) * 4));
    if (head + count > cap) nring.set(ring.subarray(0, (head + count - cap) * 4), (cap - head) * 4);
    ring = nring;
    cap = next;
    head = 0;
    buildIndex();
  }

  function expiry(slot: number): number {
    return (ring[slot * 4 + 2] as number) * 4294967296 + (ring[slot * 4 + 3] as number);
  }

  function setExpiry(slot: number, ms: number): void {
    const t = Math.floor(ms);
    ring[slot * 4 + 2] = Math.floor(t / 4294967296);
    ring[slot * 4 + 3] = t >>> 0;
  }

  buildIndex();

  return {
    claim(id, ttlMs, now) {
      hashLanes(id, lanes);
      const h = lanes[0] as number;
      const l = lanes[1] as number;
      const pos = find(h, l);
      if (pos >= 0) {
        const slot = (index[pos] as number) - 1;
        if (expiry(slot) > now) return false;
        setExpiry(slot, now + ttlMs); // expired: the id may be claimed again
        return true;
      }
      while (count > 0 && expiry(head) <= now) dropHead();
      if (count === cap) {
        if (cap < maxClaims) grow();
        else {
          evicted++;
          dropHead();
        }
      }
      const slot = (head + count) % cap;
      ring[slot * 4] = h;
      ring[slot * 4 + 1] = l;
      setExpiry(slot, now + ttlMs);
      count++;
      insertIndex(slot);
      return true;
    },
    stats: () => ({ claims: count, evictedClaims: evicted }),
    clear() {
      head = 0;
      count = 0;
      index.fill(0);
    },
  };
}
