import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import { postgresStore, SCHEMA_VERSION } from '../../src/storage/postgres/index.js';
import { observation } from '../../src/testing/index.js';
import { merge } from '../../src/tracking/merge.js';
import type { DeliveryState } from '../../src/tracking/state.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schemas: string[] = [];
const fresh = (tag: string) => {
  const s = uniqueSchema(tag);
  schemas.push(s);
  return s;
};

afterAll(async () => {
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

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: migration', () => {
  it('six stores migrating one fresh schema at once all succeed, and exactly one does the work', async () => {
    const schema = fresh('mig');
    const stores = Array.from({ length: 6 }, () => postgresStore({ connectionString: POSTGRES_URL, max: 2 }, { schema }));
    const results = await Promise.all(stores.map((s) => s.migrate()));
    expect(results.filter((r) => r.from === 0).length).toBe(1);
    expect(results.every((r) => r.to === SCHEMA_VERSION)).toBe(true);
    expect((await stores[0]!.migrate()).from).toBe(SCHEMA_VERSION); // idempotent
    const version = await adminQuery(`SELECT version FROM "${schema}"."bluetick_schema_version" WHERE component = 'store'`);
    expect(version.rows).toEqual([{ version: SCHEMA_VERSION }]);
    await Promise.all(stores.map((s) => s.close()));
  });

  it('with migrate: false nothing is created until migrate() is called', async () => {
    const schema = fresh('nomig');
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 1 }, { schema, migrate: false });
    const err = await rejection(store.claim('a', 1000));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('query_failed');
    expect((err as StorageError).cause).toBeDefined();
    await store.migrate();
    expect(await store.claim('a', 1000)).toBe(true);
    await store.close();
  });

  it('auto-migrates on first use with a table prefix, and names its tables', async () => {
    const schema = fresh('auto');
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 1 }, { schema, tablePrefix: 'wa_' });
    expect(await store.claim('x', 1000)).toBe(true);
    expect(store.tables.states).toBe(`"${schema}"."wa_states"`);
    const tables = await adminQuery(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
    expect(tables.rows.map((r) => r.table_name)).toEqual(['wa_claims', 'wa_schema_version', 'wa_states']);
    await store.close();
  });

  it('rejects schema names that are not plain identifiers', () => {
    expect(() => postgresStore({ connectionString: POSTGRES_URL }, { schema: 'x"; drop table y; --' })).toThrow(/plain identifier/);
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: connections', () => {
  it('works over one pg.Client and over a pool it does not own (neither is closed by close())', async () => {
    const schema = fresh('conn');
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 2 });
    const viaClient = postgresStore({ client }, { schema });
    const viaPool = postgresStore({ pool }, { schema });
    const it = observation('shared-conn', 'sent', 10);
    expect((await viaClient.merge(it.key, it.observation)).before).toBeNull();
    expect(await viaPool.get(it.key)).toEqual(it.observation);
    await viaClient.close();
    await viaPool.close();
    expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await client.end();
    await pool.end();
  });

  it('maps a refused connection to StorageError unavailable, and ping() answers when up', async () => {
    const down = postgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test', connectionTimeoutMillis: 2000 }, { migrate: false });
    const err = await rejection(down.ping());
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('unavailable');
    expect((err as StorageError).status).toBe(503);
    await down.close();
    const up = postgresStore({ connectionString: POSTGRES_URL, max: 1 }, { schema: fresh('ping') });
    await expect(up.ping()).resolves.toBeUndefined();
    await up.close();
    expect(((await rejection(up.ping())) as StorageError).code).toBe('closed');
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: claims', () => {
  it('cleanupExpiredClaims deletes only expired claims, in bounded batches', async () => {
    const schema = fresh('claims');
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 2 }, { schema, claimCleanupBatch: 7 });
    const expiring = Array.from({ length: 30 }, (_, i) => `old-${i}`);
    const live = Array.from({ length: 5 }, (_, i) => `live-${i}`);
    expect(await store.claimMany(expiring, 50)).toEqual(expiring.map(() => true));
    expect(await store.claimMany(live, 60_000)).toEqual(live.map(() => true));
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.cleanupExpiredClaims({ maxBatches: 2 })).toBe(14); // two batches of 7
    expect(await store.cleanupExpiredClaims()).toBe(16);
    const left = await adminQuery(`SELECT count(*)::int AS n FROM ${store.tables.claims}`);
    expect(left.rows[0].n).toBe(5);
    expect(await store.claimMany(live, 60_000)).toEqual(live.map(() => false));
    await store.close();
  });

  it('the periodic cleanup runs on its own timer', async () => {
    const schema = fresh('timer');
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 2 }, { schema, claimCleanupIntervalMs: 100 });
    await store.claimMany(['t1', 't2'], 10);
    await new Promise((r) => setTimeout(r, 600));
    const left = await adminQuery(`SELECT count(*)::int AS n FROM ${store.tables.claims}`);
    expect(left.rows[0].n).toBe(0);
    await store.close();
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: concurrency across connections', () => {
  it('hundreds of merges of one key from 4 stores (4 pools) converge, one creator, no lost update', async () => {
    const schema = fresh('conc');
    const stores = Array.from({ length: 4 }, () => postgresStore({ connectionString: POSTGRES_URL, max: 4 }, { schema }));
    await stores[0]!.migrate();
    const statuses = ['sent', 'delivered', 'read', 'failed', 'deleted', 'pending', 'played'] as const;
    const items = Array.from({ length: 400 }, (_, i) =>
      observation('hot-key', statuses[i % statuses.length]!, 1_700_000_000 + (i % 13), {
        errors: i % 50 === 0 ? [{ code: String(131000 + (i % 20)), class: 'unknown' }] : [],
        pricing: i % 9 === 0 ? { model: `m${i % 4}`, billable: i % 2 === 0 } : undefined,
      }),
    );
    const results = await Promise.all(
      items.map((it, i) => (i % 3 === 0 ? stores[i % 4]!.mergeMany([it, it]).then((r) => r[0]!) : stores[i % 4]!.merge(it.key, it.observation))),
    );
    expect(results.filter((r) => r.before === null).length).toBe(1);
    results.forEach((r, i) => expect(r.after).toEqual(r.before === null ? items[i]!.observation : merge(r.before, items[i]!.observation)));
    const expected = items.reduce<DeliveryState | null>((s, it) => (s === null ? it.observation : merge(s, it.observation)), null);
    expect(await stores[1]!.get(items[0]!.key)).toEqual(expected);
    await Promise.all(stores.map((s) => s.close()));
  });
});

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: queries', () => {
  it('findByMessage filters by provider and account (null account included)', async () => {
    const store = postgresStore({ connectionString: POSTGRES_URL, max: 2 }, { schema: fresh('q') });
    const a = observation('q-msg', 'sent', 5);
    const b = observation('q-msg', 'read', 6, { participantId: 'p1', accountId: null });
    for (const it of [a, b]) await store.merge(it.key, it.observation);
    expect((await store.findByMessage({ messageId: 'q-msg' })).length).toBe(2);
    expect((await store.findByMessage({ messageId: 'q-msg', accountId: null })).map((s) => s.participantId)).toEqual(['p1']);
    expect((await store.findByMessage({ messageId: 'q-msg', provider: 'cloud', accountId: 'conformance' })).map((s) => s.participantId)).toEqual([null]);
    expect(await store.findStale({ olderThan: 10_000, statuses: ['sent'], limit: 0 })).toEqual([]);
    await store.close();
  });
});
