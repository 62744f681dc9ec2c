/**
 * Dedupe claims in flat typed arrays: each claim is a 64-bit hash of its id (found through a
 * {@link HashIndex}) plus an expiry, about 32–48 bytes per claim instead of ~100 for a
 * `Map<string, number>` entry and its retained id string. Claims sit in a ring in insertion order
 * (oldest first, so expired ones are purged from the head and the oldest is evicted first). A
 * false "duplicate" needs a 64-bit collision among live claims: ~3e-8 at 1M claims.
 */

import { createHashIndex, type HashIndex } from './hash-index.js';

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
  let expiries = new Float64Array(cap); // ring slot → expiry (epoch ms)
  let index: HashIndex = createHashIndex(cap);
  let head = 0;
  let count = 0;
  let evicted = 0;

  function dropHead(): void {
    index.removeAt(index.positionOf(head));
    head = (head + 1) % cap;
    count--;
  }

  /** A ring twice as long (up to maxClaims), oldest claim at slot 0, indexed anew. */
  function grow(): void {
    const next = Math.min(maxClaims, cap * 2);
    const wider = new Float64Array(next);
    const reindexed = createHashIndex(next);
    for (let n = 0; n < count; n++) {
      const s = (head + n) % cap;
      wider[n] = expiries[s] as number;
      reindexed.insert(n, index.lane(s, 0), index.lane(s, 1));
    }
    expiries = wider;
    index = reindexed;
    cap = next;
    head = 0;
  }

  return {
    claim(id, ttlMs, now) {
      const lanes = index.hash(id);
      const h = lanes[0] as number;
      const l = lanes[1] as number;
      const position = index.find(h, l);
      if (position >= 0) {
        const slot = index.slotAt(position);
        if ((expiries[slot] as number) > now) return false;
        expiries[slot] = now + ttlMs; // expired: the id may be claimed again
        return true;
      }
      while (count > 0 && (expiries[head] as number) <= now) dropHead();
      if (count === cap) {
        if (cap < maxClaims) grow();
        else {
          evicted++;
          dropHead();
        }
      }
      const slot = (head + count) % cap;
      expiries[slot] = now + ttlMs;
      index.insert(slot, h, l);
      count++;
      return true;
    },
    stats: () => ({ claims: count, evictedClaims: evicted }),
    clear() {
      head = 0;
      count = 0;
      index.clear();
    },
  };
}
