/**
 * Redis ingest throughput: `store.ingest` steps (claims + lattice merges + indexes + one outbox
 * record per event, ONE script call per step) beside a plain `SET key json PX ttl` of the same
 * observation JSON, in the same shapes, in interleaved rounds of the same run:
 *
 * - steps of 100 observations, one consumer, one step at a time  vs  a pipeline of 100 SETs;
 * - single-event steps, one consumer, 64 in flight                 vs  single SETs, 64 in flight.
 *
 * Every observation has a fresh event id and a fresh message id (each step creates its states,
 * the common case for webhooks of sends), with pricing like a real `sent`. Every round writes
 * under a fresh prefix, deleted at the end. About 20–40 s.
 *
 * Then the tracker's shape under bench/receiver.ts load (what the Redis layout is tuned for):
 * steps of 400 status events with one record each for the listeners' consumer (its before/after
 * included), 4 steps in flight, the records acked 500 at a time as the tracker does; it prints
 * events/s and the Redis server's CPU per event (`INFO cpu`, so only meaningful on a server
 * nothing else uses).
 *
 *   node --import tsx bench/redis.ts            (REDIS_URL, default redis://127.0.0.1:6379)
 */
import { Redis } from 'ioredis';
import { LISTENERS_CONSUMER } from '../src/storage/outbox.js';
import { redisStore, type RedisStore } from '../src/storage/redis/index.js';
import type { IngestStep } from '../src/storage/state-store.js';
import { observation, stepOf, type StepItem } from '../src/testing/index.js';
import { formatOps, median } from './harness.js';

const URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EVENTS = 12_000;
const BATCH = 100;
const IN_FLIGHT = 64;
const ROUNDS = 3;
const TTL = 30 * 86_400_000;
const CONSUMERS = ['sink'];
const runId = `bt-bench:${process.pid}-${Date.now().toString(36)}`;
let made = 0;

/** `n` observations of fresh messages, each its own event. */
function freshItems(n: number): StepItem[] {
  const round = made++;
  return Array.from({ length: n }, (_, m) => {
    const id = `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI${round.toString(36)}${m.toString(36).padStart(6, '0')}QUQ2MjA4NEYyRkEA`;
    return observation(id, 'sent', 1_750_000_000 + m, { pricing: { billable: true, model: 'PMP', category: 'utility', type: 'regular' } });
  });
}

/** Runs `op` for 0..n-1 with at most `limit` in flight; returns ops/s. */
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

/** Runs `op` over batches one at a time; returns items/s. */
async function batched(n: number, op: (from: number, to: number) => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < n; i += BATCH) await op(i, Math.min(n, i + BATCH));
  return (n * 1000) / (performance.now() - start);
}


async function main(): Promise<void> {
  const client = new Redis(URL, { maxRetriesPerRequest: 1 });
  let prefixes = 0;
  const fresh = () => `${runId}:${prefixes++}:`;
  const storeFor = (): RedisStore => redisStore({ client, prefix: fresh(), timeoutMs: 30_000 });
  const samples: Record<string, number[]> = { setN: [], stepN: [], set1: [], step1: [] };
  const payloads = (items: StepItem[]) => items.map((it) => JSON.stringify(it.observation));

  for (let round = 0; round < ROUNDS; round++) {
    {
      const items = freshItems(EVENTS);
      const json = payloads(items);
      const p = fresh();
      samples.setN?.push(
        await batched(EVENTS, (from, to) => {
          const pipe = client.pipeline();
          for (let i = from; i < to; i++) pipe.set(`${p}${items[i]?.event.id}`, json[i] as string, 'PX', TTL);
          return pipe.exec();
        }),
      );
    }
    {
      const items = freshItems(EVENTS);
      const steps: IngestStep[] = [];
      for (let i = 0; i < EVENTS; i += BATCH) steps.push(stepOf(items.slice(i, i + BATCH), { consumers: CONSUMERS }));
      const store = storeFor();
      samples.stepN?.push(await batched(EVENTS, (from) => store.ingest(steps[from / BATCH] as IngestStep)));
    }
    {
      const items = freshItems(EVENTS);
      const json = payloads(items);
      const p = fresh();
      samples.set1?.push(await inFlight(EVENTS, IN_FLIGHT, (i) => client.set(`${p}${items[i]?.event.id}`, json[i] as string, 'PX', TTL)));
    }
    {
      const steps = freshItems(EVENTS).map((it) => stepOf([it], { consumers: CONSUMERS }));
      const store = storeFor();
      samples.step1?.push(await inFlight(EVENTS, IN_FLIGHT, (i) => store.ingest(steps[i] as IngestStep)));
    }
  }

  const row = (name: string, ours: string, base: string) => {
    const o = median(samples[ours] ?? []);
    const b = median(samples[base] ?? []);
    console.log(`  ${name.padEnd(58)} ${formatOps(o).padStart(11)}   baseline ${formatOps(b).padStart(11)}   ratio ×${(o / b).toFixed(2)}`);
  };
  console.log(`\nRedis ingest (${EVENTS} fresh events per run, ${CONSUMERS.length} outbox consumer, median of ${ROUNDS} interleaved rounds, ${URL}); events/s`);
  row(`ingest, steps of ${BATCH}  vs  SET pipeline of ${BATCH}`, 'stepN', 'setN');
  row(`ingest, 1-event steps, ${IN_FLIGHT} in flight  vs  SET, ${IN_FLIGHT} in flight`, 'step1', 'set1');

  {
    const STEP = 400;
    const serverCpu = async () => {
      const info = await client.info('cpu');
      const num = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
      return num('used_cpu_user') + num('used_cpu_sys');
    };
    const rates: number[] = [];
    const cpus: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const items = freshItems(EVENTS);
      const steps: IngestStep[] = [];
      for (let i = 0; i < EVENTS; i += STEP) steps.push(stepOf(items.slice(i, i + STEP), { consumers: [LISTENERS_CONSUMER] }));
      const store = storeFor();
      const acks: Array<Promise<void>> = [];
      let waiting: string[] = [];
      const cpu0 = await serverCpu();
      rates.push(
        await inFlight(steps.length, 4, async (i) => {
          const { records } = await store.ingest(steps[i] as IngestStep);
          for (const r of records) waiting.push(r.id);
          if (waiting.length >= 500) {
            acks.push(store.outbox.ack(LISTENERS_CONSUMER, waiting));
            waiting = [];
          }
        }) * STEP,
      );
      acks.push(store.outbox.ack(LISTENERS_CONSUMER, waiting));
      await Promise.all(acks);
      cpus.push(((await serverCpu()) - cpu0) * 1e6 / EVENTS);
    }
    console.log(`\nTracker-shaped steps (${STEP} status events, one listeners' record each, 4 in flight, acks of 500; median of ${ROUNDS})`);
    console.log(`  ${formatOps(median(rates)).padStart(11)} events   Redis server CPU ${median(cpus).toFixed(1)} µs per event (INFO cpu: the whole server)`);
  }

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
