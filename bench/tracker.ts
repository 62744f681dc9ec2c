/**
 * tracker.ingest throughput on the memory store: 100k messages × 3 statuses (sent, delivered,
 * read), shuffled, plus 10% duplicates, ingested in batches. Baseline, same events, same run: a
 * bare loop with a `Set` for dedupe and a `Map` of max rank per message, the least any tracker
 * must do. Prints events/s of both and the ratio. Targets: ≥ 500k events/s and ≥ 0.25 × bare loop.
 *
 *   node --expose-gc --import tsx bench/tracker.ts
 */
import type { StatusEvent } from '../src/event/types.js';
import { memoryStore } from '../src/storage/memory-store.js';
import { createTracker } from '../src/tracking/tracker.js';
import { median } from './harness.js';
import { campaignStatusEvents } from './payloads.js';

const MESSAGES = 100_000;
const BATCH = Number(process.env.BATCH ?? 1_000);
const ROUNDS = 5;

function makeEvents(): StatusEvent[] {
  const out = campaignStatusEvents(0, MESSAGES);
  let seed = 1;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const dups = Math.floor(out.length * 0.1);
  for (let i = 0; i < dups; i++) out.push(out[Math.floor(rand() * out.length)] as StatusEvent);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as StatusEvent, out[i] as StatusEvent];
  }
  return out;
}

const RANKS: Record<string, number> = { pending: 1, sent: 2, delivered: 3, read: 4, played: 5 };

/** The baseline: dedupe Set + Map of { rank, first timestamp of the top status } per message. */
function bareLoop(events: readonly StatusEvent[]): number {
  const seen = new Set<string>();
  const states = new Map<string, { rank: number; at: string }>();
  let changes = 0;
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    const key = `${e.messageId}:${e.recipientId}`;
    const rank = RANKS[e.status] ?? 0;
    const prev = states.get(key);
    if (prev === undefined) {
      states.set(key, { rank, at: e.occurredAt });
      changes++;
    } else if (rank > prev.rank) {
      prev.rank = rank;
      prev.at = e.occurredAt;
      changes++;
    }
  }
  return changes;
}

async function ours(events: readonly StatusEvent[]): Promise<number> {
  const tracker = createTracker({ store: memoryStore({ maxEntries: MESSAGES * 2 }) });
  let transitions = 0;
  for (let i = 0; i < events.length; i += BATCH) {
    const report = await tracker.ingest(events.slice(i, i + BATCH));
    transitions += report.transitions;
  }
  await tracker.close();
  return transitions;
}

// Each loop gets the events JSON-parsed anew (untimed), as a receiver gets each webhook's events:
// strings fresh in memory with no hash computed yet. Reusing one array of objects across rounds
// would hand both loops strings whose hashes V8 cached in the first round, laid out far apart.
const json = JSON.stringify(makeEvents());
const fresh = (): StatusEvent[] => JSON.parse(json) as StatusEvent[];
const gc = (globalThis as { gc?: () => void }).gc;
const count = fresh().length;
console.log(`${count} status events (${MESSAGES} messages × 3 + 10% duplicates, shuffled), batches of ${BATCH}${gc ? '' : ' (run with --expose-gc for steadier figures)'}`);
const bare: number[] = [];
const mine: number[] = [];
let check = 0;
for (let r = 0; r < ROUNDS + 1; r++) {
  let events = fresh();
  gc?.();
  let t0 = performance.now();
  check += bareLoop(events);
  const bareMs = performance.now() - t0;
  events = fresh();
  gc?.();
  t0 = performance.now();
  check += await ours(events);
  const oursMs = performance.now() - t0;
  if (r === 0) continue; // warm-up round
  bare.push(count / (bareMs / 1000));
  mine.push(count / (oursMs / 1000));
}
const b = median(bare);
const o = median(mine);
const fmt = (x: number) => `${(x / 1e6).toFixed(2)} M events/s`;
console.log(`  bare Map loop (Set dedupe + Map max rank)   ${fmt(b)}`);
console.log(`  tracker.ingest (memory store)               ${fmt(o)}   ×${(o / b).toFixed(2)} of bare loop`);
console.log(`  targets: ≥ 0.50 M events/s ${o >= 5e5 ? '✓' : '✗'}, ≥ ×0.25 of bare loop ${o / b >= 0.25 ? '✓' : '✗'}  (checksum ${check})`);
