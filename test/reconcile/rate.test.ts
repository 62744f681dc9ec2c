import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/reconcile/index.js';
import { maxInWindow, startFakeWasender, type FakeWasender } from './fake-wasender.js';
import { recordingTracker, trackWasender, wasenderReconciler } from './helpers.js';

describe('createRateLimiter: a token bucket whose tokens come back after the answer', () => {
  it('never lets more than the rate start in any one-second window, whatever the concurrency', async () => {
    const limiter = createRateLimiter(10);
    const starts: number[] = [];
    const worker = async (n: number) => {
      for (let i = 0; i < n; i++) await limiter.run(async () => void starts.push(performance.now()));
    };
    const started = performance.now();
    await Promise.all([worker(8), worker(8), worker(8)]);
    expect(starts).toHaveLength(24);
    expect(maxInWindow(starts, 1000)).toBe(10);
    // Nor slower than it must be: 10 at once, 10 a second later, 4 a second after that.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2000);
    expect(performance.now() - started).toBeLessThan(2600);
  });

  it('gives a token back one period after the request SETTLED, so slow answers delay the next use', async () => {
    const limiter = createRateLimiter(1);
    const t0 = performance.now();
    await limiter.run(() => new Promise((r) => setTimeout(r, 300)));
    await limiter.run(async () => undefined);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(1300);
  });

  it('a fractional rate keeps whole tokens: 2.5 per second is 2 tokens, each back 0.8 s after use', async () => {
    const limiter = createRateLimiter(2.5);
    const starts: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map(() => limiter.run(async () => void starts.push(performance.now()))));
    expect(maxInWindow(starts, 800)).toBe(2);
  });

  it('a pause (a 429 Retry-After) holds every waiter', async () => {
    const limiter = createRateLimiter(1000);
    await limiter.run(async () => undefined);
    const t0 = performance.now();
    limiter.pause(250);
    const times = await Promise.all([0, 1, 2].map(() => limiter.run(async () => performance.now() - t0)));
    for (const t of times) expect(t).toBeGreaterThanOrEqual(250);
  });

  it('an aborted wait leaves the queue with the signal reason, and takes no token', async () => {
    const limiter = createRateLimiter(1);
    await limiter.run(async () => undefined);
    const controller = new AbortController();
    const ran: string[] = [];
    const waiting = limiter.run(async () => void ran.push('aborted one'), controller.signal);
    controller.abort(new Error('run stopped'));
    await expect(waiting).rejects.toThrow('run stopped');
    await limiter.run(async () => void ran.push('next'));
    expect(ran).toEqual(['next']);
  });

  it('a request that throws gives its token back too', async () => {
    const limiter = createRateLimiter(1000);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(async () => 'ok')).resolves.toBe('ok');
  });
});

describe('ratePerSecond against the API', () => {
  let fake: FakeWasender;
  beforeEach(async () => {
    fake = await startFakeWasender();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('is never exceeded at the server, retries included, with 4 concurrent checks', async () => {
    const { tracker } = recordingTracker();
    for (let i = 0; i < 16; i++) await trackWasender(tracker, fake, 1000 + i, 3);
    for (const id of ['1002', '1007', '1011']) fake.scripts.set(id, [{ status: 500 }]);
    const started = performance.now();
    // A generous timeout: on a loaded machine a 400 ms one retries a slow answer, an extra request this count does not expect.
    const report = await wasenderReconciler(tracker, fake, { concurrency: 4, ratePerSecond: 5 }, { minRetryDelayMs: 1, timeoutMs: 10_000 }).run();
    expect(report).toMatchObject({ checked: 16, changed: 16, failed: 0 });
    const times = fake.requests.map((r) => r.at);
    expect(times).toHaveLength(19);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(5);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3000); // 19 requests: 5 + 5 + 5 + 4
  });
});
