import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ReconcileError } from '../../src/reconcile/index.js';
import { startFakeWasender, type FakeWasender } from './fake-wasender.js';
import { recordingTracker, trackWasender, wasenderReconciler } from './helpers.js';

let fake: FakeWasender;
beforeEach(async () => {
  fake = await startFakeWasender();
});
afterEach(async () => {
  await fake.close();
});

const requestsFor = (msgId: number) => fake.requests.filter((r) => r.msgId === String(msgId));

describe('wasenderStatusSource against a server that answers like GET /api/messages/{msgId}/info', () => {
  it('maps every documented status code (0 error … 5 played), sent as numbers or strings, with the Bearer key', async () => {
    const { tracker, emitted } = recordingTracker();
    const codes: Array<number | string> = [0, 1, 2, 3, '4', 5];
    for (const [i, code] of codes.entries()) await trackWasender(tracker, fake, 100 + i, code);
    emitted.length = 0;
    const report = await wasenderReconciler(tracker, fake).run();
    expect(report).toMatchObject({ found: 6, checked: 6, changed: 5, unchanged: 1, notFound: 0, failed: 0, expired: 0, skipped: 0, stopped: false, dryRun: false });
    const statuses = await Promise.all(codes.map((_, i) => tracker.getState(`3EB0${100 + i}`)));
    expect(statuses.map((s) => s?.status)).toEqual(['failed', 'pending', 'sent', 'delivered', 'read', 'played']);
    // No time in the answer: the poll time stands in, marked as an estimate.
    expect(statuses[4]?.estimatedTimes).toContain('readAt');
    expect(fake.requests.every((r) => r.auth === `Bearer ${fake.apiKey}`)).toBe(true);
    expect(emitted.map((e) => [e.kind, e.t.origin, e.t.after.status])).toEqual(
      expect.arrayContaining([
        ['transition', 'poll', 'failed'],
        ['transition', 'poll', 'read'],
        ['transition', 'poll', 'played'],
      ]),
    );
    expect(emitted.find((e) => e.t.after.status === 'read')?.t.event.id).toBe('wasender:poll:3EB0104::4');
    expect(emitted.every((e) => e.t.origin === 'poll' && e.t.event.occurredAtEstimated === true)).toBe(true);
  });

  it('counts a 404 as not found and leaves the state alone', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, null, 200, 3); // the API does not know it
    const report = await wasenderReconciler(tracker, fake).run();
    expect(report).toMatchObject({ checked: 1, notFound: 1, changed: 0, failed: 0, expired: 0 });
    expect((await tracker.getState('3EB0200'))?.status).toBe('pending');
  });

  it('stops the run on 401 with a typed error carrying the report, and asks no further', async () => {
    const { tracker } = recordingTracker();
    for (let i = 0; i < 20; i++) await trackWasender(tracker, fake, 300 + i, 3);
    const reconciler = wasenderReconciler(tracker, fake, { concurrency: 2 }, { apiKey: 'wrong-key' });
    const error = await reconciler.run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ReconcileError);
    expect(error).toMatchObject({ code: 'unauthorized' });
    expect((error as ReconcileError).message).toMatch(/401/);
    const report = (error as ReconcileError).report;
    expect(report?.checked).toBe(0);
    expect(report?.found).toBe(20);
    expect(fake.requests.length).toBeLessThanOrEqual(2); // the two checks in flight, nothing after
    expect(report?.skipped).toBe(20);
    expect((await tracker.getState('3EB0300'))?.status).toBe('pending');
  });

  it('stops the run on 403 too', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 310, 3);
    fake.scripts.set('310', [{ status: 403 }]);
    await expect(wasenderReconciler(tracker, fake).run()).rejects.toMatchObject({ name: 'ReconcileError', code: 'forbidden' });
  });

  it('waits out a 429 Retry-After before ANY further request, then gets the answer', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 400, 4);
    await trackWasender(tracker, fake, 401, 4);
    await trackWasender(tracker, fake, 402, 4);
    fake.scripts.set('400', [{ status: 429, retryAfter: '1' }]);
    const report = await wasenderReconciler(tracker, fake, { concurrency: 1 }).run();
    expect(report).toMatchObject({ checked: 3, changed: 3, rateLimited: 1, failed: 0 });
    const [limited, ...rest] = fake.requests;
    expect(limited?.msgId).toBe('400');
    for (const r of rest) expect(r.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(requestsFor(400)).toHaveLength(2);
  });

  it('reads the wait from the body (retry_after) when the header is missing', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 410, 3);
    fake.scripts.set('410', [{ status: 429, bodyRetryAfter: 0.3 }]);
    const report = await wasenderReconciler(tracker, fake).run();
    expect(report).toMatchObject({ changed: 1, rateLimited: 1 });
    const [a, b] = requestsFor(410);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('stops with rate_limited when the wait asked for is longer than the source accepts', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 420, 3);
    fake.scripts.set('420', [{ status: 429, retryAfter: '600' }]);
    await expect(wasenderReconciler(tracker, fake).run()).rejects.toMatchObject({ code: 'rate_limited' });
  });

  it('gives up on a message after maxRateLimitWaits 429s and counts it failed', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 430, 3);
    fake.scripts.set('430', [{ status: 429, retryAfter: '0' }, { status: 429, retryAfter: '0' }, { status: 429, retryAfter: '0' }]);
    const report = await wasenderReconciler(tracker, fake, {}, { maxRateLimitWaits: 2 }).run();
    expect(report).toMatchObject({ checked: 1, failed: 1, rateLimited: 3 });
    expect(requestsFor(430)).toHaveLength(3);
  });

  it('retries a 500, then merges the answer', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 500, 3);
    fake.scripts.set('500', [{ status: 500 }, { status: 503 }]);
    const report = await wasenderReconciler(tracker, fake).run();
    expect(report).toMatchObject({ checked: 1, changed: 1, failed: 0 });
    expect(requestsFor(500)).toHaveLength(3);
    expect((await tracker.getState('3EB0500'))?.status).toBe('delivered');
  });

  it('counts a message failed when 5xx answers outlast the retries, and does not retry a 400', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 510, 3);
    await trackWasender(tracker, fake, 511, 3);
    fake.scripts.set('510', [{ status: 500 }, { status: 500 }, { status: 500 }]);
    fake.scripts.set('511', [{ status: 400 }]);
    const report = await wasenderReconciler(tracker, fake, {}, { retries: 2 }).run();
    expect(report).toMatchObject({ checked: 2, failed: 2, changed: 0 });
    expect(requestsFor(510)).toHaveLength(3);
    expect(requestsFor(511)).toHaveLength(1);
  });

  it('retries an answer slower than the timeout, and fails a message that is always too slow', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, fake, 600, 4);
    await trackWasender(tracker, fake, 601, 4);
    fake.scripts.set('600', [{ delayMs: 1500 }]);
    fake.scripts.set('601', [{ delayMs: 1500 }, { delayMs: 1500 }, { delayMs: 1500 }]);
    const started = performance.now();
    const report = await wasenderReconciler(tracker, fake, {}, { timeoutMs: 200, retries: 2 }).run();
    expect(report).toMatchObject({ checked: 2, changed: 1, failed: 1 });
    expect(requestsFor(600)).toHaveLength(2);
    expect(requestsFor(601)).toHaveLength(3);
    expect(performance.now() - started).toBeLessThan(1500); // timeouts cut the waits short
    expect((await tracker.getState('3EB0600'))?.status).toBe('read');
  });

  it('refuses an answer about another message (a msgId mixed up): failed, nothing merged', async () => {
    const { tracker } = recordingTracker();
    await trackWasender(tracker, null, 700, 4);
    fake.messages.set('700', { keyId: 'SOMEONE-ELSE', status: 4 });
    const report = await wasenderReconciler(tracker, fake).run();
    expect(report).toMatchObject({ checked: 1, failed: 1, changed: 0 });
    expect((await tracker.getState('3EB0700'))?.status).toBe('pending');
  });

  it('covers only WASender states with a numeric send id', async () => {
    const { tracker } = recordingTracker();
    await tracker.track({ provider: 'wasender', messageId: '3EB0NOID', sentAt: Date.now() - 3_600_000 });
    await tracker.track({ provider: 'cloud', messageId: 'wamid.X', sentAt: Date.now() - 3_600_000 });
    await trackWasender(tracker, fake, 800, 2);
    const report = await wasenderReconciler(tracker, fake).run();
    expect(report).toMatchObject({ found: 3, checked: 1, changed: 1, skipped: 2, expired: 0 });
    expect(fake.requests.map((r) => r.msgId)).toEqual(['800']);
  });
});
