/**
 * Dispatcher overhead: events/s through `createDispatcher` into a no-op sink (batches of 100,
 * enqueued 10 at a time, as a tracker would after each webhook), beside a hand-rolled baseline
 * that pushes into an array and awaits the same sink every 100 events (no retry, TTL, stats,
 * overflow or timeout). Interleaved rounds, median of each; bounded to a few seconds.
 *
 *   node --import tsx bench/sinks-dispatcher.ts
 */
import { createDispatcher } from '../src/sinks/dispatcher.js';
import type { CanonicalEvent } from '../src/event/types.js';
import { makeEvents } from '../test/sinks/helpers.js';
import { median } from './harness.js';

const TOTAL = 100_000;
const CHUNK = 10;
const events = makeEvents(TOTAL);
let seen = 0;
const write = async (batch: CanonicalEvent[]) => {
  seen += batch.length;
};

async function ours(): Promise<number> {
  const d = createDispatcher({ sinks: [{ name: 'noop', write }], batchSize: 100, flushIntervalMs: 1, maxQueue: TOTAL });
  const t0 = performance.now();
  for (let i = 0; i < TOTAL; i += CHUNK) {
    d.enqueue(events.slice(i, i + CHUNK));
    // Yield now and then like a server between requests, so delivery runs concurrently.
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  await d.flush();
  const ms = performance.now() - t0;
  await d.close();
  return (TOTAL * 1000) / ms;
}

async function baseline(): Promise<number> {
  let buffer: CanonicalEvent[] = [];
  let chain = Promise.resolve();
  const t0 = performance.now();
  for (let i = 0; i < TOTAL; i += CHUNK) {
    buffer.push(...events.slice(i, i + CHUNK));
    if (buffer.length >= 100) {
      const batch = buffer;
      buffer = [];
      chain = chain.then(() => write(batch));
    }
    if (i % 1000 === 0) await new Promise((r) => setImmediate(r));
  }
  if (buffer.length > 0) await write(buffer);
  await chain;
  return (TOTAL * 1000) / (performance.now() - t0);
}

const a: number[] = [];
const b: number[] = [];
await ours();
await baseline();
for (let round = 0; round < 7; round++) {
  a.push(await ours());
  b.push(await baseline());
}
const oursOps = median(a);
const baseOps = median(b);
const fmt = (n: number) => `${(n / 1e6).toFixed(2)} M events/s`;
console.log(`dispatcher (batch 100, retry/TTL/stats) : ${fmt(oursOps)}`);
console.log(`hand-rolled batcher (baseline)          : ${fmt(baseOps)}`);
console.log(`ratio ours/baseline                     : ${(oursOps / baseOps).toFixed(2)}`);
if (seen === -1) console.log(seen);
