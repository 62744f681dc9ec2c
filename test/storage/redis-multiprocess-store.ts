/**
 * Store module of the multi-process scenario for Redis: each worker process opens its own
 * fail-fast client on the key prefix the test names in BLUETICK_MP_REDIS_PREFIX.
 */
import { redisStore } from '../../src/storage/redis/index.js';
import type { StateStore } from '../../src/storage/state-store.js';
import { REDIS_URL } from '../helpers/services.js';

export async function createStore(): Promise<StateStore> {
  const prefix = process.env.BLUETICK_MP_REDIS_PREFIX;
  if (!prefix) throw new Error('BLUETICK_MP_REDIS_PREFIX is not set');
  const store = redisStore({ url: REDIS_URL, prefix, timeoutMs: 10_000 });
  await store.ready();
  return store;
}
