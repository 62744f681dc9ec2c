/**
 * PostgreSQL store throughput: observations per second through `postgresStore().ingest()` (the
 * whole atomic step: claims, merges with before/after, one outbox record per event for one
 * consumer), with 4 concurrent connections and fresh event ids, beside a plain upsert of the same
 * rows (no claims, no join, no outbox, no RETURNING: `SET col = excluded.col`) measured in the
 * same run: steps of 500 observations against one 500-row statement, and single-event steps
 * against single-row statements. A third line adds the consumer's ack of each step's records
 * (the outbox's full cycle); a fourth gives the step to the tracker's listeners' consumer instead
 * (its records packed into one row per step, schema version 3) and acks them. Bounded (~60 s), uses its own schema and drops it.
 *
 *   node --import tsx bench/postgres.ts            # BENCH_BATCH=500 BENCH_ROUND_MS=3000
 */
import pg from 'pg';
import type { DeliveryStatus } from '../src/event/types.js';
import { COLUMNS } from '../src/storage/postgres/columns.js';
import { LISTENERS_CONSUMER } from '../src/storage/outbox.js';
import { postgresStore } from '../src/storage/postgres/index.js';
import { observation, seeded, stepOf, type StepItem } from '../src/testing/index.js';
import { median } from './harness.js';

const URL = process.env.BLUETICK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = 4;
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const ROUNDS = 2;
const schema = `bt_bench_${process.pid}_${Date.now().toString(36)}`;

// Status observations of many messages in waves of BATCH messages (their `sent`, then their
// `delivered`, then their `read`), the way webhooks of concurrent sends interleave: a third of the
// rows insert a state, two thirds update one, and a batch never holds a key twice, so the plain
// batched upsert (which cannot take a key twice) sees the very same rows.
const random = seeded(42);
const WAVES: DeliveryStatus[] = ['sent', 'delivered', 'read'];
function makeItems(n: number, tag: string, wave: number): StepItem[] {
  const out: StepItem[] = [];
  for (let chunk = 0; out.length < n; chunk++) {
    WAVES.forEach((status, w) => {
      for (let i = 0; i < wave && out.length < n; i++) {
        const m = chunk * wave + i;
        const failed = status === 'read' && random() < 0.05;
        const extra = status === 'sent' && random() < 0.5 ? { pricing: { billable: true, model: 'PMP', category: 'utility' } } : {};
        out.push(observation(`${tag}-m${m}`, failed ? 'failed' : status, 1_700_000_000 + m + w, failed ? { errors: [{ code: '131026', class: 'permanent' }] } : extra));
      }
    });
  }
  return out;
}

const pool = new pg.Pool({ connectionString: URL, max: CONNECTIONS });
const store = postgresStore({ pool, schema, claimCleanupIntervalMs: 0 });
const plain = `"${schema}"."plain_states"`;
const cols = ['key', ...COLUMNS.map((c) => c.name)];
const set = COLUMNS.map((c) => `${c.name} = excluded.${c.name}`).join(', ');
// The hand-written way: one multi-row VALUES list per statement, one parameter per value.
function plainUpsert(rows: number): string {
  const values = Array.from({ length: rows }, (_, r) => `(${cols.map((_, c) => `$${r * cols.length + c + 1}`).join(', ')})`);
  return `INSERT INTO ${plain} (${cols.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (key) DO UPDATE SET ${set}`;
}
const plainText = new Map<number, string>();
function plainParams(items: readonly StepItem[]): unknown[] {
  const out: unknown[] = [];
  for (const it of items) {
    out.push(it.key);
    for (const c of COLUMNS) {
      const v = it.observation[c.field];
      out.push(c.type === 'jsonb' ? (v === null ? null : JSON.stringify(v)) : v);
    }
  }
  return out;
}

async function setup(): Promise<void> {
  await store.migrate();
  await pool.query(`CREATE TABLE ${plain} (key text COLLATE "C" PRIMARY KEY, ${COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')})`);
}

/** Runs `op` on CONNECTIONS concurrent loops for ROUND_MS; returns observations per second. */
async function measure(op: (lane: number, i: number) => Promise<number>): Promise<number> {
  let items = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, lane) => {
      for (let i = 0; performance.now() - start < ROUND_MS; i++) items += await op(lane, i);
    }),
  );
  return (items * 1000) / (performance.now() - start);
}

let tagCounter = 0;
/** Fresh ids and keys per lane and round, so every round sees the same insert/update mix. */
function laneData(n: number, wave: number): StepItem[][] {
  const tag = `r${tagCounter++}`;
  return Array.from({ length: CONNECTIONS }, (_, lane) => makeItems(n, `${tag}-l${lane}`, wave));
}

type Mode = 'store' | 'store+ack' | 'listeners+ack' | 'plain';

function run(size: number, perLane: number): (mode: Mode) => Promise<number> {
  return async (mode) => {
    const data = laneData(perLane, size);
    return measure(async (lane, i) => {
      const all = data[lane] as StepItem[];
      const from = (i * size) % all.length;
      const batch = all.slice(from, from + size);
      if (mode === 'plain') {
        let text = plainText.get(batch.length);
        if (text === undefined) plainText.set(batch.length, (text = plainUpsert(batch.length)));
        await pool.query(text, plainParams(batch));
      } else {
        const consumer = mode === 'listeners+ack' ? LISTENERS_CONSUMER : 'sink';
        const { records } = await store.ingest(stepOf(batch, { consumers: [consumer] }));
        if (mode !== 'store') await store.outbox.ack(consumer, records.map((r) => r.id));
      }
      return batch.length;
    });
  };
}


async function main(): Promise<void> {
  await setup();
  console.log(`postgresStore.ingest() vs a plain upsert of the same rows, ${CONNECTIONS} connections, fresh ids, ${ROUND_MS} ms rounds (median of ${ROUNDS})`);
  try {
    for (const [name, size, perLane] of [
      [`steps of ${BATCH} observations`, BATCH, 120_000],
      ['single-event steps', 1, 12_000],
    ] as const) {
      const fn = run(size, perLane);
      await fn('store'); // warm-up
      await fn('plain');
      const samples: Record<Mode, number[]> = { store: [], 'store+ack': [], 'listeners+ack': [], plain: [] };
      for (let r = 0; r < ROUNDS; r++) for (const mode of ['store', 'plain', 'store+ack', 'listeners+ack'] as const) samples[mode].push(await fn(mode));
      const base = median(samples.plain);
      console.log(`\n${name}`);
      console.log(`  plain upsert (baseline)        ${base.toFixed(0).padStart(8)} obs/s`);
      const label = { store: 'ingest step (1 consumer)', 'store+ack': 'ingest step + ack', 'listeners+ack': "listeners' records + ack" } as const;
      for (const mode of ['store', 'store+ack', 'listeners+ack'] as const) {
        const a = median(samples[mode]);
        console.log(`  ${label[mode].padEnd(30)} ${a.toFixed(0).padStart(8)} obs/s   ×${(a / base).toFixed(2)} of the plain upsert`);
      }
    }
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

await main();
