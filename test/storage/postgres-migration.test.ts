/**
 * migrate() on a schema bluetick 0.1 really wrote (test/fixtures/migration/v0.1-postgres.sql, a
 * pg_dump): every state re-keyed by stateKey(), the track() row and the provider's row of one
 * message folded into ONE state (the provider's account and recipient, the host's spellings kept
 * in meta), group participants kept apart, track()-only rows' spellings moved to meta, claims,
 * conversions and analytics views still working. On PostgreSQL and on PGlite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import type { NotificationEvent } from '../../src/event/types.js';
import { stateKey } from '../../src/state/key.js';
import { merge } from '../../src/state/merge.js';
import type { DeliveryState } from '../../src/state/state.js';
import { pgliteStore, postgresStore, SCHEMA_VERSION, type PostgresStore } from '../../src/storage/postgres/index.js';
import { observation, stepOf } from '../../src/testing/index.js';
import { ownFixturesDir } from '../helpers/fixtures.js';
import { heavyTests, postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const dump = readFileSync(join(ownFixturesDir, 'migration', 'v0.1-postgres.sql'), 'utf8');
const schemas: string[] = [];

afterAll(async () => {
  if (available) for (const s of schemas) await dropSchema(s);
});

/** A full state with 0.1's defaults (no estimate), overridden by `over`. */
function state(over: Partial<DeliveryState> & Pick<DeliveryState, 'messageId'>): DeliveryState {
  return {
    provider: 'cloud',
    participantId: null,
    accountId: null,
    recipientId: null,
    rank: 0,
    pendingAt: 0,
    sentAt: 0,
    deliveredAt: 0,
    readAt: 0,
    playedAt: 0,
    failedAt: 0,
    deletedAt: 0,
    warningAt: 0,
    estimated: 0,
    errors: null,
    billingRank: -1,
    pricing: null,
    conversation: null,
    bizOpaqueCallbackData: null,
    annotations: null,
    tracked: false,
    meta: null,
    ...over,
  };
}

const WABA = '102290129340398';
const GROUP = '120363000000000001';

/** What every 0.1 row must have become (the dump's values, re-keyed, folded, spellings moved). */
function expectedStates(): DeliveryState[] {
  const trackedA = state({ messageId: 'wamid.A', rank: 1, pendingAt: 1796134800717, tracked: true, meta: { tags: ['promo'], campaign: 'spring', accountId: 'my-waba', recipientId: '16505551234' } });
  const providerA = state({
    messageId: 'wamid.A',
    accountId: WABA,
    recipientId: '16505551234',
    rank: 4,
    sentAt: 1700000010000,
    deliveredAt: 1700000020000,
    readAt: 1700000030000,
    billingRank: 3,
    pricing: { model: 'PMP', billable: true, category: 'marketing' },
  });
  return [
    merge(trackedA, providerA),
    state({ messageId: 'wamid.P', rank: 1, pendingAt: 1796134801347, tracked: true, meta: { accountId: WABA, recipientId: '15550009999' } }),
    state({
      messageId: 'wamid.B',
      accountId: WABA,
      recipientId: '447700900123',
      failedAt: 1700000040000,
      errors: { '131026': { code: '131026', class: 'permanent', title: 'Message undeliverable' } },
    }),
    state({ messageId: 'wamid.G', accountId: WABA, recipientId: GROUP, rank: 2, sentAt: 1700000045000 }),
    state({ messageId: 'wamid.G', participantId: '5511999990001', accountId: WABA, recipientId: GROUP, rank: 3, deliveredAt: 1700000050000 }),
    state({ messageId: 'wamid.G', participantId: '5511999990002', accountId: WABA, recipientId: GROUP, rank: 4, readAt: 1700000060000 }),
    // Tracked AND seen by the provider in 0.1 already: its columns are the provider's, kept.
    state({
      provider: 'wasender',
      messageId: 'ABCDEF123',
      accountId: 'session-1',
      recipientId: '5511988887777',
      rank: 3,
      pendingAt: 1796134801331,
      deliveredAt: 1700000070000,
      tracked: true,
      meta: { campaign: 'spring', wasenderMsgId: '4242' },
    }),
  ];
}

async function allStates(store: PostgresStore): Promise<DeliveryState[]> {
  const out: DeliveryState[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.scanStates({ cursor, limit: 3 });
    out.push(...page.states);
    cursor = page.cursor;
  } while (cursor !== null);
  return out;
}

const notification = (id: string): NotificationEvent => ({
  schemaVersion: 1,
  id,
  kind: 'notification',
  provider: 'cloud',
  accountId: WABA,
  phoneNumberId: null,
  occurredAt: '2023-11-14T22:13:20.000Z',
  receivedAt: '2023-11-14T22:13:20.000Z',
  topic: 'account_update',
  data: {},
});

/** The checks every migrated 0.1 schema must pass. */
async function checkMigrated(store: PostgresStore, select: (sql: string) => Promise<unknown[][]>): Promise<void> {
  const byKey = (a: DeliveryState, b: DeliveryState) => (stateKey(a) < stateKey(b) ? -1 : 1);
  const want = expectedStates().sort(byKey);
  const got = (await allStates(store)).sort(byKey);
  expect(got).toEqual(want);
  for (const s of want) expect(await store.get(stateKey(s))).toEqual(s);
  expect((await store.findByMessage({ messageId: 'wamid.A' })).length).toBe(1);
  expect((await store.findByMessage({ messageId: 'wamid.G' })).map((s) => s.participantId ?? '-').sort()).toEqual(['-', '5511999990001', '5511999990002']);
  expect(await store.resolveAliases('wasender', ['4242'])).toEqual({ '4242': 'ABCDEF123' });

  // Claims keep working: an id 0.1 claimed is a duplicate, a new one is claimed.
  const claims = await store.ingest(stepOf([], { others: [notification('wamid.IN1'), notification('after-migration')] }));
  expect(claims.claimed).toEqual([false, true]);

  // The provider's next status for the tracked-only message meets its state; its account wins.
  const sent = observation('wamid.P', 'sent', 1_700_000_100, { accountId: WABA, recipientId: '15550009999' });
  const { merged } = await store.ingest(stepOf([sent]));
  expect(merged[0]?.before?.tracked).toBe(true);
  expect(merged[0]?.after).toMatchObject({ accountId: WABA, rank: 2, meta: { accountId: WABA, recipientId: '15550009999' } });

  // Analytics records kept; the funnel and the upgraded views read the migrated states.
  expect(await store.recordConversion({ id: 'order-1', messageId: 'wamid.A', valueMicros: 1, currency: 'EUR', at: 1 })).toBe(false);
  const funnel = await store.funnel({ fromMs: 1_699_000_000_000, toMs: 1_800_000_000_000, accountId: WABA, failedPolicy: 'delivery-wins' });
  expect(funnel.total).toBe(6); // every state but ABCDEF123 (session-1), wamid.P now counted by the provider's account
  expect(funnel.revenue).toEqual([{ campaign: 'spring', currency: 'EUR', value: 12.5, conversions: 1 }]);
  const myWaba = await store.funnel({ fromMs: 1_699_000_000_000, toMs: 1_800_000_000_000, accountId: 'my-waba', failedPolicy: 'delivery-wins' });
  expect(myWaba.total).toBe(0); // the provider's account is presented, not the host's spelling
  const daily = await select(`SELECT account_id, sum(total)::int FROM ${store.tables.views.funnelDaily} GROUP BY 1 ORDER BY 1`);
  expect(daily).toEqual([
    [WABA, 6],
    ['session-1', 1],
  ]);
}

describeIf(available, SKIP_REASONS.postgres, 'migrate() from a 0.1 PostgreSQL schema', () => {
  async function load(): Promise<string> {
    const schema = uniqueSchema('v01');
    schemas.push(schema);
    await adminQuery(dump.replaceAll('__SCHEMA__', schema));
    return schema;
  }

  it('moves every state to version 2, once, whoever of several processes runs it', async () => {
    const schema = await load();
    const stores = Array.from({ length: 4 }, () => postgresStore({ connectionString: POSTGRES_URL, max: 2, schema, migrate: false, claimCleanupIntervalMs: 0 }));
    const results = await Promise.all(stores.map((s) => s.migrate()));
    expect(results.filter((r) => r.from === 1).length).toBe(1);
    expect(results.filter((r) => r.from === SCHEMA_VERSION).length).toBe(3);
    expect(results.every((r) => r.to === SCHEMA_VERSION)).toBe(true);
    expect(await stores[0]!.migrate()).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    await checkMigrated(stores[1]!, async (sql) => (await adminQuery(sql)).rows.map((r: Record<string, unknown>) => Object.values(r)));
    const versions = await adminQuery(`SELECT component, version FROM "${schema}"."bluetick_schema_version" WHERE component <> 'functions' ORDER BY 1`);
    expect(versions.rows).toEqual([
      { component: 'analytics', version: 3 },
      { component: 'store', version: 3 },
    ]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('a store that migrates on first use (the default) upgrades before its first step', async () => {
    const schema = await load();
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const store = postgresStore({ client, schema, claimCleanupIntervalMs: 0 });
    await store.ready();
    await checkMigrated(store, async (sql) => (await client.query({ text: sql, rowMode: 'array' })).rows as unknown[][]);
    await store.close();
    await client.end();
  });
});

describeIf(available, SKIP_REASONS.postgres, 'migrate() from a version 2 schema (bluetick 0.2)', () => {
  it('adds the packed outbox table; the listener records written before stay leasable, oldest first', async () => {
    const schema = uniqueSchema('v2');
    schemas.push(schema);
    const first = postgresStore({ connectionString: POSTGRES_URL, max: 1, schema, claimCleanupIntervalMs: 0 });
    await first.migrate();
    await first.close();
    // Back to what version 2 had: no packed table, no sequence, and a listener record as its ingest wrote them.
    const old = observation('v2-old', 'sent', 1_700_000_000);
    await adminQuery(`DROP TABLE "${schema}"."bluetick_outbox_steps"; DROP SEQUENCE "${schema}"."bluetick_outbox_step_ids";
      UPDATE "${schema}"."bluetick_schema_version" SET version = 2 WHERE component = 'store'; DELETE FROM "${schema}"."bluetick_schema_version" WHERE component = 'functions'`);
    await adminQuery(
      `INSERT INTO "${schema}"."bluetick_outbox" (consumer, event, obs, leases, lease_until, appended_at) VALUES ('bluetick:listeners', $1, $2, 1, '-infinity', 1)`,
      [JSON.stringify(old.event), JSON.stringify(old.observation)],
    );
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 1, schema, migrate: false, claimCleanupIntervalMs: 0 });
    expect(await store.migrate()).toEqual({ from: 2, to: SCHEMA_VERSION });
    const item = observation('v2-new', 'delivered', 1_700_000_010);
    const { records } = await store.ingest(stepOf([item], { consumers: ['bluetick:listeners'], leaseMs: 1 }));
    await new Promise((r) => setTimeout(r, 20));
    const leased = await store.outbox.lease('bluetick:listeners', 10, 60_000);
    expect(leased.map((r) => [r.event.id, r.before, r.after])).toEqual([
      [old.event.id, null, old.observation],
      [item.event.id, null, item.observation],
    ]);
    expect(leased[1]?.id).toBe(records[0]?.id);
    await store.close();
  });
});

describeIf(heavyTests, SKIP_REASONS.pglite, 'migrate() from a 0.1 schema on PGlite', () => {
  it('moves every state to version 2', async () => {
    const db = await PGlite.create();
    await db.exec(dump.replaceAll('__SCHEMA__', 'old'));
    const store = pgliteStore({ pglite: db, schema: 'old', migrate: false, claimCleanupIntervalMs: 0 });
    expect(await store.migrate()).toEqual({ from: 1, to: SCHEMA_VERSION });
    await checkMigrated(store, async (sql) => (await db.query<unknown[]>(sql, [], { rowMode: 'array' })).rows);
    await store.close();
    await db.close();
  }, 120_000);
});
