/** PostgreSQL analytics: views, index use, retention in batches (delete and archive), restarts. */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { nearestRank } from '../../src/analytics/percentile.js';
import { anchorOf, sentToDelivered, sentToRead } from '../../src/analytics/state-metrics.js';
import { accountOf, type DeliveryState } from '../../src/state/state.js';
import { postgresStore, SCHEMA_VERSION, type PostgresStore } from '../../src/storage/postgres/index.js';
import { stepOf } from '../../src/testing/index.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { POSTGRES_URL, postgresAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from '../storage/postgres-helpers.js';
import { generateTraffic, T0 } from './traffic.js';

const up = await postgresAvailable();
const DAY = 86_400_000;

describeIf(up, SKIP_REASONS.postgres, 'PostgreSQL analytics maintenance', () => {
  const schema = uniqueSchema('insight');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 3 });
  const open = () => postgresStore({ pool, schema, claimCleanupIntervalMs: 0 });
  let store: PostgresStore;
  const traffic = generateTraffic(200, 21, { estimates: true, hostSpellings: true });
  const tracker = (s: PostgresStore = store) => createTracker({ store: s, closeStore: false });

  beforeAll(async () => {
    store = open();
    const tracker = createTracker({ store, closeStore: false });
    for (const t of traffic.tracks) await tracker.track(t);
    for (const b of traffic.batches) await tracker.ingest(b);
    for (const c of traffic.conversions) await tracker.recordConversion(c.messageId, c.input);
    await tracker.close();
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await dropSchema(schema);
    await pool.end();
  });

  it('migrates once (components store and analytics) and survives a second store on the same schema', async () => {
    expect(await store.migrate()).toEqual({ from: SCHEMA_VERSION, to: SCHEMA_VERSION });
    const versions = await adminQuery(`SELECT component, version FROM "${schema}".bluetick_schema_version WHERE component <> 'functions' ORDER BY component`);
    expect(versions.rows).toEqual([
      { component: 'analytics', version: 3 },
      { component: 'store', version: 3 },
    ]);
  });

  it('a restarted tracker still sees interactions and conversions (they live in PostgreSQL)', async () => {
    const second = open();
    const [before, after] = await Promise.all([tracker().funnel({ from: T0, to: T0 + 3 * DAY }), tracker(second).funnel({ from: T0, to: T0 + 3 * DAY })]);
    expect(after.interactions.length).toBeGreaterThan(0);
    expect(after.revenue.length).toBeGreaterThan(0);
    expect(after).toEqual(before);
    await second.close();
  });

  it('funnel_daily: the presented account, and latencies of provider times only, as funnel() computes them', async () => {
    const states: DeliveryState[] = [];
    for (let cursor: string | null = null; ; ) {
      const page = await store.scanStates({ cursor, limit: 100 });
      states.push(...page.states);
      if ((cursor = page.cursor) === null) break;
    }
    // Group as the view does: day of the anchor, provider, presented account, campaign.
    const groups = new Map<string, { total: number; toDelivered: number[]; toRead: number[] }>();
    for (const s of states) {
      const anchor = anchorOf(s);
      if (anchor === 0) continue;
      const key = JSON.stringify([Math.floor(anchor / DAY) * DAY, s.provider, accountOf(s), s.meta?.campaign ?? null]);
      const g = groups.get(key) ?? { total: 0, toDelivered: [], toRead: [] };
      g.total++;
      const d = sentToDelivered(s);
      if (d !== null) g.toDelivered.push(d);
      const r = sentToRead(s);
      if (r !== null) g.toRead.push(r);
      groups.set(key, g);
    }
    const p = (xs: number[], q: number) => nearestRank([...xs].sort((a, b) => a - b), q);
    const rows = await adminQuery(
      `SELECT day, provider, account_id, campaign, total::int, sent_to_delivered_p50_ms::float8 AS d50, sent_to_delivered_p90_ms::float8 AS d90, sent_to_read_p50_ms::float8 AS r50 FROM ${store.tables.views.funnelDaily}`,
    );
    expect(rows.rows.length).toBe(groups.size);
    for (const r of rows.rows as Array<{ day: Date; provider: string; account_id: string | null; campaign: string | null; total: number; d50: number | null; d90: number | null; r50: number | null }>) {
      const g = groups.get(JSON.stringify([r.day.getTime(), r.provider, r.account_id, r.campaign]));
      expect(g, JSON.stringify(r)).toBeDefined();
      expect([r.total, r.d50, r.d90, r.r50]).toEqual([g?.total, p(g?.toDelivered ?? [], 0.5), p(g?.toDelivered ?? [], 0.9), p(g?.toRead ?? [], 0.5)]);
    }
    expect(rows.rows.some((r: { account_id: string | null }) => r.account_id === 'WABA-2 (host)')).toBe(true);
  });

  it('the daily views agree with the funnel', async () => {
    const t = store.tables.views;
    const daily = await adminQuery(`SELECT day, sum(total)::int AS total, sum(delivered)::int AS delivered, sum(failed)::int AS failed FROM ${t.funnelDaily} GROUP BY day ORDER BY day`);
    const report = await tracker().funnel({ from: T0, to: T0 + 3 * DAY, groupBy: 'day' });
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
      const { windowClause } = await import('../../src/storage/postgres/analytics-sql.js');
      const w = windowClause({ fromMs: T0, toMs: T0 + 3_600_000, accountId: 'waba2', failedPolicy: 'delivery-wins' });
      // The account filter can use its index (shown without the anchor index, which a table this
      // small makes just as cheap): `=` on the presented account, not IS NOT DISTINCT FROM.
      await client.query('BEGIN');
      await client.query(`DROP INDEX "${schema}".bluetick_states_anchor`);
      const byAccount = await client.query(`EXPLAIN SELECT count(*) FROM "${schema}".bluetick_states WHERE ${w.where}`, w.params);
      await client.query('ROLLBACK');
      expect(byAccount.rows.map((r: Record<string, string>) => Object.values(r)[0]).join('\n')).toMatch(/bluetick_states_account_anchor/);
    } finally {
      await client.end();
    }
  });

  it('retention deletes, or archives, states untouched since the cutoff in bounded batches', async () => {
    const states = store.tables.states;
    const total = Number((await adminQuery(`SELECT count(*) FROM ${states}`)).rows[0].count);
    // Age 60 states and every record by a year; leave the rest fresh.
    await adminQuery(`UPDATE ${states} SET updated_at = now() - interval '365 days' WHERE key IN (SELECT key FROM ${states} ORDER BY key LIMIT 60)`);
    await adminQuery(`UPDATE ${store.tables.interactions} SET recorded_at = now() - interval '365 days'`);
    // A dead letter from a year ago and one from today: retention keeps only today's.
    const { records } = await store.ingest(stepOf([], { others: [{ schemaVersion: 1, id: 'ret-dl-old', kind: 'notification', provider: 'cloud', accountId: null, phoneNumberId: null, occurredAt: '2024-01-01T00:00:00.000Z', receivedAt: '2024-01-01T00:00:00.000Z', topic: 't', data: {} }, { schemaVersion: 1, id: 'ret-dl-new', kind: 'notification', provider: 'cloud', accountId: null, phoneNumberId: null, occurredAt: '2024-01-01T00:00:00.000Z', receivedAt: '2024-01-01T00:00:00.000Z', topic: 't', data: {} }], consumers: ['crm'] }));
    await store.outbox.deadLetter('crm', records.map((r) => ({ id: r.id, reason: 'non_retryable' as const, message: 'HTTP 400', attempts: 1 })));
    await adminQuery(`UPDATE ${store.tables.deadLetters} SET at = at - 365 * 86400000::bigint WHERE id = $1`, [records[0]?.id]);
    const first = await store.retention({ olderThan: 30 * DAY, batchSize: 25, maxBatches: 1, archive: true });
    expect(first).toMatchObject({ states: 25, archived: 25 });
    const rest = await store.retention({ olderThan: new Date(Date.now() - 30 * DAY), batchSize: 25, archive: true });
    expect(rest.states).toBe(35);
    expect(first.interactions + rest.interactions).toBeGreaterThan(0);
    expect(first.deadLetters + rest.deadLetters).toBe(1);
    expect((await store.outbox.deadLetters({ consumer: 'crm' })).map((d) => d.event.id)).toEqual(['ret-dl-new']);
    expect(Number((await adminQuery(`SELECT count(*) FROM ${states}`)).rows[0].count)).toBe(total - 60);
    expect(Number((await adminQuery(`SELECT count(*) FROM ${store.tables.statesArchive}`)).rows[0].count)).toBe(60);
    expect(Number((await adminQuery(`SELECT count(*) FROM ${store.tables.interactions}`)).rows[0].count)).toBe(0);
    // Without archive: plain deletes; nothing old is left.
    await adminQuery(`UPDATE ${states} SET updated_at = now() - interval '365 days' WHERE key IN (SELECT key FROM ${states} ORDER BY key LIMIT 10)`);
    expect(await store.retention({ olderThan: 30 * DAY })).toEqual({ states: 10, archived: 0, interactions: 0, conversions: 0, deadLetters: 0 });
    expect(Number((await adminQuery(`SELECT count(*) FROM ${store.tables.statesArchive}`)).rows[0].count)).toBe(60);
  });
});
