/**
 * Redis down, cut mid-run, or black-holed, through a TCP proxy in front of the real server:
 * callers get typed StorageErrors quickly (never a hang), the store recovers when Redis returns,
 * and no merge is ever half-applied (state, message index and stale index always agree).
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import type { MergeItem } from '../../src/storage/adapter.js';
import { redisStore, type RedisStore } from '../../src/storage/redis/index.js';
import { foldItems, observation, observationSet, seeded } from '../../src/testing/index.js';
import { hasFailure } from '../../src/tracking/present.js';
import { atOfRank } from '../../src/tracking/state.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { startRedisProxy, type RedisProxy } from './redis-proxy.js';
import { deleteUnder, keysUnder, testClient, uniquePrefix } from './redis-helpers.js';

const up = await redisAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let direct: Redis;
let proxy: RedisProxy;
const prefixes: string[] = [];
const opened: Array<{ close(): unknown }> = [];

function newPrefix(name: string): string {
  const p = uniquePrefix(`faults-${name}`);
  prefixes.push(p);
  return p;
}

/** Runs `fn`, returning its outcome and how long it took to settle. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const start = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

async function waitUntilUp(store: RedisStore, withinMs = 10_000): Promise<void> {
  const end = Date.now() + withinMs;
  for (;;) {
    try {
      await store.ping();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(100);
    }
  }
}

/** Every state agrees with its message index entry and the stale index (a merge is all or nothing). */
async function checkIndexes(store: RedisStore): Promise<string[]> {
  const problems: string[] = [];
  const stateKeys = (await keysUnder(direct, store.keys.prefix)).filter((k) => k.includes('}:s:'));
  for (const key of stateKeys) {
    const state = JSON.parse((await direct.get(key)) as string) as Parameters<typeof atOfRank>[0];
    const member = key.slice(key.indexOf('}:s:') + 4);
    if ((await direct.sismember(store.keys.messageIndex(state.messageId), member)) !== 1) problems.push(`${key}: not in its message index`);
    const wanted = state.rank >= 1 && state.rank <= 4 && !hasFailure(state) ? state.rank : 0;
    for (const r of [1, 2, 3, 4]) {
      const score = await direct.zscore(store.keys.stale(r), key);
      if (r === wanted && score !== String(atOfRank(state, r))) problems.push(`${key}: stale:${r} score ${score}, state ${atOfRank(state, r)}`);
      if (r !== wanted && score !== null) problems.push(`${key}: wrongly in stale:${r}`);
    }
  }
  return problems;
}

describeIf(up, SKIP_REASONS.redis, 'redisStore when Redis fails (TCP proxy in front of the real server)', () => {
  beforeAll(async () => {
    direct = testClient();
    proxy = await startRedisProxy();
  });
  afterEach(async () => {
    proxy.restore();
    for (const s of opened.splice(0)) await s.close();
  });
  afterAll(async () => {
    await proxy.close();
    for (const p of prefixes) await deleteUnder(direct, p);
    await direct.quit();
  });

  it('Redis down at start: every call rejects with StorageError unavailable within the timeout, then recovers', async () => {
    proxy.cut();
    const store = redisStore({ url: proxy.url, prefix: newPrefix('down'), timeoutMs: 400 });
    opened.push(store);
    const item = observation('down-m', 'sent', 1_700_000_000);
    const calls: Array<() => Promise<unknown>> = [() => store.merge(item.key, item.observation), () => store.claim('down-id', 60_000), () => store.ping(), () => store.get(item.key)];
    for (const call of calls) {
      const r = await timed(call);
      expect(r.error).toBeInstanceOf(StorageError);
      expect((r.error as StorageError).code).toBe('unavailable');
      expect((r.error as StorageError).status).toBe(503);
      expect(r.ms).toBeLessThan(1_500);
    }
    proxy.restore();
    await waitUntilUp(store);
    expect((await store.merge(item.key, item.observation)).after).toEqual(item.observation);
  });

  it('connection cut mid-run: fast typed failures, recovery, retried merges converge, indexes stay consistent', async () => {
    const prefix = newPrefix('cut');
    const store = redisStore({ url: proxy.url, prefix, timeoutMs: 500 });
    opened.push(store);
    const items = observationSet(prefix, seeded(11), 2_400).map((it, i) => ({ ...it, batch: Math.floor(i / 40) }));
    const batches = new Map<number, MergeItem[]>();
    for (const it of items) batches.set(it.batch, [...(batches.get(it.batch) ?? []), it]);
    const failed: MergeItem[][] = [];
    const failures: Array<{ ms: number; code: string }> = [];
    let succeeded = 0;
    let afterRestore = 0;
    let restored = false;
    let next = 0;
    // Four concurrent lanes of batches; the proxy is cut while they run, then restored.
    const lane = async () => {
      for (let b = next++; b < batches.size; b = next++) {
        const batch = batches.get(b) as MergeItem[];
        const r = await timed(() => store.mergeMany(batch));
        if (r.error === undefined) {
          succeeded++;
          if (restored) afterRestore++;
        } else {
          failed.push(batch);
          failures.push({ ms: r.ms, code: r.error instanceof StorageError ? r.error.code : `untyped ${String(r.error)}` });
          await sleep(20);
        }
      }
    };
    const chaos = (async () => {
      while (succeeded < 10) await sleep(5);
      proxy.cut();
      await sleep(1_000);
      proxy.restore();
      restored = true;
    })();
    await Promise.all([lane(), lane(), lane(), lane(), chaos]);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.code === 'unavailable' || f.code === 'timeout')).toBe(true);
    expect(Math.max(...failures.map((f) => f.ms))).toBeLessThan(1_500);
    // Batches went through again after the outage: the store recovered by itself.
    expect(afterRestore).toBeGreaterThan(0);
    expect(succeeded + failed.length).toBe(batches.size);
    await waitUntilUp(store);
    expect(await checkIndexes(store)).toEqual([]);
    // The provider retries what failed; merging is idempotent, so the end state is the fold.
    for (const batch of failed) await store.mergeMany(batch);
    for (const [key, state] of foldItems(items)) expect(await store.get(key)).toEqual(state);
    expect(await checkIndexes(store)).toEqual([]);
  });

  it('black-holed network: StorageError timeout after timeoutMs; the late merge applies whole, once', async () => {
    const store = redisStore({ url: proxy.url, prefix: newPrefix('stall'), timeoutMs: 300 });
    opened.push(store);
    const first = observation('stall-m', 'sent', 1_700_000_000);
    const second = observation('stall-m', 'read', 1_700_000_005, { errors: [{ code: '1', class: 'unknown' }] });
    await store.merge(first.key, first.observation);
    proxy.stall();
    const r = await timed(() => store.merge(second.key, second.observation));
    expect((r.error as StorageError).code).toBe('timeout');
    expect(r.ms).toBeLessThan(1_000);
    proxy.restore();
    await waitUntilUp(store);
    // The stalled request reached Redis on restore: the state is the full join, indexes agree.
    const after = await store.merge(second.key, second.observation);
    expect(after.after).toBe(after.before);
    expect(after.after?.rank).toBe(4);
    expect(after.after?.errors).toEqual({ '1': { code: '1', class: 'unknown' } });
    expect(await checkIndexes(store)).toEqual([]);
  });

  it("a client with ioredis defaults (offline queue on) still fails fast, and nothing queued replays later", async () => {
    const client = new Redis(proxy.url); // enableOfflineQueue, maxRetriesPerRequest 20: the defaults
    client.on('error', () => {});
    opened.push({ close: () => client.disconnect() });
    const store = redisStore({ client, prefix: newPrefix('defaults'), timeoutMs: 400 });
    await waitUntilUp(store);
    const item = observation('defaults-m', 'delivered', 1_700_000_000);
    proxy.cut();
    await sleep(50);
    const r = await timed(() => store.merge(item.key, item.observation));
    expect(r.error).toBeInstanceOf(StorageError);
    expect(['unavailable', 'timeout']).toContain((r.error as StorageError).code);
    expect(r.ms).toBeLessThan(1_500);
    proxy.restore();
    await waitUntilUp(store);
    await sleep(300);
    expect(await store.get(item.key)).toBeNull();
    await store.close();
    expect(client.status).toBe('ready'); // the caller's client is left open
  });
});
