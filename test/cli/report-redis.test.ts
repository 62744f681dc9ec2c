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
    await tracker.close();
    await tracker.store.close();
    const r = await runCli(['report', '--store', `${REDIS_URL}?prefix=${prefix}`, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { funnel: Record<string, unknown>; failures: Array<{ code: string }>; campaigns: Array<{ campaign: string; total: number }> };
    expect(report.funnel).toMatchObject({ scope: 'tracked', total: 2, sent: 1, failed: 1 });
    expect(report.failures.map((f) => f.code)).toEqual(['131049']);
    expect(report.campaigns).toEqual([{ campaign: 'c1', total: 2, delivered: 0, read: 0, failed: 1 }]);
  });
});
