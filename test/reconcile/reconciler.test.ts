import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, memoryStore, normalize, type CanonicalEvent, type DeliveryState, type MetricsHook } from '../../src/index.js';
import { createReconciler, type Observation, type StatusSource } from '../../src/reconcile/index.js';
import { stateKey } from '../../src/state/index.js';
import { startFakeWasender, type FakeWasender } from './fake-wasender.js';
import { DAY, HOUR, recordingTracker, trackWasender, wasenderReconciler } from './helpers.js';

let fake: FakeWasender;
beforeEach(async () => {
  fake = await startFakeWasender();
});
afterEach(async () => {
  await fake.close();
});

/** A WASender `messages.update` webhook for one of our messages, as WASender sends it. */
function wasenderUpdate(keyId: string, status: number, ms: number) {
  return normalize({ event: 'messages.update', sessionId: 'sess-1', timestamp: ms, data: { key: { remoteJid: '5511999990002@s.whatsapp.net', fromMe: true, id: keyId }, update: { status } } });
}

/** A Cloud `sent` status webhook. */
function cloudSent(wamid: string, seconds: number) {
  return normalize({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: '106540352242922' }, statuses: [{ id: wamid, status: 'sent', timestamp: String(seconds), recipient_id: '16505551234' }] } }] }],
  });
}

describe('the lattice decides what a poll does', () => {
  it('never downgrades: a poll answering an older status changes nothing and emits nothing', async () => {
    const { tracker, emitted } = recordingTracker();
    const keyId = await trackWasender(tracker, fake, 1, 2); // the API still says sent…
    await tracker.ingest(wasenderUpdate(keyId, 2, Date.now() - HOUR / 2)); // …the webhooks said sent, then read
    await tracker.ingest(wasenderUpdate(keyId, 4, Date.now() - HOUR / 3));
    emitted.length = 0;
    const report = await wasenderReconciler(tracker, fake, { statuses: ['pending', 'sent', 'delivered', 'read'] }).run();
    expect(report).toMatchObject({ checked: 1, changed: 0, unchanged: 1 });
    expect((await tracker.getState(keyId))?.status).toBe('read');
    expect(emitted).toEqual([]);
  });

  it('an older status can only refine what is shown (an implied time becomes observed), never the status', async () => {
    const { tracker, emitted } = recordingTracker();
    const keyId = await trackWasender(tracker, fake, 5, 3); // the API says delivered…
    await tracker.ingest(wasenderUpdate(keyId, 4, Date.now() - HOUR / 3)); // …a webhook already said read
    expect((await tracker.getState(keyId))?.deliveredImplied).toBe(true);
    emitted.length = 0;
    const report = await wasenderReconciler(tracker, fake, { statuses: ['read'] }).run();
    expect(report).toMatchObject({ checked: 1, changed: 1 });
    expect(emitted.map((e) => [e.kind, e.t.origin, e.t.before?.status, e.t.after.status])).toEqual([['change', 'poll', 'read', 'read']]);
    expect((await tracker.getState(keyId))?.deliveredImplied).toBe(false);
  });

  it('a late webhook still merges after a poll, and its provider time replaces the estimate', async () => {
    const { tracker, emitted } = recordingTracker();
    const keyId = await trackWasender(tracker, fake, 2, 3);
    await wasenderReconciler(tracker, fake).run();
    const polled = await tracker.getState(keyId);
    expect(polled?.status).toBe('delivered');
    expect(polled?.estimatedTimes).toContain('deliveredAt');
    emitted.length = 0;
    const providerTime = Date.now() - HOUR / 2;
    await tracker.ingest(wasenderUpdate(keyId, 3, providerTime)); // the missed webhook, at last
    await tracker.ingest(wasenderUpdate(keyId, 4, providerTime + 1000));
    const after = await tracker.getState(keyId);
    expect(after?.deliveredAt).toBe(new Date(providerTime).toISOString());
    expect(after?.estimatedTimes).toEqual([]);
    expect(after?.status).toBe('read');
    expect(emitted.map((e) => [e.kind, e.t.origin])).toEqual([
      ['change', 'ingest'],
      ['transition', 'ingest'],
    ]);
  });

  it('a repeated poll of the same status is a duplicate, not a new event', async () => {
    const { tracker, emitted } = recordingTracker();
    const duplicates: CanonicalEvent[] = [];
    tracker.on('duplicate', (e) => void duplicates.push(e));
    await trackWasender(tracker, fake, 3, 3);
    // olderThan 0: the state the first poll moved is stale again at once.
    const reconciler = wasenderReconciler(tracker, fake, { statuses: ['pending', 'sent', 'delivered'], olderThan: 0 });
    emitted.length = 0;
    expect(await reconciler.run()).toMatchObject({ checked: 1, changed: 1 });
    await new Promise((r) => setTimeout(r, 5)); // its new (estimated) time is now in the past
    expect(await reconciler.run()).toMatchObject({ checked: 1, changed: 0, unchanged: 1 });
    expect(duplicates.map((e) => e.id)).toEqual(['wasender:poll:3EB03::3']);
    expect(emitted).toHaveLength(1);
    expect(emitted[0]?.t).toMatchObject({ origin: 'poll', after: { status: 'delivered' } });
  });

  it('a dry run asks and counts, and writes nothing', async () => {
    const { tracker, emitted } = recordingTracker();
    const keyId = await trackWasender(tracker, fake, 4, 4);
    await tracker.track({ provider: 'cloud', messageId: 'wamid.OLD', sentAt: Date.now() - 8 * DAY });
    emitted.length = 0;
    const report = await wasenderReconciler(tracker, fake, { dryRun: true }).run();
    expect(report).toMatchObject({ dryRun: true, checked: 1, changed: 1, expired: 1 });
    expect((await tracker.getState(keyId))?.status).toBe('pending');
    expect((await tracker.getState('wamid.OLD'))?.annotations).toEqual([]);
    expect(emitted).toEqual([]);
  });
});

describe('expiry: Cloud API and On-Premises have no status endpoint', () => {
  it('reports a state past the horizon once, as the annotation expired, without inventing a status', async () => {
    const { tracker, emitted } = recordingTracker();
    await tracker.track({ provider: 'cloud', messageId: 'wamid.GONE', recipientId: '16505551234', sentAt: Date.now() - 9 * DAY });
    await tracker.ingest(cloudSent('wamid.GONE', Math.floor((Date.now() - 8 * DAY) / 1000)));
    await tracker.track({ provider: 'onprem', messageId: 'gBGGOP.GONE', sentAt: Date.now() - 8 * DAY });
    await tracker.track({ provider: 'cloud', messageId: 'wamid.YOUNG', sentAt: Date.now() - 6 * DAY });
    emitted.length = 0;
    const reconciler = createReconciler({ tracker, olderThan: HOUR });
    const first = await reconciler.run();
    expect(first).toMatchObject({ found: 3, checked: 0, expired: 2, skipped: 1 });
    const gone = await tracker.getState('wamid.GONE');
    expect(gone).toMatchObject({ status: 'sent', annotations: ['expired'], failedAt: null });
    expect((await tracker.getState('gBGGOP.GONE'))?.status).toBe('pending');
    expect((await tracker.getState('wamid.YOUNG'))?.annotations).toEqual([]);
    expect(emitted.map((e) => [e.kind, e.t.origin, e.t.after.messageId, e.t.event.providerStatus])).toEqual(
      expect.arrayContaining([
        ['change', 'poll', 'wamid.GONE', 'expired'],
        ['change', 'poll', 'gBGGOP.GONE', 'expired'],
      ]),
    );
    expect(emitted).toHaveLength(2);

    emitted.length = 0;
    const second = await reconciler.run();
    expect(second).toMatchObject({ found: 3, expired: 0, skipped: 3 });
    expect(emitted).toEqual([]);

    // The funnel counts it; a late webhook still merges and settles its fate.
    const funnel = await tracker.funnel({ from: Date.now() - 30 * DAY, to: Date.now() });
    expect(funnel).toMatchObject({ total: 3, expired: 2 });
    await tracker.ingest(normalize({ statuses: [{ id: 'gBGGOP.GONE', status: 'delivered', timestamp: String(Math.floor(Date.now() / 1000) - 100), recipient_id: '16505551234' }] }));
    expect((await tracker.getState('gBGGOP.GONE'))?.status).toBe('delivered');
    expect((await tracker.funnel({ from: Date.now() - 30 * DAY, to: Date.now() })).expired).toBe(1);
  });

  it('expires a checkable message the provider no longer knows, once past the horizon', async () => {
    const { tracker } = recordingTracker();
    await tracker.track({ provider: 'wasender', messageId: '3EB0LOST', wasenderMsgId: 900, sentAt: Date.now() - 8 * DAY });
    await tracker.track({ provider: 'wasender', messageId: '3EB0NEW', wasenderMsgId: 901, sentAt: Date.now() - HOUR });
    const reconciler = wasenderReconciler(tracker, fake);
    expect(await reconciler.run()).toMatchObject({ checked: 2, notFound: 2, expired: 1 });
    expect((await tracker.getState('3EB0LOST'))?.annotations).toEqual(['expired']);
    expect((await tracker.getState('3EB0NEW'))?.annotations).toEqual([]);
    // Expired states are not asked again: no API calls spent on them.
    fake.requests.length = 0;
    expect(await reconciler.run()).toMatchObject({ checked: 1, skipped: 1 });
    expect(fake.requests.map((r) => r.msgId)).toEqual(['901']);
  });

  it('expireAfter: false never expires; a delivered message never expires', async () => {
    const { tracker } = recordingTracker();
    await tracker.track({ provider: 'cloud', messageId: 'wamid.A', sentAt: Date.now() - 30 * DAY });
    expect(await createReconciler({ tracker, expireAfter: false }).run()).toMatchObject({ expired: 0, skipped: 1 });
    await tracker.ingest(normalize({ statuses: [{ id: 'wamid.A', status: 'delivered', timestamp: String(Math.floor((Date.now() - 29 * DAY) / 1000)), recipient_id: '1' }] }));
    expect(await createReconciler({ tracker, statuses: ['delivered'] }).run()).toMatchObject({ found: 1, expired: 0, skipped: 1 });
  });

  it('looks past already-expired states to find the ones still worth a request', async () => {
    const store = memoryStore();
    const { tracker } = recordingTracker(store);
    for (let i = 0; i < 30; i++) await tracker.track({ provider: 'cloud', messageId: `wamid.OLD${i}`, sentAt: Date.now() - 10 * DAY });
    await createReconciler({ tracker, limit: 100 }).run(); // expires all 30
    await trackWasender(tracker, fake, 950, 3);
    await trackWasender(tracker, fake, 951, 3);
    const report = await wasenderReconciler(tracker, fake, { limit: 2, maxScan: 100 }).run();
    expect(report).toMatchObject({ checked: 2, changed: 2 });
    // maxScan bounds what one run reads: 20 states, all expired, nothing to do.
    await trackWasender(tracker, fake, 952, 3);
    expect(await wasenderReconciler(tracker, fake, { limit: 2, maxScan: 20 }).run()).toMatchObject({ found: 20, checked: 0, skipped: 20 });
  });
});

describe('runs and schedules', () => {
  /** A source that answers `delivered` after `ms`, counting how many checks overlap. */
  function slowSource(ms: number) {
    let inFlight = 0;
    const seen = { calls: 0, maxInFlight: 0 };
    const source: StatusSource = {
      name: 'slow',
      covers: (s) => s.provider === 'cloud',
      async check(states, ctx) {
        seen.calls++;
        seen.maxInFlight = Math.max(seen.maxInFlight, ++inFlight);
        try {
          await new Promise((resolve, reject) => {
            const t = setTimeout(resolve, ms);
            ctx.signal.addEventListener('abort', () => (clearTimeout(t), reject(ctx.signal.reason)), { once: true });
          });
          return states.map((s): Observation => ({ key: stateKey(s), outcome: 'status', status: 'delivered', providerStatus: 'DELIVERED', occurredAt: Date.now() - 1000 }));
        } finally {
          inFlight--;
        }
      },
    };
    return { source, seen };
  }

  it('runs `concurrency` checks at once; a host source may give provider times and errors', async () => {
    const { tracker } = recordingTracker();
    for (let i = 0; i < 8; i++) await tracker.track({ provider: 'cloud', messageId: `wamid.C${i}`, sentAt: Date.now() - HOUR });
    const { source, seen } = slowSource(30);
    const report = await createReconciler({ tracker, source, concurrency: 3, ratePerSecond: Infinity }).run();
    expect(report).toMatchObject({ checked: 8, changed: 8 });
    expect(seen.maxInFlight).toBe(3);
    const s = await tracker.getState('wamid.C0');
    expect(s?.status).toBe('delivered');
    expect(s?.estimatedTimes).toEqual([]); // the source's own time, not an estimate
  });

  it('start() never overlaps runs and stop() ends the run in flight', async () => {
    const { tracker } = recordingTracker();
    for (let i = 0; i < 6; i++) await tracker.track({ provider: 'cloud', messageId: `wamid.S${i}`, sentAt: Date.now() - HOUR });
    const { source, seen } = slowSource(200);
    const reports: unknown[] = [];
    const reconciler = createReconciler({ tracker, source, concurrency: 1, ratePerSecond: Infinity });
    reconciler.start({ everyMs: 20, immediately: true, onReport: (r) => reports.push(r) });
    await new Promise((r) => setTimeout(r, 450));
    expect(reconciler.running).toBe(true);
    expect(seen.maxInFlight).toBe(1);
    await reconciler.stop();
    expect(reconciler.running).toBe(false);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ stopped: true, found: 6 });
    const r = reports[0] as { checked: number; skipped: number };
    expect(r.checked).toBeGreaterThanOrEqual(2);
    expect(r.checked + r.skipped).toBe(6);
    const calls = seen.calls;
    await new Promise((r) => setTimeout(r, 100));
    expect(seen.calls).toBe(calls); // the schedule is gone
  });

  it('a run joins the run in flight; its signal stops it', async () => {
    const { tracker } = recordingTracker();
    for (let i = 0; i < 4; i++) await tracker.track({ provider: 'cloud', messageId: `wamid.J${i}`, sentAt: Date.now() - HOUR });
    const { source } = slowSource(100);
    const reconciler = createReconciler({ tracker, source, concurrency: 1, ratePerSecond: Infinity });
    const a = reconciler.run({ signal: AbortSignal.timeout(150) });
    const b = reconciler.run();
    expect(b).toBe(a);
    const report = await a;
    expect(report.stopped).toBe(true);
    expect(report.checked).toBeGreaterThanOrEqual(1);
    expect(report.checked).toBeLessThan(4);
  });

  it('reports errors of scheduled runs to onError', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 960, 3);
    const errors: unknown[] = [];
    const reconciler = wasenderReconciler(tracker, fake, {}, { apiKey: 'nope' });
    reconciler.start({ everyMs: 10_000, immediately: true, onError: (e) => errors.push(e) });
    await new Promise((r) => setTimeout(r, 200));
    await reconciler.stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'unauthorized' });
  });

  it('refuses bad options with a ConfigError', () => {
    const { tracker } = recordingTracker();
    expect(() => createReconciler({} as never)).toThrow(ConfigError);
    expect(() => createReconciler({ tracker, concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createReconciler({ tracker, ratePerSecond: -1 })).toThrow(/ratePerSecond/);
    expect(() => createReconciler({ tracker, statuses: ['played' as never] })).toThrow(/statuses/);
    expect(() => createReconciler({ tracker, source: {} as never })).toThrow(/StatusSource/);
    expect(() => createReconciler({ tracker }).start({} as never)).toThrow(/everyMs/);
  });
});

describe('metrics', () => {
  it('counts checked, changed, failed, rate-limited and expired through the hook', async () => {
    const { tracker } = recordingTracker();
    const counts: Record<string, number> = {};
    const add = (name: string, n = 1) => (counts[name] = (counts[name] ?? 0) + n);
    const metrics: MetricsHook = {
      reconcileChecked: (source, n) => add(`checked:${source}`, n),
      reconcileChanged: (source, n) => add(`changed:${source}`, n),
      reconcileFailed: (source, n) => add(`failed:${source}`, n),
      reconcileRateLimited: (source) => add(`rateLimited:${source}`),
      reconcileExpired: (n) => add('expired', n),
    };
    await trackWasender(tracker, fake, 970, 3);
    await trackWasender(tracker, fake, 971, 3);
    await trackWasender(tracker, fake, 972, 3);
    fake.scripts.set('971', [{ status: 429, retryAfter: '0' }]);
    fake.scripts.set('972', [{ status: 400 }]);
    await tracker.track({ provider: 'cloud', messageId: 'wamid.M', sentAt: Date.now() - 8 * DAY });
    await wasenderReconciler(tracker, fake, { metrics }).run();
    expect(counts).toEqual({ 'checked:wasender': 3, 'changed:wasender': 2, 'failed:wasender': 1, 'rateLimited:wasender': 1, expired: 1 });
  });

  it('prometheusMetrics exposes them as counters', async () => {
    const client = await import('prom-client');
    const { prometheusMetrics } = await import('../../src/metrics/index.js');
    const registry = new client.Registry();
    const metrics = prometheusMetrics({ client, registry });
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 980, 4);
    await wasenderReconciler(tracker, fake, { metrics }).run();
    const text = await registry.metrics();
    expect(text).toContain('bluetick_reconcile_checked_total{source="wasender"} 1');
    expect(text).toContain('bluetick_reconcile_changed_total{source="wasender"} 1');
  });
});

// Keeps the DeliveryState import used for readers of this file: sources receive raw states.
export type { DeliveryState };
