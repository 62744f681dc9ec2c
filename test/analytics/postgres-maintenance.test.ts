/** PostgreSQL analytics: views, index use, retention in batches (delete and archive), restarts. */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTracker } from '../../src/index.js';
import type { PostgresAnalyticsStore } from '../../src/storage/postgres/analytics.js';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { POSTGRES_URL, postgresAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from '../storage/postgres-helpers.js';
import { generateTraffic, T0 } from './traffic.js';

const up = await postgresAvailable();
const DAY = 86_400_000;

describeIf(up, SKIP_REASONS.postgres, 'PostgreSQL analytics maintenance', () => {
  const schema = uniqueSchema('insight');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 3 });
  const open = () => postgresStore({ pool }, { schema, claimCleanupIntervalMs: 0 });
  let store: PostgresAnalyticsStore;
  const traffic = generateTraffic(200, 21);

  beforeAll(async () => {
    store = open();
    const tracker = createTracker({ store });
    for (const t of traffic.tracks) await tracker.track(t);
    for (const b of traffic.batches) await tracker.ingest(b);
    for (const c of traffic.conversions) await tracker.recordConversion(c.messageId, c.input);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
    await pool.end();
  });

  it('migrates once (component analytics) and survives a second store on the same schema', async () => {
    expect(await store.migrateAnalytics()).toEqual({ from: 1, to: 1 });
    const versions = await adminQuery(`SELECT component, version FROM "${schema}".bluetick_schema_version ORDER BY component`);
    expect(versions.rows).toEqual([{ component: 'analytics', version: 1 }, { component: 'store', version: 1 }]);
  });

  it('a restarted tracker still sees interactions and conversions (they live in PostgreSQL)', async () => {
    const again = createTracker({ store: open() });
    const [before, after] = await Promise.all([createTracker({ store }).funnel({ from: T0, to: T0 + 3 * DAY }), again.funnel({ from: T0, to: T0 + 3 * DAY })]);
    expect(after.interactions.length).toBeGreaterThan(0);
    expect(after.revenue.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
    await again.store.close();
  });

  it('the daily views agree with the funnel', async () => {
    const t = store.analyticsTables.views;
    const daily = await adminQuery(`SELECT day, sum(total)::int AS total, sum(delivered)::int AS delivered, sum(failed)::int AS failed FROM ${t.funnelDaily} GROUP BY day ORDER BY day`);
    const report = await createTracker({ store }).funnel({ from: T0, to: T0 + 3 * DAY, groupBy: 'day' });
    expect(daily.rows.map((r: { day: Date; total: number; delivered: number; failed: number }) => ({ start: r.day.toISOString(), total: r.total, delivered: r.delivered, failed: r.failed }))).toEqual(
      report.buckets.map((b) => ({ start: b.start, total: b.total, delivered: b.delivered, failed: b.failed })),
    );
    const failures = await adminQuery(`SELECT code, sum(failed)::int AS n FROM ${t.failuresDaily} GROUP BY code ORDER BY code`);
    expect(failures.rows).toEqual(report.failures.byCode.map((c) => ({ code: c.code, n: c.count })));
    const replies = await adminQuery(`SELECT sum(replies)::int AS n FROM ${t.interactionsDaily}`);
    expect(replies.rows[0].n).toBe(report.interactions.reduce((s, i) => s + i.replies, 0));
    const revenue = await adminQuery(`SELECT currency, sum(value)::float8 AS v FROM ${t.revenueDaily} GROUP BY currency ORDER BY currency`);
    const byCurrency = new Map<string, number>();
    for (const r of report.revenue) byCurrency.set(r.currency, (byCurrency.get(r.currency) ?? 0) + r.value);
    expect(revenue.rows.map((r: { currency: string; v: number }) => [r.currency, Math.round(r.v * 100)])).toEqual([...byCurrency].sort().map(([c, v]) => [c, Math.round(v * 100)]));
  });

  it('the funnel uses the anchor index for a narrow window', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    try {
      await client.query('SET enable_seqscan = off');
      const { ANCHOR } = await import('../../src/storage/postgres/analytics-sql.js');
      const plan = await client.query(`EXPLAIN SELECT count(*) FROM "${schema}".bluetick_states WHERE ${ANCHOR} >= $1::bigint AND ${ANCHOR} < $2::bigint`, [T0, T0 + 3_600_000]);
      expect(plan.rows.map((r: Record<string, string>) => Object.values(r)[0]).join('\n')).toMatch(/bluetick_states_anchor/);
    } finally {
      await client.end();
    }
  });

  it('retention deletes, or archives, states untouched since the cutoff in bounded batches', async () => {
    const states = store.tables.states;
    const total = Number((await adminQuery(`SELECT count(*) FROM ${states}`)).rows[0].count);
    // Age 60 states and every record by a year; leave the rest fresh.
    await adminQuery(`UPDATE ${states} SET updated_at = now() - interval '365 days' WHERE key IN (SELECT key FROM ${states} ORDER BY key LIMIT 60)`);
    await adminQuery(`UPDATE ${store.analyticsTables.interactions} SET recorded_at = now() - interval '365 days'`);
    const first = await store.retention({ olderThan: 30 * DAY, batchSize: 25, maxBatches: 1, archive: true });
    expect(first).toMatchObject({ states: 25, archived: 25 });
    const rest = await store.retention({ olderThan: new Date(Date.now() - 30 * DAY), batchSize: 25, archive: true });
    expect(rest.states).toBe(35);
    expect(first.interactions + rest.interactions).toBeGreaterThan(0);
    expect(Number((await adminQuery(`SELECT count(*) FROM ${states}`)).rows[0].count)).toBe(total - 60);
    expect(Number((await adminQuery(`SELECT count(*) FROM ${store.analyticsTables.archive}`)).rows[0].count)).toBe(60);
    expect(Number((await adminQuery(`SELECT count(*) FROM ${store.analyticsTables.interactions}`)).rows[0].count)).toBe(0);
    // Without archive: plain deletes; nothing old is left.
    await adminQuery(`UPDATE ${states} SET updated_at = now() - interval '365 days' WHERE key IN (SELECT key FROM ${states} ORDER BY key LIMIT 10)`);
    expect(await store.retention({ olderThan: 30 * DAY })).toEqual({ states: 10, archived: 0, interactions: 0, conversions: 0 });
    expect(Number((await adminQuery(`SELECT count(*) FROM ${store.analyticsTables.archive}`)).rows[0].count)).toBe(60);
  });
});
