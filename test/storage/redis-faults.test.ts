/**
 * Redis down, cut mid-run, or black-holed, through a TCP proxy in front of the real server:
 * callers get typed StorageErrors quickly (never a hang), the store recovers when Redis returns,
 * and a step is applied entirely or not at all: states, stale index, claims and
 * outbox records always agree, and a step retried after a fault claims, merges and appends
 * exactly once in total.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { hasFailure } from '../../src/state/present.js';
import { atOfRank } from '../../src/state/state.js';
import { redisStore, type RedisStore } from '../../src/storage/redis/index.js';
import { decodeState } from '../../src/storage/redis/codec.js';
import type { IngestStep } from '../../src/storage/state-store.js';
import { foldItems, observation, observationSet, seeded, stepOf, type StepItem } from '../../src/testing/index.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { startRedisProxy, type RedisProxy } from './redis-proxy.js';
import { deleteUnder, keysUnder, testClient, uniquePrefix } from './redis-helpers.js';

const up = await redisAvailable();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SINK = 'sink';
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

/** Every state sits in its message's hash under its own field, and in the right stale set. */
async function checkIndexes(store: RedisStore): Promise<string[]> {
  const problems: string[] = [];
  const hashes = (await keysUnder(direct, store.keys.prefix)).filter((k) => store.keys.isMessageKey(k));
  for (const hash of hashes) {
    for (const [field, json] of Object.entries(await direct.hgetall(hash))) {
      const state = decodeState(json);
      const own = store.keys.state(state);
      if (own.hash !== hash || own.field !== field) problems.push(`${hash} ${field}: holds the state of ${own.hash} ${own.field}`);
      const wanted = state.rank >= 1 && state.rank <= 4 && !hasFailure(state) ? state.rank : 0;
      for (const r of [1, 2, 3, 4]) {
        const score = await direct.zscore(store.keys.stale(r), own.key);
        if (r === wanted && score !== String(atOfRank(state, r))) problems.push(`${own.key}: stale:${r} score ${score}, state ${atOfRank(state, r)}`);
        if (r !== wanted && score !== null) problems.push(`${own.key}: wrongly in stale:${r}`);
      }
    }
  }
  return problems;
}

/** Every record of the sink, leased (it waits for the appenders' leases to end) and acked; event ids. */
async function drain(store: RedisStore): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const page = await store.outbox.lease(SINK, 500, 60_000);
    if (page.length === 0) break;
    out.push(...page.map((r) => r.event.id));
    await store.outbox.ack(SINK, page.map((r) => r.id));
  }
  return out;
}

/** Claim keys present for these events. */
async function claimsOf(store: RedisStore, events: readonly CanonicalEvent[]): Promise<number> {
  let n = 0;
  for (const e of events) n += await direct.exists(store.keys.claim(e.id));
  return n;
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
    const calls: Array<() => Promise<unknown>> = [() => store.ingest(stepOf([item], { consumers: [SINK] })), () => store.ping(), () => store.ready(), () => store.get(item.key), () => store.outbox.lease(SINK, 10, 1000), () => store.scanStates()];
    for (const call of calls) {
      const r = await timed(call);
      expect(r.error).toBeInstanceOf(StorageError);
      expect((r.error as StorageError).code).toBe('unavailable');
      expect((r.error as StorageError).status).toBe(503);
      expect(r.ms).toBeLessThan(1_500);
    }
    proxy.restore();
    await waitUntilUp(store);
    const { merged, claimed } = await store.ingest(stepOf([item], { consumers: [SINK] }));
    expect(claimed).toEqual([true]);
    expect(merged[0]?.after).toEqual(item.observation);
  });

  it('connection cut mid-run: fast typed failures, recovery; retried steps converge and every event is claimed and appended exactly once', async () => {
    const prefix = newPrefix('cut');
    const store = redisStore({ url: proxy.url, prefix, timeoutMs: 500 });
    opened.push(store);
    const items = observationSet(prefix, seeded(11), 2_400);
    const steps: IngestStep[] = [];
    for (let i = 0; i < items.length; i += 40) steps.push(stepOf(items.slice(i, i + 40), { consumers: [SINK], leaseMs: 200 }));
    const failed: IngestStep[] = [];
    const failures: Array<{ ms: number; code: string }> = [];
    let succeeded = 0;
    let afterRestore = 0;
    let restored = false;
    let next = 0;
    // Four concurrent lanes of steps; the proxy is cut while they run, then restored.
    const lane = async () => {
      for (let b = next++; b < steps.length; b = next++) {
        const step = steps[b] as IngestStep;
        const r = await timed(() => store.ingest(step));
        if (r.error === undefined) {
          succeeded++;
          if (restored) afterRestore++;
        } else {
          failed.push(step);
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
    expect(afterRestore).toBeGreaterThan(0); // the store recovered by itself
    expect(succeeded + failed.length).toBe(steps.length);
    await waitUntilUp(store);
    expect(await checkIndexes(store)).toEqual([]);
    // The provider retries what failed; some of those steps had been applied before the reply was lost.
    let reclaimed = 0;
    for (const step of failed) reclaimed += (await store.ingest(step)).claimed.filter(Boolean).length;
    expect(reclaimed).toBeLessThanOrEqual(failed.reduce((n, s) => n + s.events.length, 0));
    for (const [key, state] of foldItems(items)) expect(await store.get(key)).toEqual(state);
    expect(await checkIndexes(store)).toEqual([]);
    // Exactly one outbox record per distinct event, whichever attempt appended it.
    const distinct = new Set(items.map((it) => it.event.id));
    expect(await claimsOf(store, [...new Map(items.map((it) => [it.event.id, it.event])).values()])).toBe(distinct.size);
    await sleep(250); // the appenders' leases (200 ms) end
    const delivered = await drain(store);
    expect(delivered.length).toBe(distinct.size);
    expect(new Set(delivered)).toEqual(distinct);
  });

  it('black-holed network: StorageError timeout after timeoutMs; the late step applies whole, once; its retry claims, merges and appends nothing more', async () => {
    const store = redisStore({ url: proxy.url, prefix: newPrefix('stall'), timeoutMs: 300 });
    opened.push(store);
    const first = observation('stall-m', 'sent', 1_700_000_000);
    const second = observation('stall-m', 'read', 1_700_000_005, { errors: [{ code: '1', class: 'unknown' }] });
    const other = observation('stall-n', 'delivered', 1_700_000_005);
    await store.ingest(stepOf([first]));
    const step = stepOf([second, other], { consumers: [SINK], leaseMs: 100 });
    proxy.stall();
    const r = await timed(() => store.ingest(step));
    expect((r.error as StorageError).code).toBe('timeout');
    expect(r.ms).toBeLessThan(1_000);
    proxy.restore();
    await waitUntilUp(store);
    // The stalled step reached Redis on restore and ran whole: claims, merges and records.
    expect(await claimsOf(store, step.events)).toBe(2);
    const retry = await store.ingest(step);
    expect(retry.claimed).toEqual([false, false]);
    expect(retry.records).toEqual([]);
    expect(retry.merged.every((m) => m.after === m.before)).toBe(true);
    expect(retry.merged[0]?.after.rank).toBe(4);
    expect(retry.merged[0]?.after.errors).toEqual({ '1': { code: '1', class: 'unknown' } });
    expect(await checkIndexes(store)).toEqual([]);
    await sleep(150);
    expect((await drain(store)).sort()).toEqual([second.event.id, other.event.id].sort());
  });

  it('a client with ioredis defaults (offline queue on) still fails fast, and nothing queued replays later', async () => {
    const client = new Redis(proxy.url); // enableOfflineQueue, maxRetriesPerRequest 20: the defaults
    client.on('error', () => {});
    opened.push({ close: () => client.disconnect() });
    const store = redisStore({ client, prefix: newPrefix('defaults'), timeoutMs: 400 });
    await waitUntilUp(store);
    const item: StepItem = observation('defaults-m', 'delivered', 1_700_000_000);
    proxy.cut();
    await sleep(50);
    const r = await timed(() => store.ingest(stepOf([item])));
    expect(r.error).toBeInstanceOf(StorageError);
    expect(['unavailable', 'timeout']).toContain((r.error as StorageError).code);
    expect(r.ms).toBeLessThan(1_500);
    proxy.restore();
    await waitUntilUp(store);
    await sleep(300);
    expect(await store.get(item.key)).toBeNull();
    expect(await claimsOf(store, [item.event])).toBe(0);
    await store.close();
    expect(client.status).toBe('ready'); // the caller's client is left open
  });
});
