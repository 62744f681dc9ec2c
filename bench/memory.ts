/**
 * Heap bytes (JS heap + ArrayBuffers) per tracked message in the memory store at 1M messages, counting its delivery state
 * (sent → delivered → read merged) and the dedupe claims of its three status events.
 * Target: under 600 bytes. Event objects are built and dropped per chunk, so only what the store
 * retains is measured (message id strings included: the store keeps them).
 *
 *   node --expose-gc --import tsx bench/memory.ts        (MESSAGES=200000 for a quicker run)
 */
import { memoryStore } from '../src/storage/memory-store.js';
import { createTracker } from '../src/tracking/tracker.js';
import { campaignStatusEvents } from './payloads.js';

const MESSAGES = Number(process.env.MESSAGES ?? 1_000_000);
const CHUNK = 5_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) {
  console.error('run with: node --expose-gc --import tsx bench/memory.ts');
  process.exit(1);
}

/** JS heap plus ArrayBuffer backing stores (the claim table's typed arrays live outside the JS heap). */
function heap(): number {
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

const chunk = campaignStatusEvents;

const before = heap();
const store = memoryStore({ maxEntries: MESSAGES });
const tracker = createTracker({ store });
const t0 = performance.now();
for (let m = 0; m < MESSAGES; m += CHUNK) await tracker.ingest(chunk(m, Math.min(MESSAGES, m + CHUNK)));
const seconds = (performance.now() - t0) / 1000;
const after = heap();
const stats = store.stats();
const perMessage = (after - before) / MESSAGES;
console.log(`${MESSAGES} messages × 3 status events ingested in ${seconds.toFixed(1)} s`);
console.log(`  store: ${stats.states} states, ${stats.claims} claims, ${stats.evictedStates} evicted`);
console.log(`  heap + array buffers: ${((after - before) / 2 ** 20).toFixed(1)} MiB retained → ${perMessage.toFixed(0)} bytes per tracked message (state + 3 claims)`);
console.log(`  target < 600 bytes ${perMessage < 600 ? '✓' : '✗'}`);
if (stats.states !== MESSAGES || stats.claims !== MESSAGES * 3) console.log('  ✗ unexpected store size');
await tracker.close();
