/**
 * Redis merge throughput: `store.merge` (single calls, 64 in flight on one connection) and
 * `store.mergeMany` (pipelined batches of 100), each beside a plain `SET key json PX ttl` of the
 * same payload in the same shape (64 single SETs in flight / pipelines of 100), measured in
 * interleaved rounds in the same run. The data: 6 000 messages × sent, delivered, read, shuffled
 * (a third of the merges create a state, the rest join into one). Every round writes under a
 * fresh prefix, deleted at the end. Bounded: about 20–40 s.
 *
 *   node --import tsx bench/redis.ts            (REDIS_URL, default redis://127.0.0.1:6379)
 */
import { Redis } from 'ioredis';
import type { MergeItem } from '../src/storage/adapter.js';
import { redisStore, type RedisStore } from '../src/storage/redis/index.js';
import { observation, seeded, shuffle } from '../src/testing/index.js';
import { formatOps } from './harness.js';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const MESSAGES = 6_000;
const BATCH = 100;
const IN_FLIGHT = 64;
const ROUNDS = 3;
const TTL = 30 * 86_400_000;
const runId = `bt-bench:${process.pid}-${Date.now().toString(36)}`;
const prefixes: string[] = [];

function makeItems(): MergeItem[] {
  const out: MergeItem[] = [];
  for (let m = 0; m < MESSAGES; m++) {
    const id = `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI${m.toString(36).padStart(8, '0')}QUQ2MjA4NEYyRkEA`;
    const pricing = { billable: true, model: 'PMP', category: 'utility', type: 'regular' };
    out.push(observation(id, 'sent', 1_750_000_000 + m, { pricing }));
    out.push(observation(id, 'delivered', 1_750_000_005 + m, { pricing }));
    out.push(observation(id, 'read', 1_750_000_060 + m));
  }
  return shuffle(out, seeded(42));
}

/** Runs `op` over `n` items with at most `limit` in flight; returns ops/s. */
async function inFlight(n: number, limit: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let i = next++; i < n; i = next++) await op(i);
    }),
  );
  return (n * 1000) / (performance.now() - start);
}

async function batched(n: number, op: (from: number, to: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i += BATCH) await op(i, Math.min(n, i + BATCH));
  return (n * 1000) / (performance.now() - start);
}

function freshPrefix(name: string): string {
  const p = `${runId}:${name}:${prefixes.length}:`;
  prefixes.push(p);
  return p;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const client = new Redis(URL, { maxRetriesPerRequest: 1 });
  const items = makeItems();
  const payloads = items.map((it) => JSON.stringify(it.observation));
  const n = items.length;
  const storeFor = (name: string): RedisStore => redisStore({ client, prefix: freshPrefix(name), timeoutMs: 30_000 });
  const samples: Record<string, number[]> = { set1: [], merge1: [], setN: [], mergeN: [] };

  for (let round = 0; round < ROUNDS; round++) {
    const p1 = freshPrefix('set1');
    samples.set1?.push(await inFlight(n, IN_FLIGHT, (i) => client.set(`${p1}${items[i]?.key}`, payloads[i] as string, 'PX', TTL)));
    const s1 = storeFor('merge1');
    samples.merge1?.push(await inFlight(n, IN_FLIGHT, (i) => s1.merge((items[i] as MergeItem).key, (items[i] as MergeItem).observation)));
    const pN = freshPrefix('setN');
    samples.setN?.push(
      await batched(n, (from, to) => {
        const pipe = client.pipeline();
        for (let i = from; i < to; i++) pipe.set(`${pN}${items[i]?.key}`, payloads[i] as string, 'PX', TTL);
        return pipe.exec();
      }),
    );
    const sN = storeFor('mergeN');
    samples.mergeN?.push(await batched(n, (from, to) => sN.mergeMany(items.slice(from, to))));
  }

  const row = (name: string, ours: string, base: string) => {
    const o = median(samples[ours] ?? []);
    const b = median(samples[base] ?? []);
    console.log(`  ${name.padEnd(46)} ${formatOps(o).padStart(11)}   baseline ${formatOps(b).padStart(11)}   ratio ×${(o / b).toFixed(2)}`);
  };
  console.log(`\nRedis merges (${n} observations of ${MESSAGES} messages, median of ${ROUNDS} interleaved rounds, ${URL})`);
  row(`store.merge, ${IN_FLIGHT} in flight  vs SET, ${IN_FLIGHT} in flight`, 'merge1', 'set1');
  row(`store.mergeMany(${BATCH})  vs SET pipeline of ${BATCH}`, 'mergeN', 'setN');

  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${runId}:*`, 'COUNT', 2000);
    cursor = next;
    if (keys.length > 0) deleted += await client.unlink(...keys);
  } while (cursor !== '0');
  console.log(`  (cleaned up ${deleted} keys)`);
  await client.quit();
}

await main();
