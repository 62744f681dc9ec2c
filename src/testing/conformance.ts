/**
 * The storage adapter conformance suite. It registers tests with the test functions the caller
 * passes in (vitest, jest, node:test wrappers), so bluetick never imports a test runner itself.
 */
import { StorageError } from '../errors.js';
import type { MergeItem, MergeResult, StorageAdapter } from '../storage/adapter.js';
import { merge } from '../tracking/merge.js';
import { foldItems, observation, observationSet, seeded, shuffle } from './observations.js';

/** The assertions the suite uses (a subset every Jest-compatible `expect` has). */
export interface ConformanceAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toBeNull(): void;
  toBeGreaterThanOrEqual(expected: number): void;
}

/** The test-runner functions the suite registers its tests with. */
export interface ConformanceRunner {
  describe: (name: string, fn: () => void) => void;
  it: (name: string, fn: () => Promise<void>) => void;
  expect: (actual: unknown) => ConformanceAssertion;
  beforeEach: (fn: () => Promise<void>) => void;
  afterEach: (fn: () => Promise<void>) => void;
}

/** What the suite tests. */
export interface ConformanceTarget {
  name: string;
  /** A ready store. Called before every test; data of other tests may remain (ids are unique per test). */
  create: () => Promise<StorageAdapter>;
  /** Called after every test with the store (already closed when the test closed it). */
  cleanup?: (store: StorageAdapter) => Promise<void>;
  /** Concurrent merges in the atomicity test. Default 400. */
  concurrency?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let runCounter = 0;

/**
 * Registers the conformance tests of a {@link StorageAdapter}: claim first-writer-wins and
 * expiry, merge atomicity under hundreds of concurrent shuffled and duplicated merges,
 * convergence to the sequential fold, before/after, `get`, batch methods agreeing with single
 * ones, `findStale` and `findByMessage` when implemented, and `close`.
 *
 * @example
 * ```ts
 * import { describe, it, expect, beforeEach, afterEach } from 'vitest';
 * import { runStorageAdapterConformance } from 'bluetick/testing';
 *
 * runStorageAdapterConformance(
 *   { name: 'my store', create: async () => myStore(), cleanup: async (s) => s.close() },
 *   { describe, it, expect, beforeEach, afterEach },
 * );
 * ```
 */
export function runStorageAdapterConformance(target: ConformanceTarget, t: ConformanceRunner): void {
  const { describe, it, expect, beforeEach, afterEach } = t;
  let store: StorageAdapter;
  let prefix = '';

  describe(`StorageAdapter conformance: ${target.name}`, () => {
    beforeEach(async () => {
      store = await target.create();
      prefix = `conf-${Date.now().toString(36)}-${process.pid}-${++runCounter}-${Math.random().toString(36).slice(2, 8)}`;
    });
    afterEach(async () => {
      if (target.cleanup) await target.cleanup(store);
    });

    it('claim: the first writer wins, others lose, ids are independent', async () => {
      expect(await store.claim(`${prefix}-a`, 60_000)).toBe(true);
      expect(await store.claim(`${prefix}-a`, 60_000)).toBe(false);
      expect(await store.claim(`${prefix}-b`, 60_000)).toBe(true);
      const racers = await Promise.all(Array.from({ length: 50 }, () => store.claim(`${prefix}-race`, 60_000)));
      expect(racers.filter(Boolean).length).toBe(1);
    });

    it('claim: a claim expires after its ttl', async () => {
      expect(await store.claim(`${prefix}-ttl`, 200)).toBe(true);
      expect(await store.claim(`${prefix}-ttl`, 200)).toBe(false);
      await sleep(1_100); // stores may round ttls up to whole seconds (Redis PX is exact; SQL clocks drift)
      expect(await store.claim(`${prefix}-ttl`, 200)).toBe(true);
    });

    it('merge: before/after of sequential merges, and get', async () => {
      const items = observationSet(prefix, seeded(1), 40);
      const states = new Map<string, unknown>();
      for (const item of items) {
        const r = await store.merge(item.key, item.observation);
        const prev = states.get(item.key) ?? null;
        expect(r.before).toEqual(prev);
        expect(r.after).toEqual(prev === null ? item.observation : merge(prev as never, item.observation));
        states.set(item.key, r.after);
      }
      for (const [key, state] of states) expect(await store.get(key)).toEqual(state);
      expect(await store.get(`cloud:conformance:${prefix}-absent:1555`)).toBeNull();
    });

    it('merge: hundreds of concurrent shuffled, duplicated merges converge to the sequential fold', async () => {
      const random = seeded(7);
      const base = observationSet(prefix, random, Math.floor((target.concurrency ?? 400) * 0.75));
      const items = shuffle([...base, ...base.slice(0, Math.floor(base.length / 3))], random);
      const results = await Promise.all(items.map((it) => store.merge(it.key, it.observation)));
      // Each merge is atomic: its after is exactly its before joined with its observation.
      results.forEach((r, i) => {
        const obs = (items[i] as MergeItem).observation;
        expect(r.after).toEqual(r.before === null ? obs : merge(r.before, obs));
      });
      // Exactly one merge per key saw no state before it.
      const creators = new Map<string, number>();
      results.forEach((r, i) => {
        if (r.before === null) creators.set((items[i] as MergeItem).key, (creators.get((items[i] as MergeItem).key) ?? 0) + 1);
      });
      const expected = foldItems(base);
      for (const [key, state] of expected) {
        expect(creators.get(key)).toBe(1);
        expect(await store.get(key)).toEqual(state);
      }
    });

    it('claimMany and mergeMany agree with claim and merge (when implemented)', async () => {
      if (store.claimMany) {
        const ids = ['x', 'y', 'x', 'z', 'y'].map((s) => `${prefix}-${s}`);
        expect(await store.claim(`${prefix}-z`, 60_000)).toBe(true);
        expect(await store.claimMany(ids, 60_000)).toEqual([true, true, false, false, false]);
      }
      if (store.mergeMany) {
        const random = seeded(3);
        const batch = observationSet(`${prefix}-batch`, random, 60);
        const many = await store.mergeMany(batch);
        const expected = new Map<string, MergeResult['after']>();
        many.forEach((r, i) => {
          const it = batch[i] as MergeItem;
          expect(r.before).toEqual(expected.get(it.key) ?? null);
          expect(r.after).toEqual(r.before === null ? it.observation : merge(r.before, it.observation));
          expected.set(it.key, r.after);
        });
        for (const [key, state] of foldItems(batch)) expect(await store.get(key)).toEqual(state);
      }
    });

    it('findStale returns unfailed states stuck at the asked ranks (when implemented)', async () => {
      if (!store.findStale) return;
      const stuck = observation(`${prefix}-stuck`, 'sent', 1_000_000_000);
      const recent = observation(`${prefix}-recent`, 'sent', 4_000_000_000);
      const delivered = observation(`${prefix}-delivered`, 'delivered', 1_000_000_000);
      const failed = observation(`${prefix}-failed`, 'failed', 1_000_000_000);
      const failedSent = observation(`${prefix}-failed`, 'sent', 1_000_000_000);
      for (const it of [stuck, recent, delivered, failed, failedSent]) await store.merge(it.key, it.observation);
      const found = await store.findStale({ olderThan: 2_000_000_000_000, statuses: ['sent'] });
      const mine = found.filter((s) => s.messageId.startsWith(prefix)).map((s) => s.messageId);
      expect(mine).toEqual([`${prefix}-stuck`]);
      const limited = await store.findStale({ olderThan: 2_000_000_000_000, statuses: ['sent', 'delivered'], limit: 1 });
      expect(limited.length).toBe(1);
    });

    it('findByMessage returns every recipient and participant of a message (when implemented)', async () => {
      if (!store.findByMessage) return;
      const msg = `${prefix}-group`;
      for (const p of ['p1', 'p2']) {
        const it = observation(msg, 'read', 5, { participantId: p, recipientId: 'group@g.us' });
        await store.merge(it.key, it.observation);
      }
      const it = observation(msg, 'sent', 4, { recipientId: 'group@g.us' });
      await store.merge(it.key, it.observation);
      const all = await store.findByMessage({ messageId: msg });
      expect(all.map((s) => s.participantId ?? '-').sort()).toEqual(['-', 'p1', 'p2']);
      expect((await store.findByMessage({ messageId: msg, provider: 'onprem' })).length).toBe(0);
    });

    it('close: operations afterwards reject with a StorageError', async () => {
      await store.close();
      let caught: unknown = null;
      try {
        await store.claim(`${prefix}-after-close`, 1_000);
      } catch (err) {
        caught = err;
      }
      expect(caught instanceof StorageError).toBe(true);
    });
  });
}
