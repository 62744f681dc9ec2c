import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import { createTracker, normalize } from '../../src/index.js';
import { redisStore } from '../../src/storage/redis/index.js';
import { ownFixture } from '../helpers/fixtures.js';
import { REDIS_URL, redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { runCli } from './helpers.js';

const up = await redisAvailable();

describeIf(up, SKIP_REASONS.redis, 'bluetick report --store redis://', () => {
  const prefix = `bt-report-${randomUUID().slice(0, 8)}:`;
  const cleanup = new Redis(REDIS_URL);
  afterAll(async () => {
    const keys = await cleanup.keys(`${prefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    cleanup.disconnect();
  });

  it('reads every state of its key prefix back and reports them', async () => {
    const tracker = createTracker({ store: redisStore({ url: REDIS_URL, prefix }) });
    await tracker.track({ messageId: 'wamid.CBP1', recipientId: '16505551234', provider: 'cloud', accountId: '102290129340398', campaign: 'c1' });
    await tracker.track({ messageId: 'wamid.FAILED1', recipientId: '16505551234', provider: 'cloud', accountId: '102290129340398', campaign: 'c1' });
    await tracker.ingest(normalize(ownFixture('cloud/statuses.json')));
    await tracker.close(); // closes the store too
    const r = await runCli(['report', '--store', `${REDIS_URL}?prefix=${prefix}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    type Funnel = { total: number; sent: number; failed: number; failures: { byCode: Array<{ code: string }> } };
    const report = JSON.parse(r.stdout) as { all: Funnel; tracked: Funnel; webhookOnly: number };
    // Every state, through scanStates(): the two tracked messages and the webhook-only ones.
    expect(report.tracked).toMatchObject({ total: 2, sent: 1, failed: 1 });
    expect(report.all.total).toBe(report.tracked.total + report.webhookOnly);
    expect(report.webhookOnly).toBeGreaterThan(0);
    expect(report.all.failures.byCode.map((f) => f.code)).toEqual(['131049']);
    const human = await runCli(['report', '--store', `${REDIS_URL}?prefix=${prefix}`]);
    expect(human.stdout).toMatch(/Every delivery state \(\d+: 2 tracked by the host with track\(\), \d+ seen only in webhooks\)/);
    expect(human.stdout).toMatch(/^ {2}131049 +policy +1$/m);
  });
});
