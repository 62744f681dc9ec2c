/**
 * The funnel of the memory store and of the PostgreSQL store agree exactly on the same generated
 * traffic (out of order, duplicated, some times estimated, some accounts spelt by the host
 * differently), and the percentiles agree with a direct computation from present().
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FunnelQuery, FunnelReport } from '../../src/analytics/types.js';
import { present } from '../../src/state/present.js';
import type { DeliveryState } from '../../src/state/state.js';
import { memoryStore } from '../../src/storage/memory-store.js';
import { postgresStore, type PostgresStore } from '../../src/storage/postgres/index.js';
import { createTracker, type Tracker } from '../../src/tracking/tracker.js';
import { POSTGRES_URL, postgresAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from '../storage/postgres-helpers.js';
import { generateTraffic, T0 } from './traffic.js';

const up = await postgresAvailable();
const DAY = 86_400_000;
const traffic = generateTraffic(600, 11, { estimates: true, hostSpellings: true });

async function feed(tracker: Tracker): Promise<void> {
  for (const t of traffic.tracks) await tracker.track(t);
  for (const b of traffic.batches) await tracker.ingest(b);
  for (const c of traffic.conversions) await tracker.recordConversion(c.messageId, c.input);
  // Recording the same order twice counts once.
  const first = traffic.conversions[0];
  if (first) expect(await tracker.recordConversion(first.messageId, first.input)).toBe(false);
}

const QUERIES: FunnelQuery[] = [
  { from: T0, to: T0 + 3 * DAY },
  { from: T0, to: T0 + 3 * DAY, groupBy: 'day' },
  { from: T0 + DAY / 2, to: T0 + 2 * DAY, groupBy: 'hour' },
  { from: new Date(T0), to: new Date(T0 + 3 * DAY).toISOString(), campaign: 'spring' },
  { from: T0, to: T0 + 3 * DAY, accountId: 'waba2', groupBy: 'day' },
  // Only states the provider never reported keep the host's spelling as their account.
  { from: T0, to: T0 + 3 * DAY, accountId: 'WABA-2 (host)' },
  { from: T0, to: T0 + 3 * DAY, accountId: null },
  { from: T0, to: T0 + 3 * DAY, provider: 'wasender' },
];

/** Nearest rank written the other way round: the first value whose cumulative share reaches p. */
function firstReaching(values: number[], p: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) if ((i + 1) / sorted.length >= p - 1e-12) return sorted[i] as number;
  return null;
}

describeIf(up, SKIP_REASONS.postgres, 'funnel: memory and PostgreSQL stores agree', () => {
  const schema = uniqueSchema('analytics');
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 4 });
  const mem = memoryStore();
  let pgs: PostgresStore;
  let memTracker: Tracker;
  let pgTracker: Tracker;
  let memAbsorbing: Tracker;
  let pgAbsorbing: Tracker;

  beforeAll(async () => {
    pgs = postgresStore({ pool, schema, claimCleanupIntervalMs: 0 });
    const now = () => T0 + 4 * DAY;
    memTracker = createTracker({ store: mem, now, closeStore: false });
    pgTracker = createTracker({ store: pgs, now, closeStore: false });
    await Promise.all([feed(memTracker), feed(pgTracker)]);
    memAbsorbing = createTracker({ store: mem, failedPolicy: 'absorbing', closeStore: false });
    pgAbsorbing = createTracker({ store: pgs, failedPolicy: 'absorbing', closeStore: false });
  }, 120_000);

  afterAll(async () => {
    for (const t of [memTracker, pgTracker, memAbsorbing, pgAbsorbing]) await t?.close();
    await pgs?.close();
    await dropSchema(schema);
    await pool.end();
  });

  it.each(QUERIES.map((q, i) => [i, q] as const))('query %i gives identical reports', async (_i, q) => {
    const [a, b] = await Promise.all([memTracker.funnel(q), pgTracker.funnel(q)]);
    expect(b).toEqual(a);
  });

  it('absorbing policy: identical, and at least as many failures as delivery-wins', async () => {
    const q = { from: T0, to: T0 + 3 * DAY, groupBy: 'day' as const };
    const [a, b, dw] = await Promise.all([memAbsorbing.funnel(q), pgAbsorbing.funnel(q), memTracker.funnel(q)]);
    expect(b).toEqual(a);
    expect(a.failed).toBeGreaterThan(dw.failed);
  });

  it('the traffic exercises every part of the report', async () => {
    const r = await memTracker.funnel({ from: T0, to: T0 + 3 * DAY, groupBy: 'day' });
    expect(r.total).toBeGreaterThan(500);
    expect(r.buckets).toHaveLength(3);
    expect(r.buckets.reduce((s, b) => s + b.total, 0)).toBe(r.total);
    expect(r.failed).toBeGreaterThan(10);
    expect(r.failures.byCode.length).toBe(3);
    expect(r.byPricingCategory.map((p) => p.category)).toEqual(['marketing', 'service', 'utility']);
    expect(r.latency.sentToRead.count).toBeGreaterThan(50);
    // Some states with a read and a sent time are left out of the latencies for an estimated time.
    const all = (await mem.scanStates({ limit: 10_000 })).states;
    expect(all.some((s) => s.readAt > 0 && s.sentAt > 0 && s.estimated !== 0)).toBe(true);
    expect((await memTracker.funnel({ from: T0, to: T0 + 3 * DAY, accountId: 'WABA-2 (host)' })).total).toBeGreaterThan(0);
    expect(r.interactions.length).toBeGreaterThanOrEqual(6);
    expect(r.revenue.length).toBeGreaterThan(2);
  });

  it('percentiles equal a direct computation from present()', async () => {
    const states: DeliveryState[] = [];
    for (let i = 0; i < 600; i++) states.push(...(await mem.findByMessage({ messageId: `wamid.m${i}` })));
    const toDelivered: number[] = [];
    const toRead: number[] = [];
    for (const s of states) {
      const v = present(s);
      const first = Math.min(...[s.pendingAt, s.sentAt, s.deliveredAt, s.readAt, s.playedAt, s.failedAt].filter((x) => x > 0));
      if (!(first >= T0 && first < T0 + 3 * DAY)) continue;
      // Latencies are provider times only: no progress time of the state may be an estimate.
      if ((s.estimated & 0b11111) !== 0) continue; // bits 0..4: pendingAt … playedAt (TIME_FIELDS)
      if (v.sentAt && !v.sentImplied && v.deliveredAt && !v.deliveredImplied) toDelivered.push(Date.parse(v.deliveredAt) - Date.parse(v.sentAt));
      if (v.sentAt && !v.sentImplied && v.readAt && !v.readImplied) toRead.push(Date.parse(v.readAt) - Date.parse(v.sentAt));
    }
    const [a, b] = await Promise.all([memTracker.funnel({ from: T0, to: T0 + 3 * DAY }), pgTracker.funnel({ from: T0, to: T0 + 3 * DAY })]);
    for (const r of [a, b]) {
      expect(r.latency.sentToDelivered).toEqual({ count: toDelivered.length, p50: firstReaching(toDelivered, 0.5), p90: firstReaching(toDelivered, 0.9), p99: firstReaching(toDelivered, 0.99) });
      expect(r.latency.sentToRead).toEqual({ count: toRead.length, p50: firstReaching(toRead, 0.5), p90: firstReaching(toRead, 0.9), p99: firstReaching(toRead, 0.99) });
    }
  });

  it('interactions are joined to the messages they answer, with click-through rates', async () => {
    const r: FunnelReport = await pgTracker.funnel({ from: T0, to: T0 + 3 * DAY, campaign: 'winter' });
    // Direct count from the generated replies (deduplicated by event id) to 'winter' messages.
    const winter = new Set(traffic.tracks.filter((t) => t.campaign === 'winter').map((t) => t.messageId));
    const seen = new Set<string>();
    const expected = new Map<string, { replies: number; messages: Set<string> }>();
    for (const b of traffic.batches) {
      for (const e of b) {
        if (e.kind !== 'message' || !e.interaction || seen.has(e.id)) continue;
        seen.add(e.id);
        const to = e.context?.messageId as string;
        if (!winter.has(to)) continue;
        const key = `${e.interaction.kind}|${e.interaction.id ?? e.interaction.payload}|${e.interaction.title}`;
        const x = expected.get(key) ?? { replies: 0, messages: new Set<string>() };
        x.replies++;
        x.messages.add(to);
        expected.set(key, x);
      }
    }
    expect(r.interactions.length).toBe(expected.size);
    for (const i of r.interactions) {
      const x = expected.get(`${i.kind}|${i.replyId}|${i.title}`);
      expect(x, `${i.kind} ${i.replyId}`).toBeDefined();
      expect(i.replies).toBe(x?.replies);
      expect(i.messages).toBe(x?.messages.size);
      expect(i.clickThroughRate).toBe((x?.messages.size ?? 0) / r.deliveredMessages);
    }
  });

  it('conversions: revenue per campaign and currency, exact to the cent', async () => {
    const r = await pgTracker.funnel({ from: T0, to: T0 + 3 * DAY });
    const campaignOf = new Map(traffic.tracks.map((t) => [t.messageId, t.campaign ?? null]));
    const expected = new Map<string, { cents: number; n: number }>();
    for (const c of traffic.conversions) {
      const key = `${campaignOf.get(c.messageId) ?? null}|${c.input.currency.toUpperCase()}`;
      const x = expected.get(key) ?? { cents: 0, n: 0 };
      x.cents += Math.round(c.input.value * 100);
      x.n++;
      expected.set(key, x);
    }
    expect(r.revenue.length).toBe(expected.size);
    for (const rev of r.revenue) {
      const x = expected.get(`${rev.campaign}|${rev.currency}`);
      expect(rev.conversions).toBe(x?.n);
      expect(Math.round(rev.value * 100)).toBe(x?.cents);
    }
  });
});
