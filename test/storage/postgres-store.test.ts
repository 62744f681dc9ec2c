/**
 * What the conformance suites do not cover on PostgreSQL: migration of a fresh schema, the one
 * options object, connections the store owns or borrows, errors, claim cleanup, steps from
 * several pools at once, keyset scans, the alias index, and the outbox's stored merges.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, StorageError } from '../../src/errors.js';
import type { NotificationEvent } from '../../src/event/types.js';
import { stateKey } from '../../src/state/key.js';
import { merge } from '../../src/state/merge.js';
import { trackedObservation } from '../../src/state/track.js';
import type { DeliveryState } from '../../src/state/state.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import { postgresStore, SCHEMA_VERSION, type PostgresStore } from '../../src/storage/postgres/index.js';
import { PACK_SIZE } from '../../src/storage/postgres/schema.js';
import { createStatements } from '../../src/storage/postgres/sql.js';
import { createNames } from '../../src/storage/postgres/names.js';
import { observation, stepOf } from '../../src/testing/index.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schemas: string[] = [];
const fresh = (tag: string) => {
  const s = uniqueSchema(tag);
  schemas.push(s);
  return s;
};
const open: PostgresStore[] = [];
const store = (options: Record<string, unknown>): PostgresStore => {
  const s = postgresStore({ connectionString: POSTGRES_URL, max: 2, claimCleanupIntervalMs: 0, ...options } as never);
  open.push(s);
  return s;
};

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  if (available) for (const s of schemas) await dropSchema(s);
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

const note = (id: string): NotificationEvent => ({
  schemaVersion: 1,
  id,
  kind: 'notification',
  provider: 'cloud',
  accountId: null,
  phoneNumberId: null,
  occurredAt: '2024-01-01T00:00:00.000Z',
  receivedAt: '2024-01-01T00:00:00.000Z',
  topic: 'account_update',
  data: {},
});

describe('postgresStore(): one options object', () => {
  const pool = { query: async () => ({ rows: [] }), connect: async () => ({}) as never, end: async () => undefined };
  const code = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return `${(err as ConfigError).code}: ${(err as Error).message}`;
    }
    throw new Error('expected a ConfigError');
  };

  it('rejects a second argument, naming the one-object form', () => {
    expect(code(() => postgresStore({ pool } as never, { tablePrefix: 'x_' }))).toMatch(/invalid_option: postgresStore\(\) takes ONE options object.*postgresStore\(\{ pool, schema/);
  });

  it('rejects unknown keys, with a hint for a near miss', () => {
    expect(code(() => postgresStore({ pool, tableprefix: 'x_' } as never))).toMatch(/unknown option "tableprefix"\. Did you mean tablePrefix\?/);
    expect(code(() => postgresStore({ pool, maxBatch: 10 } as never))).toMatch(/unknown option "maxBatch"/);
  });

  it('rejects pool settings beside a pool the store does not create', () => {
    expect(code(() => postgresStore({ pool, max: 5 } as never))).toMatch(/max applies only with connectionString.*where you create the pool/);
    expect(code(() => postgresStore({ pglite: { query: async () => ({ rows: [] }) }, queryTimeoutMillis: 5 } as never))).toMatch(/queryTimeoutMillis applies only with connectionString/);
  });

  it('asks for exactly one connection, and checks values', () => {
    expect(code(() => postgresStore({} as never))).toMatch(/exactly one of connectionString, pool, client or pglite/);
    expect(code(() => postgresStore({ pool, connectionString: POSTGRES_URL } as never))).toMatch(/got connectionString and pool/);
    expect(code(() => postgresStore({ pool: {} } as never))).toMatch(/pool must be a pg Pool/);
    expect(code(() => postgresStore({ pool, migrate: 'no' } as never))).toMatch(/migrate must be true or false/);
    expect(code(() => postgresStore({ connectionString: POSTGRES_URL, max: 0 }))).toMatch(/max must be a positive number/);
    expect(code(() => postgresStore({ pool, schema: 'x"; drop table y; --' }))).toMatch(/invalid_schema: .*plain identifier/);
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: migration', () => {
  it('six stores migrating one fresh schema at once all succeed, and exactly one does the work', async () => {
    const schema = fresh('mig');
    const stores = Array.from({ length: 6 }, () => store({ schema }));
    const results = await Promise.all(stores.map((s) => s.migrate()));
    expect(results.filter((r) => r.from === 0).length).toBe(1);
    expect(results.every((r) => r.to === SCHEMA_VERSION)).toBe(true);
    expect((await stores[0]!.migrate()).from).toBe(SCHEMA_VERSION); // idempotent
    const version = await adminQuery(`SELECT component, version FROM "${schema}"."bluetick_schema_version" WHERE component <> 'functions' ORDER BY 1`);
    expect(version.rows).toEqual([
      { component: 'analytics', version: 3 },
      { component: 'store', version: SCHEMA_VERSION },
    ]);
  });

  it('functions follow the code: a schema whose functions differ from this version\'s gets them re-created', async () => {
    const schema = fresh('fns');
    const s = store({ schema });
    await s.ready();
    await adminQuery(`CREATE OR REPLACE FUNCTION "${schema}"."bluetick_merge_meta"(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '{"broken": true}'::jsonb $$`);
    await adminQuery(`UPDATE "${schema}"."bluetick_schema_version" SET version = 1 WHERE component = 'functions'`);
    const t = trackedObservation({ provider: 'cloud', messageId: 'fns', sentAt: 1, campaign: 'a' });
    const u = trackedObservation({ provider: 'cloud', messageId: 'fns', sentAt: 1, campaign: 'b' });
    const step = (o: DeliveryState) => ({ events: [], merges: [{ key: stateKey(o), observation: o, event: -1 }], claimTtlMs: 1000, outbox: { consumers: [], leaseMs: 1000 } });
    const again = store({ schema });
    expect(await again.migrate()).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    await again.ingest(step(t));
    expect((await again.ingest(step(u))).merged[0]?.after.meta).toEqual({ campaign: 'b' });
  });

  it('with migrate: false nothing is created until migrate() is called; ready() then only pings', async () => {
    const schema = fresh('nomig');
    const s = store({ schema, migrate: false });
    await s.ready();
    const err = await rejection(s.ingest(stepOf([], { others: [note('a')] })));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('query_failed');
    expect((err as StorageError).cause).toBeDefined();
    await s.migrate();
    expect((await s.ingest(stepOf([], { others: [note('a')] }))).claimed).toEqual([true]);
  });

  it('ready() migrates; a table prefix beside a borrowed pool names every table (issue 15, 12b)', async () => {
    const schema = fresh('auto');
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
    const s = postgresStore({ pool, schema, tablePrefix: 'wa_', claimCleanupIntervalMs: 0 });
    await s.ready();
    expect(s.tables.states).toBe(`"${schema}"."wa_states"`);
    expect(s.tables.outbox).toBe(`"${schema}"."wa_outbox"`);
    const tables = await adminQuery(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'wa_claims',
      'wa_conversions',
      'wa_dead_letters',
      'wa_failures_daily',
      'wa_funnel_daily',
      'wa_interactions',
      'wa_interactions_daily',
      'wa_outbox',
      'wa_outbox_steps',
      'wa_revenue_daily',
      'wa_schema_version',
      'wa_states',
    ]);
    await s.close();
    await pool.end();
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: connections', () => {
  it('works over one pg.Client and over a pool it does not own (neither is closed by close())', async () => {
    const schema = fresh('conn');
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    const viaClient = postgresStore({ client, schema });
    const viaPool = postgresStore({ pool, schema });
    const it = observation('shared-conn', 'sent', 10);
    expect((await viaClient.ingest(stepOf([it]))).merged[0]?.before).toBeNull();
    expect(await viaPool.get(it.key)).toEqual(it.observation);
    await viaClient.close();
    await viaPool.close();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    await pool.end();
  });

  it('close() ends the pool the store created from a connection string', async () => {
    const app = `bt_close_${process.pid}_${Date.now().toString(36)}`;
    const s = postgresStore({ connectionString: `${POSTGRES_URL}?application_name=${app}`, max: 3, schema: fresh('close'), claimCleanupIntervalMs: 0 });
    await Promise.all([s.ready(), s.ping(), s.ping()]);
    const count = async () => Number((await adminQuery('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0].n);
    expect(await count()).toBeGreaterThan(0);
    await s.close();
    for (let i = 0; i < 50 && (await count()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await count()).toBe(0);
    expect(((await rejection(s.ping())) as StorageError).code).toBe('closed');
  });

  it('maps a refused connection to StorageError unavailable (503), in ready() too', async () => {
    const down = postgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 2000, migrate: false, claimCleanupIntervalMs: 0 });
    for (const err of [await rejection(down.ping()), await rejection(down.ready())]) {
      expect(err).toBeInstanceOf(StorageError);
      expect((err as StorageError).code).toBe('unavailable');
      expect((err as StorageError).status).toBe(503);
    }
    await down.close();
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: claims', () => {
  it('cleanupExpiredClaims deletes only expired claims, in bounded batches', async () => {
    const s = store({ schema: fresh('claims'), claimCleanupBatch: 7 });
    const expiring = Array.from({ length: 30 }, (_, i) => note(`old-${i}`));
    const live = Array.from({ length: 5 }, (_, i) => note(`live-${i}`));
    expect((await s.ingest(stepOf([], { others: expiring, claimTtlMs: 50 }))).claimed.every(Boolean)).toBe(true);
    expect((await s.ingest(stepOf([], { others: live, claimTtlMs: 60_000 }))).claimed.every(Boolean)).toBe(true);
    await new Promise((r) => setTimeout(r, 120));
    expect(await s.cleanupExpiredClaims({ maxBatches: 2 })).toBe(14); // two batches of 7
    expect(await s.cleanupExpiredClaims()).toBe(16);
    const left = await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.claims}`);
    expect(left.rows[0].n).toBe(5);
    expect((await s.ingest(stepOf([], { others: live }))).claimed).toEqual(live.map(() => false));
  });

  it('the periodic cleanup runs on its own timer', async () => {
    const s = store({ schema: fresh('timer'), claimCleanupIntervalMs: 100 });
    await s.ingest(stepOf([], { others: [note('t1'), note('t2')], claimTtlMs: 10 }));
    await new Promise((r) => setTimeout(r, 600));
    const left = await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.claims}`);
    expect(left.rows[0].n).toBe(0);
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: steps from several pools at once', () => {
  it('hundreds of steps on one key from 4 stores (4 pools) converge: one creator, no lost update, each claim once', async () => {
    const schema = fresh('conc');
    const stores = Array.from({ length: 4 }, () => store({ schema, max: 4 }));
    await stores[0]!.migrate();
    const statuses = ['sent', 'delivered', 'read', 'failed', 'deleted', 'pending', 'played'] as const;
    const items = Array.from({ length: 400 }, (_, i) =>
      observation('hot-key', statuses[i % statuses.length]!, 1_700_000_000 + (i % 13), {
        errors: i % 50 === 0 ? [{ code: String(131000 + (i % 20)), class: 'unknown' }] : [],
        ...(i % 9 === 0 ? { pricing: { model: `m${i % 4}`, billable: i % 2 === 0 } } : {}),
      }),
    );
    // Every third step carries its item twice plus a notification: claims, merges and outbox together.
    const results = await Promise.all(
      items.map((it, i) => stores[i % 4]!.ingest(i % 3 === 0 ? stepOf([it, it], { others: [note(`n-${i % 40}`)], consumers: ['sink'] }) : stepOf([it], { consumers: ['sink'] }))),
    );
    expect(results.filter((r) => r.merged[0]?.before === null).length).toBe(1);
    results.forEach((r, i) => expect(r.merged[0]?.after).toEqual(r.merged[0]?.before === null ? items[i]!.observation : merge(r.merged[0]!.before!, items[i]!.observation)));
    const expected = items.reduce<DeliveryState | null>((s, it) => (s === null ? it.observation : merge(s, it.observation)), null);
    expect(await stores[1]!.get(items[0]!.key)).toEqual(expected);
    const claims = new Map<string, number>();
    for (const r of results) for (const rec of r.records) claims.set(rec.event.id, (claims.get(rec.event.id) ?? 0) + 1);
    expect([...claims.values()].every((n) => n === 1)).toBe(true);
    expect((await stores[2]!.outbox.stats()).pending.sink).toBe(claims.size);
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: reads', () => {
  it('findByMessage filters by provider; findStale with limit 0 answers nothing', async () => {
    const s = store({ schema: fresh('q') });
    await s.ingest(stepOf([observation('q-msg', 'sent', 5), observation('q-msg', 'read', 6, { participantId: 'p1' })]));
    expect((await s.findByMessage({ messageId: 'q-msg' })).length).toBe(2);
    expect((await s.findByMessage({ messageId: 'q-msg', provider: 'cloud' })).length).toBe(2);
    expect((await s.findByMessage({ messageId: 'q-msg', provider: 'wasender' })).length).toBe(0);
    expect(await s.findStale({ olderThan: 10_000, statuses: ['sent'], limit: 0 })).toEqual([]);
  });

  it('scanStates pages by key: in key order, each state once while others are written', async () => {
    const s = store({ schema: fresh('scan') });
    await s.ingest(stepOf(Array.from({ length: 30 }, (_, i) => observation(`scan-${String(i).padStart(2, '0')}`, 'sent', 1_700_000_000 + i))));
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await s.scanStates({ cursor, limit: 4 });
      seen.push(...page.states.map((x) => stateKey(x)));
      cursor = page.cursor;
      if (pages++ === 2) await s.ingest(stepOf([observation('scan-00', 'read', 1_700_000_100), observation('scan-zz', 'sent', 1_700_000_100)]));
    } while (cursor !== null);
    expect(seen).toEqual([...seen].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(31); // the state written behind the cursor is not seen again; the one ahead is
  });

  it('resolveAliases can use the partial expression index on meta->>wasenderMsgId', async () => {
    const schema = fresh('alias');
    const s = store({ schema });
    const tracked = trackedObservation({ provider: 'wasender', messageId: '3EB0AAA', sentAt: 1_700_000_000_000, wasenderMsgId: '777' });
    await s.ingest({ events: [], merges: [{ key: stateKey(tracked), observation: tracked, event: -1 }], claimTtlMs: 60_000, outbox: { consumers: [], leaseMs: 60_000 } });
    expect(await s.resolveAliases('wasender', ['777', '778'])).toEqual({ '777': '3EB0AAA' });
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    await client.query('SET enable_seqscan = off');
    const plan = await client.query({ text: `EXPLAIN ${createStatements(createNames(schema)).aliases}`, values: ['wasender', ['777']] });
    await client.end();
    expect(plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n')).toMatch(/bluetick_states_alias/);
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: the outbox keeps what listeners need, and only for them', () => {
  it('a leased listener record rebuilds the before/after ingest returned, items of one key in one step included', async () => {
    const s = store({ schema: fresh('obx') });
    await s.ingest(stepOf([observation('obx-1', 'sent', 1_700_000_000)]));
    const items = [observation('obx-1', 'read', 1_700_000_020), observation('obx-1', 'delivered', 1_700_000_010), observation('obx-1', 'failed', 1_700_000_030, { errors: [{ code: '1', class: 'unknown' }] })];
    const { records } = await s.ingest(stepOf(items, { consumers: ['sink', LISTENERS_CONSUMER], leaseMs: 1 }));
    expect(records.length).toBe(6);
    await new Promise((r) => setTimeout(r, 20));
    const listeners = await s.outbox.lease(LISTENERS_CONSUMER, 10, 60_000);
    expect(listeners.map((r) => [r.id, r.event.id, r.before, r.after])).toEqual(records.filter((r) => r.consumer === LISTENERS_CONSUMER).map((r) => [r.id, r.event.id, r.before, r.after]));
    expect(listeners[1]?.before).toEqual(records[0]?.after); // the second item's before is the first's after
    const sink = await s.outbox.lease('sink', 10, 60_000);
    expect(sink.map((r) => r.event.id)).toEqual(items.map((i) => i.event.id));
    expect(sink.every((r) => r.after === undefined && r.before === undefined)).toBe(true);
    const stored = await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.outbox} WHERE consumer = 'sink' AND (base IS NOT NULL OR prior IS NOT NULL OR obs IS NOT NULL)`);
    expect(stored.rows[0].n).toBe(0);
  });

  it('a dead letter keeps the merge: replayed to the listeners, the record has its before/after again', async () => {
    const s = store({ schema: fresh('dlx') });
    const item = observation('dlx-1', 'delivered', 1_700_000_000);
    const { records } = await s.ingest(stepOf([item], { consumers: [LISTENERS_CONSUMER] }));
    await s.outbox.deadLetter(LISTENERS_CONSUMER, [{ id: records[0]!.id, reason: 'retries_exhausted', message: 'x\u0000y', attempts: 3 }]);
    expect((await s.outbox.deadLetters())[0]).toMatchObject({ id: records[0]!.id, reason: 'retries_exhausted', message: 'x\uFFFDy', attempts: 3 });
    expect(await s.outbox.replay({ ids: [records[0]!.id, 'not-an-id'] })).toBe(1);
    const [back] = await s.outbox.lease(LISTENERS_CONSUMER, 10, 60_000);
    expect([back?.id, back?.attempts, back?.before, back?.after]).toEqual([records[0]!.id, 0, null, item.observation]);
  });

  it("a step's listener records are ONE packed row; the committer's ack removes it, partial acks shrink it", async () => {
    const s = store({ schema: fresh('pack') });
    await s.ingest(stepOf([observation('pk-1', 'sent', 1_700_000_000)]));
    const items = [observation('pk-1', 'delivered', 1_700_000_010), observation('pk-2', 'sent', 1_700_000_000), observation('pk-3', 'read', 1_700_000_030)];
    const { records } = await s.ingest(stepOf(items, { others: [note('pk-n')], consumers: [LISTENERS_CONSUMER, 'sink'] }));
    const mine = records.filter((r) => r.consumer === LISTENERS_CONSUMER);
    expect(mine.map((r) => r.event.id)).toEqual([...items.map((i) => i.event.id), 'pk-n']);
    expect(mine.every((r) => /^\d{18}$/.test(r.id))).toBe(true);
    const rows = await adminQuery(`SELECT pending FROM ${s.tables.outboxSteps}`);
    expect(rows.rows).toEqual([{ pending: [0, 1, 2, 3] }]);
    expect((await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.outbox} WHERE consumer = $1`, [LISTENERS_CONSUMER])).rows[0].n).toBe(0);
    expect((await s.outbox.stats()).pending).toEqual({ [LISTENERS_CONSUMER]: 4, sink: 4 });
    await s.outbox.ack(LISTENERS_CONSUMER, [mine[1]!.id, mine[3]!.id]);
    expect((await adminQuery(`SELECT pending FROM ${s.tables.outboxSteps}`)).rows).toEqual([{ pending: [0, 2] }]);
    expect((await s.outbox.stats()).pending[LISTENERS_CONSUMER]).toBe(2);
    await s.outbox.ack(LISTENERS_CONSUMER, [mine[0]!.id, mine[2]!.id]);
    expect((await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.outboxSteps}`)).rows[0].n).toBe(0);
    expect((await s.outbox.stats()).pending[LISTENERS_CONSUMER]).toBeUndefined();
  });

  it('packed listener records keep the outbox contract: release, lease oldest first up to the limit, expiry, dead letters', async () => {
    const s = store({ schema: fresh('pkc') });
    await s.ingest(stepOf([observation('pc-1', 'sent', 1_700_000_000)]));
    const step = (tag: string, leaseMs = 60_000) =>
      s.ingest(stepOf([observation('pc-1', 'read', 1_700_000_020), observation(`pc-${tag}`, 'sent', 1_700_000_000)], { others: [note(`pc-n${tag}`)], consumers: [LISTENERS_CONSUMER], leaseMs }));
    const a = (await step('a')).records;
    const b = (await step('b')).records;
    expect(a.length + b.length).toBe(5); // b's first status is a duplicate of a's
    expect((await s.outbox.lease(LISTENERS_CONSUMER, 10, 60_000)).length).toBe(0); // the appender holds them
    await s.outbox.release(LISTENERS_CONSUMER, [a[1]!.id, ...b.map((r) => r.id)]);
    // Releasing unpacked a's row: its other records stay held.
    const two = await s.outbox.lease(LISTENERS_CONSUMER, 2, 60_000);
    expect(two.map((r) => r.id)).toEqual([a[1]!.id, b[0]!.id]);
    expect(two.map((r) => r.attempts)).toEqual([1, 1]);
    expect(two[0]!.before).toBeNull();
    expect(two[0]!.after).toEqual(a[1]!.after);
    const rest = await s.outbox.lease(LISTENERS_CONSUMER, 10, 60_000);
    expect(rest.map((r) => r.id)).toEqual([b[1]!.id]);
    await s.outbox.deadLetter(LISTENERS_CONSUMER, [{ id: a[0]!.id, reason: 'non_retryable', message: 'm', attempts: 1 }]);
    expect((await s.outbox.deadLetters({ consumer: LISTENERS_CONSUMER })).map((d) => d.event.id)).toEqual([a[0]!.event.id]);
    expect((await s.outbox.stats()).pending[LISTENERS_CONSUMER]).toBe(4);
    // A lease that ends (the committer stopped): the packed rows come back, with their merges.
    const c = (await step('c', 1)).records;
    await new Promise((r) => setTimeout(r, 20));
    const back = await s.outbox.lease(LISTENERS_CONSUMER, 10, 60_000);
    expect(back.map((r) => [r.id, r.event.id, r.before, r.after, r.attempts])).toEqual(c.map((r) => [r.id, r.event.id, r.before, r.after, 1]));
    expect((await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.outboxSteps}`)).rows[0].n).toBe(0);
  });

  it('a step of more events than a packed row holds keeps one row per listener record, merges included', async () => {
    const s = store({ schema: fresh('pkbig') });
    const item = observation('big-1', 'read', 1_700_000_000);
    const others = Array.from({ length: PACK_SIZE }, (_, i) => note(`big-n${i}`));
    const { records } = await s.ingest(stepOf([item], { others, consumers: [LISTENERS_CONSUMER], leaseMs: 1 }));
    expect(records.length).toBe(PACK_SIZE + 1);
    expect((await adminQuery(`SELECT count(*)::int AS n FROM ${s.tables.outboxSteps}`)).rows[0].n).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    const [first] = await s.outbox.lease(LISTENERS_CONSUMER, 1, 60_000);
    expect([first?.id, first?.before, first?.after]).toEqual([records[0]?.id, null, item.observation]);
  });

  it('concurrent leasers of packed rows never hold one record at once', async () => {
    const s = store({ schema: fresh('pkm') });
    const all: string[] = [];
    for (let i = 0; i < 6; i++) {
      const { records } = await s.ingest(stepOf([], { others: Array.from({ length: 10 }, (_, j) => note(`pm-${i}-${j}`)), consumers: [LISTENERS_CONSUMER], leaseMs: 1 }));
      all.push(...records.map((r) => r.id));
    }
    await new Promise((r) => setTimeout(r, 20));
    const leased = await Promise.all(Array.from({ length: 8 }, () => s.outbox.lease(LISTENERS_CONSUMER, 10, 60_000)));
    const more = await s.outbox.lease(LISTENERS_CONSUMER, 100, 60_000);
    const ids = [...leased.flat(), ...more].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...all].sort());
  });

  it('ack, release and dead-letter ignore ids the store never issued', async () => {
    const s = store({ schema: fresh('ids') });
    await s.ready();
    await s.outbox.ack('sink', ['x', '1e3', '-1', '99999999999999999999']);
    await s.outbox.release('sink', ['x']);
    await s.outbox.deadLetter('sink', [{ id: 'x', reason: 'non_retryable', message: '', attempts: 1 }]);
    expect(await s.outbox.stats()).toEqual({ pending: {}, deadLetters: {} });
  });
});
