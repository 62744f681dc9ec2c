import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { createClaimTable } from '../../src/storage/memory/claim-table.js';
import { memoryStore } from '../../src/storage/memory-store.js';
import { observation } from '../../src/testing/observations.js';

describe('memoryStore bounds and expiry', () => {
  it('evicts the oldest states past maxEntries, counting them', async () => {
    const store = memoryStore({ maxEntries: 100 });
    for (let i = 0; i < 250; i++) {
      const it = observation(`m${i}`, 'sent', 1);
      await store.merge(it.key, it.observation);
    }
    expect(store.stats()).toMatchObject({ states: 100, evictedStates: 150 });
    expect(await store.get(observation('m0', 'sent', 1).key)).toBeNull();
    expect(await store.get(observation('m249', 'sent', 1).key)).not.toBeNull();
  });

  it('keeps recently touched states over untouched ones (generations)', async () => {
    let clock = 0;
    const store = memoryStore({ maxEntries: 3, ttlMs: 1_000, now: () => clock });
    const a = observation('a', 'sent', 1);
    await store.merge(a.key, a.observation);
    for (const id of ['b', 'c']) {
      const it = observation(id, 'sent', 1);
      await store.merge(it.key, it.observation);
    }
    clock = 1_000; // rotate: a, b, c become old
    await store.get(a.key); // touch a: back to young
    const d = observation('d', 'sent', 1);
    await store.merge(d.key, d.observation); // over the bound: evict the oldest untouched (b)
    expect(await store.get(a.key)).not.toBeNull();
    expect(await store.get(observation('b', 'sent', 1).key)).toBeNull();
    expect(await store.get(observation('c', 'sent', 1).key)).not.toBeNull();
  });

  it('expires untouched states after between ttl and 2 × ttl', async () => {
    let clock = 0;
    const store = memoryStore({ ttlMs: 1_000, now: () => clock });
    const it = observation('x', 'sent', 1);
    await store.merge(it.key, it.observation);
    clock = 999;
    expect(await store.get(it.key)).not.toBeNull(); // touched at 999
    clock = 999 + 2_000;
    expect(await store.get(it.key)).toBeNull();
    expect(store.stats()).toMatchObject({ states: 0, expiredStates: 1 });
  });

  it('bounds claims to maxClaims, evicting the oldest live claims (counted)', async () => {
    const store = memoryStore({ maxClaims: 1_000 });
    for (let i = 0; i < 3_000; i++) expect(await store.claim(`id${i}`, 60_000)).toBe(true);
    expect(store.stats()).toMatchObject({ claims: 1_000, evictedClaims: 2_000 });
    expect(await store.claim('id2999', 60_000)).toBe(false);
    expect(await store.claim('id0', 60_000)).toBe(true); // forgotten, so claimable again
  });

  it('purges expired claims before evicting live ones', async () => {
    let clock = 0;
    const store = memoryStore({ maxClaims: 10, now: () => clock });
    for (let i = 0; i < 10; i++) await store.claim(`old${i}`, 100);
    clock = 200;
    for (let i = 0; i < 10; i++) await store.claim(`new${i}`, 100);
    expect(store.stats()).toMatchObject({ claims: 10, evictedClaims: 0 });
  });

  it('rejects operations after close with StorageError closed', async () => {
    const store = memoryStore();
    await store.close();
    await expect(store.get('cloud::x:')).rejects.toBeInstanceOf(StorageError);
    await expect(store.ping()).rejects.toMatchObject({ code: 'closed' });
  });
});

describe('claim table (typed-array hash with ring eviction)', () => {
  it('agrees with a reference Set through growth, eviction and backward-shift deletion', () => {
    const table = createClaimTable(500, 8);
    const live: string[] = []; // reference: insertion-ordered live ids, oldest first
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let step = 0; step < 20_000; step++) {
      const id = `id${Math.floor(rand() * 2_000)}`;
      const expected = !live.includes(id);
      expect(table.claim(id, 1e12, 1)).toBe(expected);
      if (expected) {
        live.push(id);
        if (live.length > 500) live.shift();
      }
    }
    expect(table.stats().claims).toBe(500);
  });
});
