import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { redisStore } from '../../src/storage/redis/index.js';
import { runStateStoreConformance } from '../../src/testing/index.js';
import { redisAvailable, REDIS_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { deleteUnder, testClient, uniquePrefix } from './redis-helpers.js';

const up = await redisAvailable();
const prefix = uniquePrefix('conformance');
let client: Redis;

describeIf(up, SKIP_REASONS.redis, 'redisStore conformance (real Redis)', () => {
  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    await deleteUnder(client, prefix);
    await client.quit();
  });

  // A store over the caller's client (left open by close()).
  runStateStoreConformance({ name: 'redisStore({ client })', create: async () => redisStore({ client, prefix }) }, { describe, it, expect, beforeEach, afterEach });

  // A store that creates (and quits) its own fail-fast client.
  runStateStoreConformance(
    {
      name: 'redisStore({ url })',
      create: async () => {
        const store = redisStore({ url: REDIS_URL, prefix });
        await store.ready();
        return store;
      },
      cleanup: async (store) => store.close(),
    },
    { describe, it, expect, beforeEach, afterEach },
  );
});
