/**
 * Dedupe claims in flat typed arrays: each claim is a 64-bit hash of its id (two 32-bit lanes)
 * plus an expiry, about 24–40 bytes per claim instead of ~100 for a `Map<string, number>` entry.
 * Claims sit in a ring in insertion order (oldest first, so expired ones are purged from the head)
 * and an open-addressing index (linear probing, backward-shift deletion) finds them by hash.
 * A false "duplicate" needs a 64-bit collision among live claims: ~3e-8 at 1M claims.
 */

/** Counters of a {@link ClaimTable}. */
export interface ClaimStats {
  claims: number;
  evictedClaims: number;
}

function hashLanes(text: string, out: Uint32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1;
  out[1] = h2;
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
  let hi = new Uint32Array(cap);
  let lo = new Uint32Array(cap);
  let exp = new Float64Array(cap);
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
    let i = (hi[slot] as number) & mask;
    while (index[i] !== 0) i = (i + 1) & mask;
    index[i] = slot + 1;
  }

  /** Index position of the claim with these lanes, or -1. */
  function find(h: number, l: number): number {
    let i = h & mask;
    for (;;) {
      const e = index[i] as number;
      if (e === 0) return -1;
      if (hi[e - 1] === h && lo[e - 1] === l) return i;
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
      const home = (hi[e - 1] as number) & mask;
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
    const pos = find(hi[head] as number, lo[head] as number);
    if (pos >= 0) removeIndexAt(pos);
    head = (head + 1) % cap;
    count--;
  }

  function grow(): void {
    const next = Math.min(maxClaims, cap * 2);
    const nhi = new Uint32Array(next);
    const nlo = new Uint32Array(next);
    const nexp = new Float64Array(next);
    for (let n = 0; n < count; n++) {
      const s = (head + n) % cap;
      nhi[n] = hi[s] as number;
      nlo[n] = lo[s] as number;
      nexp[n] = exp[s] as number;
    }
    hi = nhi;
    lo = nlo;
    exp = nexp;
    cap = next;
    head = 0;
    buildIndex();
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
        if ((exp[slot] as number) > now) return false;
        exp[slot] = now + ttlMs; // expired: the id may be claimed again
        return true;
      }
      while (count > 0 && (exp[head] as number) <= now) dropHead();
      if (count === cap) {
        if (cap < maxClaims) grow();
        else {
          evicted++;
          dropHead();
        }
      }
      const slot = (head + count) % cap;
      hi[slot] = h;
      lo[slot] = l;
      exp[slot] = now + ttlMs;
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
