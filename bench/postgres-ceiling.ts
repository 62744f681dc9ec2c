/**
 * Where PostgreSQL's time goes in one ingest step, against the hand-written handler of
 * bench/receiver.ts (issue "Durable ingest", item 6: on `postgresStore`, 50-status batches ≥ 1.0×
 * that handler). The database alone, no HTTP: the same server, fresh ids every statement.
 *
 * The step is a real one: 8 fresh 50-status Cloud webhooks (bench/fresh-webhook.ts) through
 * `createTracker` with a `transition` listener, 400 events in one ingest call, as group commit
 * forms it under bench/receiver.ts's load; its statement and parameters are taken from the pool
 * and replayed with new ids. Rows printed, events per second and the ratio to the handler:
 *
 * - `bluetick step`: the statement as it is (claims, state merges, the listeners' packed outbox
 *   row, 2 steps in flight as group commit runs them);
 * - the same without its claims table, without the 4 analytics indexes, without any secondary
 *   index, without the packed outbox row, and combinations down to the state upsert alone: NOT options bluetick offers (every one is part of what the store
 *   promises: dedupe for 7 days of retries, funnel() on millions of states, findStale,
 *   findByMessage, listeners at least once across crashes), but what each part costs, measured;
 * - `hand-written upsert`: one `INSERT … SELECT unnest(…) ON CONFLICT DO UPDATE` of (message id,
 *   status, time), 50 rows a statement on 10 connections, the handler of bench/receiver.ts;
 * - `hand-written upsert with dedupe and an outbox`: the same plus the least that keeps bluetick's
 *   promises by hand (each event id claimed in a table, the event appended to an outbox table,
 *   in the same statement).
 *
 * Every candidate starts from empty tables; candidates run in interleaved rounds. Uses its own
 * schema and drops it.
 *
 *   node --import tsx bench/postgres-ceiling.ts            # BENCH_ROUND_MS=4000 BENCH_ROUNDS=2
 */
import pg from 'pg';
import { createTracker, normalize } from '../src/index.js';
import { postgresStore } from '../src/storage/postgres/index.js';
import { createNames } from '../src/storage/postgres/names.js';
import { INGEST_PARAMS, ingestFunction, ingestName } from '../src/storage/postgres/ingest-sql.js';
import { stateIndexes } from '../src/storage/postgres/schema.js';
import { analyticsIndexes } from '../src/storage/postgres/views.js';
import { freshStatusesRequest } from './fresh-webhook.js';
import { median } from './harness.js';

const URL = process.env.BLUETICK_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 4000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const schema = `bt_ceiling_${process.pid}`;
const n = createNames(schema);
const admin = new pg.Client({ connectionString: URL });
await admin.connect();

// 1. One real step, taken from the pool the store writes through.
interface Captured {
  text: string;
  values: unknown[];
}
const pool = new pg.Pool({ connectionString: URL, max: 2 });
let captured: Captured | null = null;
const recording = {
  query: (config: { text: string; values?: unknown[]; rowMode?: 'array' }) => {
    if (captured === null && config.text.includes(ingestName(n))) captured = { text: config.text, values: config.values ?? [] };
    return pool.query(config);
  },
  connect: () => pool.connect(),
  end: () => pool.end(),
};
const tracker = createTracker({ store: postgresStore({ pool: recording, schema }) });
tracker.on('transition', () => undefined);
await tracker.ready();
const events = [];
for (let i = 0; i < 8; i++) events.push(...normalize(freshStatusesRequest(50).body).events);
await tracker.ingest(events);
await tracker.close();
await pool.end();
const step = captured as Captured | null;
if (step === null) throw new Error('the ingest statement was not seen');
const STEP_EVENTS = events.length;

// The step's parameters, by name (the function's parameter list, ingest-sql.ts).
const at = (name: string): number => {
  const i = INGEST_PARAMS.findIndex((p) => p[0] === name);
  if (i < 0) throw new Error(`no ingest parameter ${name}`);
  return i;
};
let seq = 0;
/** The step's parameters with every id and key made new (sorted order is kept: same suffix). */
function freshValues(): unknown[] {
  const tag = `~${++seq}`;
  const v = [...step!.values];
  for (const name of ['ids', 'keys', 'event_ids', 'event_keys']) v[at(name)] = (v[at(name)] as string[]).map((x) => x + tag);
  return v;
}

// 2. The variants of the ingest function: the claim CTE replaced by the ids as given.
const claimCte = /INSERT INTO \S+ AS c \(id, expires_at\)[\s\S]*?RETURNING c\.id/;
const original = ingestFunction(n);
if (!claimCte.test(original)) throw new Error('bench/postgres-ceiling.ts: the claim CTE of ingest-sql.ts changed; update claimCte');
const noClaimName = n.fn('ceiling_no_claims');
await admin.query(original.replace(claimCte, `SELECT id FROM unnest($2) AS u(id)`).replace(ingestName(n), noClaimName));
const noClaimText = step.text.replace(ingestName(n), noClaimName);
// The listeners' packed outbox row left out.
const packWhere = 'WHERE k.pack AND w.pending IS NOT NULL';
if (!original.includes(packWhere)) throw new Error('bench/postgres-ceiling.ts: the packed outbox CTE of ingest-sql.ts changed; update packWhere');
const noPackName = n.fn('ceiling_no_outbox');
await admin.query(original.replace(packWhere, 'WHERE false').replace(ingestName(n), noPackName));
const noPackText = step.text.replace(ingestName(n), noPackName);
const bareName = n.fn('ceiling_bare');
await admin.query(original.replace(packWhere, 'WHERE false').replace(claimCte, `SELECT id FROM unnest($2) AS u(id)`).replace(ingestName(n), bareName));
const bareText = step.text.replace(ingestName(n), bareName);

const analytics = analyticsIndexes(n);
const secondary = [...analytics.map((i) => i.ddl), ...stateIndexes(n)];
const indexName = (ddl: string): string => (/INDEX IF NOT EXISTS (\S+)/.exec(ddl) as RegExpExecArray)[1] as string;
const dropAll = (ddls: string[]) => ddls.map((d) => `DROP INDEX IF EXISTS ${n.schema}.${indexName(d)}`);
const handTable = `${n.schema}.ceiling_handwritten`;
const handClaims = `${n.schema}.ceiling_handwritten_claims`;
const handOutbox = `${n.schema}.ceiling_handwritten_outbox`;
await admin.query(`CREATE TABLE ${handTable} (message_id text PRIMARY KEY, status text NOT NULL, at bigint NOT NULL)`);
await admin.query(`CREATE TABLE ${handClaims} (id text PRIMARY KEY)`);
await admin.query(`CREATE TABLE ${handOutbox} (id bigserial PRIMARY KEY, event json NOT NULL)`);
// One of the step's events, as the template of the hand-written outbox's rows.
const eventTemplate = JSON.parse(step.values[at('events')] as string)[0] as Record<string, unknown>;

/**
 * 50 fresh statuses for the hand-written statements: message ids and times, plus event ids and
 * event JSON when the statement keeps an outbox (the plain one builds no JSON it would not send).
 */
function handRows(withEvents: boolean): { ids: string[]; ats: number[]; eventIds: string[]; events: string[] } {
  const tag = ++seq;
  const ids: string[] = [];
  const ats: number[] = [];
  const eventIds: string[] = [];
  const events: string[] = [];
  for (let i = 0; i < 50; i++) {
    const id = `wamid.ceiling${process.pid}x${tag}x${i}`;
    ids.push(id);
    ats.push(1750030073 + i);
    if (withEvents) {
      const eventId = `cloud:status:${id}:16505550001::delivered`;
      eventIds.push(eventId);
      events.push(JSON.stringify({ ...eventTemplate, id: eventId, messageId: id }));
    }
  }
  return { ids, ats, eventIds, events };
}

interface Candidate {
  name: string;
  connections: number;
  eventsPerCall: number;
  setup: string[];
  call: (c: pg.Client) => Promise<unknown>;
}
const stepCall = (text: string) => (c: pg.Client) => c.query({ text, values: freshValues(), rowMode: 'array' });
const candidates: Candidate[] = [
  { name: 'bluetick step (400 events, 2 in flight)', connections: 2, eventsPerCall: STEP_EVENTS, setup: [...secondary], call: stepCall(step.text) },
  { name: '  without its claims table', connections: 2, eventsPerCall: STEP_EVENTS, setup: [...secondary], call: stepCall(noClaimText) },
  { name: '  without the 4 analytics indexes', connections: 2, eventsPerCall: STEP_EVENTS, setup: [...dropAll(analytics.map((i) => i.ddl)), ...stateIndexes(n)], call: stepCall(step.text) },
  { name: '  without any secondary index', connections: 2, eventsPerCall: STEP_EVENTS, setup: dropAll(secondary), call: stepCall(step.text) },
  { name: '  without the packed outbox row', connections: 2, eventsPerCall: STEP_EVENTS, setup: [...secondary], call: stepCall(noPackText) },
  { name: '  without claims nor secondary indexes', connections: 2, eventsPerCall: STEP_EVENTS, setup: dropAll(secondary), call: stepCall(noClaimText) },
  { name: '  the state upsert alone (none of the three)', connections: 2, eventsPerCall: STEP_EVENTS, setup: dropAll(secondary), call: stepCall(bareText) },
  {
    name: 'hand-written upsert with dedupe and an outbox',
    connections: 10,
    eventsPerCall: 50,
    setup: [],
    // The least a handler keeping bluetick's promises writes: the event id claimed, the status
    // upserted for what was claimed, the event appended to an outbox, in one statement.
    call: (c) => {
      const { ids, eventIds, ats, events } = handRows(true);
      return c.query(
        `WITH c AS (INSERT INTO ${handClaims} (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING id),
         u AS (INSERT INTO ${handTable} (message_id, status, at) SELECT x.m, 'delivered', x.a FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(id, m, a) WHERE x.id IN (SELECT id FROM c)
               ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, at = excluded.at)
         INSERT INTO ${handOutbox} (event) SELECT y.e FROM unnest($1::text[], $4::json[]) AS y(id, e) WHERE y.id IN (SELECT id FROM c)`,
        [eventIds, ids, ats, events],
      );
    },
  },
  {
    name: 'hand-written upsert (50 rows, 10 connections)',
    connections: 10,
    eventsPerCall: 50,
    setup: [],
    call: (c) => {
      const { ids, ats } = handRows(false);
      return c.query(
        `INSERT INTO ${handTable} (message_id, status, at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) ON CONFLICT (message_id) DO UPDATE SET status = excluded.status, at = excluded.at`,
        [ids, ids.map(() => 'delivered'), ats],
      );
    },
  },
];

async function run(c: Candidate): Promise<number> {
  await admin.query(`TRUNCATE ${n.states}, ${n.claims}, ${n.outbox}, ${n.outboxSteps}, ${handTable}, ${handClaims}, ${handOutbox}`);
  for (const ddl of c.setup) await admin.query(ddl);
  await admin.query('CHECKPOINT');
  const clients = await Promise.all(Array.from({ length: c.connections }, async () => {
    const client = new pg.Client({ connectionString: URL });
    await client.connect();
    return client;
  }));
  for (const client of clients) await c.call(client); // warm: plans, caches
  let calls = 0;
  const t0 = performance.now();
  const until = t0 + ROUND_MS;
  await Promise.all(clients.map(async (client) => {
    while (performance.now() < until) {
      await c.call(client);
      calls++;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((client) => client.end()));
  return (calls * c.eventsPerCall) / seconds;
}

try {
  const results = new Map<string, number[]>(candidates.map((c) => [c.name, []]));
  for (let r = 0; r < ROUNDS; r++) for (const c of candidates) results.get(c.name)?.push(await run(c));
  console.log(`PostgreSQL alone, ${ROUNDS} interleaved rounds of ${ROUND_MS} ms, fresh ids; a step = ${STEP_EVENTS} events of 8 × 50-status webhooks`);
  const hand = median(results.get(candidates.at(-1)!.name) ?? []);
  const promised = median(results.get(candidates.at(-2)!.name) ?? []);
  console.log(`  ${''.padEnd(48)} ${'k events/s'.padStart(10)}   × hand-written   × with dedupe and an outbox`);
  for (const c of candidates) {
    const rate = median(results.get(c.name) ?? []);
    console.log(`  ${c.name.padEnd(48)} ${(rate / 1000).toFixed(1).padStart(10)}   ${`×${(rate / hand).toFixed(2)}`.padStart(14)}   ${`×${(rate / promised).toFixed(2)}`.padStart(26)}`);
  }
} finally {
  await admin.query(`DROP SCHEMA IF EXISTS ${n.schema} CASCADE`);
  await admin.end();
}
