/**
 * PostgreSQL store throughput: merges per second through `postgresStore` (one statement per
 * event, and batched `mergeMany`), with 4 concurrent connections, beside a plain upsert of the
 * same columns (no join: `SET col = excluded.col`) measured in the same run, single-row and
 * batched. Bounded (~40 s), uses its own schema and drops it.
 *
 *   node --import tsx bench/postgres.ts
 */
import pg from 'pg';
import type { MergeItem } from '../src/storage/adapter.js';
import { COLUMNS, encodeColumns } from '../src/storage/postgres/columns.js';
import { postgresStore } from '../src/storage/postgres/index.js';
import { observation, seeded } from '../src/testing/index.js';
import type { DeliveryStatus } from '../src/event/types.js';

const URL = process.env.BLUETICK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = 4;
const BATCH = Number(process.env.BENCH_BATCH ?? 500);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 3000);
const ROUNDS = 2;
const SINGLE_ITEMS = 6_000;
const BATCH_ITEMS = 90_000;
const schema = `bt_bench_${process.pid}_${Date.now().toString(36)}`;

// Status observations of many messages, in waves (every message's `sent`, then every
// `delivered`, …), the way webhooks of concurrent sends interleave: a batch holds distinct keys,
// so the plain batched upsert (which cannot take a key twice) sees the very same rows.
const random = seeded(42);
const STATUSES: DeliveryStatus[] = ['sent', 'delivered', 'read', 'failed'];
function makeItems(n: number, tag: string): MergeItem[] {
  const messages = Math.ceil(n / 3);
  const out: MergeItem[] = [];
  for (const status of STATUSES) {
    for (let i = 0; i < messages && out.length < n; i++) {
      if (status === 'failed' && random() > 0.05) continue;
      const extra = status === 'sent' && random() < 0.5 ? { pricing: { billable: true, model: 'PMP', category: 'utility' } } : {};
      out.push(observation(`${tag}-m${i}`, status, 1_700_000_000 + i + STATUSES.indexOf(status), extra));
    }
  }
  return out;
}

const pool = new pg.Pool({ connectionString: URL, max: CONNECTIONS });
const store = postgresStore({ pool }, { schema, claimCleanupIntervalMs: 0 });
const plain = `"${schema}"."plain_states"`;
const cols = ['key', ...COLUMNS.map((c) => c.name)];
const plainSingle = `INSERT INTO ${plain} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
ON CONFLICT (key) DO UPDATE SET ${COLUMNS.map((c) => `${c.name} = excluded.${c.name}`).join(', ')}`;
const plainBatch = `INSERT INTO ${plain} (${cols.join(', ')})
SELECT * FROM unnest($1::text[], ${COLUMNS.map((c, i) => `$${i + 2}::${c.param}[]`).join(', ')}) AS s(${cols.join(', ')})
ON CONFLICT (key) DO UPDATE SET ${COLUMNS.map((c) => `${c.name} = excluded.${c.name}`).join(', ')}`;

async function setup(): Promise<void> {
  await store.migrate();
  const ddl = COLUMNS.map((c) => `${c.name} ${c.param === 'jsonb' ? 'jsonb' : c.type}`).join(', ');
  await pool.query(`CREATE TABLE ${plain} (key text COLLATE "C" PRIMARY KEY, ${ddl})`);
}

/** Runs `op` on CONNECTIONS concurrent loops for ROUND_MS; returns merges (items) per second. */
async function measure(op: (lane: number, round: number, i: number) => Promise<number>): Promise<number> {
  let items = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, lane) => {
      for (let i = 0; performance.now() - start < ROUND_MS; i++) items += await op(lane, 0, i);
    }),
  );
  return (items * 1000) / (performance.now() - start);
}

let tagCounter = 0;
/** Fresh keys per lane and round, so every round sees the same insert/update mix. */
function laneData(n: number): MergeItem[][] {
  const tag = `r${tagCounter++}`;
  return Array.from({ length: CONNECTIONS }, (_, lane) => makeItems(n, `${tag}-l${lane}`));
}

async function single(useStore: boolean): Promise<number> {
  const data = laneData(SINGLE_ITEMS);
  return measure(async (lane, _r, i) => {
    const it = (data[lane] as MergeItem[])[i % SINGLE_ITEMS] as MergeItem;
    if (useStore) await store.merge(it.key, it.observation);
    else await pool.query(plainSingle, encodeColumns([it.key], [it.observation]).map((v) => v[0]));
    return 1;
  });
}

async function batched(useStore: boolean): Promise<number> {
  const data = laneData(BATCH_ITEMS);
  return measure(async (lane, _r, i) => {
    const all = data[lane] as MergeItem[];
    const from = (i * BATCH) % all.length;
    const batch = all.slice(from, from + BATCH);
    if (useStore) await store.mergeMany(batch);
    else await pool.query(plainBatch, encodeColumns(batch.map((b) => b.key), batch.map((b) => b.observation)));
    return batch.length;
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

async function main(): Promise<void> {
  await setup();
  try {
    for (const [name, fn] of [
      ['one statement per event', single],
      [`batched (${BATCH} per statement)`, batched],
    ] as const) {
      await fn(true); // warm-up
      const ours: number[] = [];
      const base: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        ours.push(await fn(true));
        base.push(await fn(false));
      }
      const a = median(ours);
      const b = median(base);
      console.log(`${name.padEnd(34)} merge ${a.toFixed(0).padStart(7)} /s   plain upsert ${b.toFixed(0).padStart(7)} /s   ratio ${(a / b).toFixed(2)}`);
      if (fn === batched) console.log(`batched ≥ 20k merges/s with ${CONNECTIONS} connections: ${a >= 20_000 ? 'yes' : 'NO'}`);
    }
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

await main();
