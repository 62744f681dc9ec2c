import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { redisStore } from '../../src/storage/redis/index.js';
import { redisAvailable, REDIS_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { runMultiprocess, verifyOutcome } from './multiprocess/runner.js';
import { deleteUnder, testClient, uniquePrefix } from './redis-helpers.js';

const available = await redisAvailable();
const prefix = uniquePrefix('mp');

afterAll(async () => {
  if (!available) return;
  const client = testClient();
  await deleteUnder(client, prefix);
  await client.quit();
});

describeIf(available, SKIP_REASONS.redis, 'redisStore across 4 processes', () => {
  it('converges to the sequential fold and emits every transition exactly once', async () => {
    const outcome = await runMultiprocess({
      storeModule: fileURLToPath(new URL('./redis-multiprocess-store.ts', import.meta.url)),
      env: { BLUETICK_MP_REDIS_PREFIX: prefix },
    });
    const totals = outcome.outputs.map((o) => `${o.ingested} in ${Math.round(o.ms)} ms`).join(', ');
    console.log(`[redis multiprocess] ${outcome.events.length} events; workers: ${totals}; wall ${Math.round(outcome.wallMs)} ms`);
    expect(outcome.events.length).toBe(8_000);
    expect(outcome.outputs.length).toBe(4);
    expect(outcome.outputs.every((o) => o.ingested > outcome.events.length)).toBe(true);
    expect(outcome.outputs.every((o) => o.duplicates > 0)).toBe(true);
    const store = redisStore({ url: REDIS_URL, prefix });
    expect(await verifyOutcome(outcome, (key) => store.get(key))).toEqual([]);
    await store.close();
  }, 120_000);
});
