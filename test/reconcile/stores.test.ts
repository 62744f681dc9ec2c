/**
 * Reconciliation over every store, with real services: the WASender send ids live in the store
 * (another process reconciles what this one tracked), polls merge through the store's atomic
 * step (never a downgrade, a late webhook still merges, a repeated poll is a duplicate), and an
 * expiry is reported once even when two reconcilers race on one store.
 */
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { createTracker, memoryStore, normalize, type StateStore } from '../../src/index.js';
import { createReconciler } from '../../src/reconcile/index.js';
import { postgresStore } from '../../src/storage/postgres/index.js';
import { redisStore } from '../../src/storage/redis/index.js';
import { describeIf, POSTGRES_URL, postgresAvailable, REDIS_URL, redisAvailable, SKIP_REASONS } from '../helpers/services.js';
import { adminQuery, dropSchema, uniqueSchema } from '../storage/postgres-helpers.js';
import { deleteUnder, testClient, uniquePrefix } from '../storage/redis-helpers.js';
import { startFakeWasender, type FakeWasender } from './fake-wasender.js';
import { DAY, HOUR, recordingTracker, trackWasender, wasenderReconciler } from './helpers.js';

interface StoreKind {
  name: string;
  up: boolean;
  /** Why its tests are skipped when it is not up. */
  reason: string;
  /** A new connection to the SAME store each call (another process, as far as the store knows). */
  open(): StateStore;
  cleanup(): Promise<void>;
  /** PostgreSQL: the `expired` column of the funnel_daily view, summed (what dashboards read). */
  viewExpired?(): Promise<number>;
}

function memoryKind(): StoreKind {
  const shared = memoryStore();
  // One process: every "connection" is the same instance (closeStore is false in the trackers).
  return { name: 'memory', up: true, reason: '', open: () => shared, cleanup: async () => undefined };
}

const redisUp = await redisAvailable();
function redisKind(): StoreKind {
  const prefix = uniquePrefix('reconcile');
  const opened: StateStore[] = [];
  return {
    name: 'Redis',
    up: redisUp,
    reason: SKIP_REASONS.redis,
    open() {
      const s = redisStore({ url: REDIS_URL, prefix });
      opened.push(s);
      return s;
    },
    async cleanup() {
      for (const s of opened.splice(0)) await s.close();
      const client = testClient();
      await deleteUnder(client, prefix);
      client.disconnect();
    },
  };
}

const postgresUp = await postgresAvailable();
function postgresKind(): StoreKind {
  const schema = uniqueSchema('reconcile');
  const opened: StateStore[] = [];
  return {
    name: 'PostgreSQL',
    up: postgresUp,
    reason: SKIP_REASONS.postgres,
    open() {
      const s = postgresStore({ connectionString: POSTGRES_URL, max: 4, schema });
      opened.push(s);
      return s;
    },
    async cleanup() {
      for (const s of opened.splice(0)) await s.close();
      if (postgresUp) await dropSchema(schema);
    },
    async viewExpired() {
      const { rows } = await adminQuery(`SELECT coalesce(sum(expired), 0)::int AS n FROM "${schema}".bluetick_funnel_daily`);
      return (rows[0] as { n: number }).n;
    },
  };
}

const kinds: Array<() => StoreKind> = [memoryKind, redisKind, postgresKind];

/** A WASender `messages.update` webhook for one of our messages. */
function wasenderUpdate(keyId: string, status: number, ms: number) {
  return normalize({ event: 'messages.update', sessionId: 'sess-1', timestamp: ms, data: { key: { remoteJid: '5511999990002@s.whatsapp.net', fromMe: true, id: keyId }, update: { status } } });
}

for (const makeKind of kinds) {
  const probe = makeKind();
  describeIf(probe.up, probe.reason, `reconcile over the ${probe.name} store`, () => {
    let kind: StoreKind;
    let fake: FakeWasender;
    beforeEach(async () => {
      kind = makeKind();
      fake = await startFakeWasender();
    });
    afterEach(async () => {
      await fake.close();
      await kind.cleanup();
    });
    afterAll(async () => probe.cleanup());

    it('another process reconciles what this one tracked: the send ids live in the store', async () => {
      const a = recordingTracker(kind.open());
      const codes = [0, 1, 2, 3, 4, 5];
      for (const [i, code] of codes.entries()) await trackWasender(a.tracker, fake, 100 + i, code);
      await a.tracker.track({ provider: 'cloud', messageId: 'wamid.OLD', sentAt: Date.now() - 8 * DAY });
      await a.tracker.close();

      const b = recordingTracker(kind.open());
      expect(await b.tracker.store.resolveAliases('wasender', ['104'])).toEqual({ '104': '3EB0104' });
      const report = await wasenderReconciler(b.tracker, fake).run();
      expect(report).toMatchObject({ found: 7, checked: 6, changed: 5, unchanged: 1, expired: 1, failed: 0 });
      const statuses = await Promise.all(codes.map((_, i) => b.tracker.getState(`3EB0${100 + i}`)));
      expect(statuses.map((s) => s?.status)).toEqual(['failed', 'pending', 'sent', 'delivered', 'read', 'played']);
      expect(b.emitted.filter((e) => e.kind === 'transition').every((e) => e.t.origin === 'poll')).toBe(true);
      expect((await b.tracker.getState('wamid.OLD'))?.annotations).toEqual(['expired']);
      expect((await b.tracker.funnel({ from: Date.now() - 30 * DAY, to: Date.now() + 1000 })).expired).toBe(1);
      await b.tracker.close();
    });

    it('a poll never downgrades, a late webhook still merges, a repeated poll is a duplicate', async () => {
      const { tracker, emitted } = recordingTracker(kind.open());
      const read = await trackWasender(tracker, fake, 200, 2); // the API says sent; the webhooks said more
      await tracker.ingest(wasenderUpdate(read, 2, Date.now() - HOUR / 2));
      await tracker.ingest(wasenderUpdate(read, 4, Date.now() - HOUR / 3));
      const late = await trackWasender(tracker, fake, 201, 3);
      emitted.length = 0;
      const reconciler = wasenderReconciler(tracker, fake, { statuses: ['pending', 'sent', 'delivered', 'read'], olderThan: 0 });
      expect(await reconciler.run()).toMatchObject({ checked: 2, changed: 1, unchanged: 1 });
      expect((await tracker.getState(read))?.status).toBe('read');
      expect(emitted.map((e) => [e.kind, e.t.origin, e.t.after.messageId, e.t.after.status])).toEqual([['transition', 'poll', late, 'delivered']]);

      await new Promise((r) => setTimeout(r, 5));
      expect(await reconciler.run()).toMatchObject({ checked: 2, changed: 0, unchanged: 2 }); // duplicates by id

      const providerTime = Date.now() - HOUR / 4;
      await tracker.ingest(wasenderUpdate(late, 4, providerTime));
      const after = await tracker.getState(late);
      expect(after).toMatchObject({ status: 'read', readAt: new Date(providerTime).toISOString() });
      await tracker.close();
    });

    it("the store's funnel counts expired exactly as the reference does, per bucket and policy", async () => {
      const { tracker } = recordingTracker(kind.open());
      const t0 = Date.UTC(2026, 0, 10);
      const day = (d: number) => t0 + d * DAY;
      for (let i = 0; i < 12; i++) await tracker.track({ provider: 'onprem', messageId: `wamid.F${i}`, sentAt: day(i % 3) + i * 1000 });
      await createReconciler({ tracker, now: () => day(20) }).run(); // all 12 expire
      // Then some settle: delivered (out of the count), failed (out), failed after delivery (out).
      const statuses = (id: string, status: string, at: number, errors: object[] = []) =>
        normalize({ statuses: [{ id, status, timestamp: String(Math.floor(at / 1000)), recipient_id: '16505551234', ...(errors.length > 0 ? { errors } : {}) }] });
      await tracker.ingest(statuses('wamid.F0', 'delivered', day(21)));
      await tracker.ingest(statuses('wamid.F1', 'failed', day(21), [{ code: 131026, title: 'Message undeliverable' }]));
      await tracker.ingest(statuses('wamid.F2', 'read', day(21)));
      await tracker.ingest(statuses('wamid.F2', 'failed', day(22), [{ code: 131026, title: 'Message undeliverable' }]));
      const { computeFunnel } = await import('../../src/analytics/memory-funnel.js');
      const { allStates } = await import('../../src/tracking/analytics.js');
      const states = await allStates(tracker.store);
      for (const failedPolicy of ['delivery-wins', 'absorbing'] as const) {
        const q = { fromMs: day(-1), toMs: day(30), groupBy: 'day' as const, failedPolicy };
        const reference = computeFunnel(states, [], [], q);
        const reader = createTracker({ store: tracker.store, closeStore: false, failedPolicy, durableListeners: false });
        const got = await reader.funnel({ from: day(-1), to: day(30), groupBy: 'day' });
        await reader.close();
        expect(got.expired).toBe(reference.expired);
        expect(got.buckets.map((b) => [b.start, b.expired])).toEqual(reference.buckets.map((b) => [b.start, b.expired]));
      }
      expect(computeFunnel(states, [], [], { fromMs: day(-1), toMs: day(30), failedPolicy: 'delivery-wins' }).expired).toBe(9);
      // The dashboards' view counts what funnel() counts (its policy is delivery-wins).
      if (kind.viewExpired !== undefined) expect(await kind.viewExpired()).toBe(9);
      await tracker.close();
    });

    it('two reconcilers racing on one store report an expiry once', async () => {
      const seed = recordingTracker(kind.open());
      for (let i = 0; i < 10; i++) await seed.tracker.track({ provider: 'cloud', messageId: `wamid.RACE${i}`, sentAt: Date.now() - 9 * DAY });
      await seed.tracker.close();
      const a = recordingTracker(kind.open());
      const b = recordingTracker(kind.open());
      const [ra, rb] = await Promise.all([createReconciler({ tracker: a.tracker }).run(), createReconciler({ tracker: b.tracker }).run()]);
      expect(ra.expired + rb.expired).toBe(10);
      const changes = [...a.emitted, ...b.emitted].filter((e) => e.t.event.providerStatus === 'expired');
      expect(changes).toHaveLength(10);
      expect(new Set(changes.map((e) => e.t.key)).size).toBe(10);
      expect(await createReconciler({ tracker: a.tracker }).run()).toMatchObject({ found: 10, expired: 0, skipped: 10 });
      await a.tracker.close();
      await b.tracker.close();
    });
  });
}
