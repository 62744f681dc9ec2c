import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runReconcileLoop } from '../../examples/reconcile-cron.js';
import { createReconcileHandler, handler } from '../../examples/reconcile-lambda.js';
import { createTracker, type Tracker } from '../../src/index.js';
import { wasenderStatusSource, type ReconcileReport } from '../../src/reconcile/index.js';
import { startFakeWasender, type FakeWasender } from '../reconcile/fake-wasender.js';
import { DAY, trackWasender } from '../reconcile/helpers.js';

let fake: FakeWasender;
let tracker: Tracker;
beforeEach(async () => {
  fake = await startFakeWasender();
  tracker = createTracker();
  await trackWasender(tracker, fake, 1, 4);
  await trackWasender(tracker, fake, 2, 3);
  await tracker.track({ provider: 'cloud', messageId: 'wamid.OLD', sentAt: Date.now() - 8 * DAY });
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await tracker.close();
  await fake.close();
});

describe('examples/reconcile-cron', () => {
  it('runs at each period boundary until its signal stops it', async () => {
    const controller = new AbortController();
    const reports: ReconcileReport[] = [];
    const loop = runReconcileLoop({
      tracker,
      apiKey: fake.apiKey,
      baseUrl: fake.url,
      everyMs: 150,
      signal: controller.signal,
      onReport: (r) => {
        reports.push(r);
        if (reports.length === 2) controller.abort();
      },
    });
    await loop;
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({ checked: 2, changed: 2, expired: 1 });
    expect(reports[1]).toMatchObject({ checked: 0, expired: 0 }); // nothing stale any more
    expect((await tracker.getState('3EB01'))?.status).toBe('read');
    expect((await tracker.getState('wamid.OLD'))?.annotations).toEqual(['expired']);
  });
});

describe('examples/reconcile-lambda', () => {
  const event = { version: '0', id: 'e1', 'detail-type': 'Scheduled Event', source: 'aws.events', time: '2026-11-21T10:00:00Z', resources: [], detail: {} };

  it('runs once per invocation and returns (and logs) its report', async () => {
    const run = createReconcileHandler({ tracker, source: wasenderStatusSource({ apiKey: fake.apiKey, baseUrl: fake.url }) });
    const report = await run(event, { getRemainingTimeInMillis: () => 60_000, awsRequestId: 'r1' });
    expect(report).toMatchObject({ checked: 2, changed: 2, expired: 1, stopped: false });
    expect(console.log).toHaveBeenCalledWith(expect.stringContaining('"requestId":"r1"'));
  });

  it('stops before the function times out', async () => {
    fake.scripts.set('1', [{ delayMs: 2000 }]);
    const run = createReconcileHandler({ tracker, source: wasenderStatusSource({ apiKey: fake.apiKey, baseUrl: fake.url }), marginMs: 100 });
    const started = Date.now();
    const report = await run(event, { getRemainingTimeInMillis: () => 400 });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(report.stopped).toBe(true);
  });

  it('the configured handler says what is missing', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    await expect(handler(event, { getRemainingTimeInMillis: () => 1000 })).rejects.toThrow(/DATABASE_URL/);
    if (saved !== undefined) process.env.DATABASE_URL = saved;
  });
});
