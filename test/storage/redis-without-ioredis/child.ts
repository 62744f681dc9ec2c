/**
 * Run with the hooks of this folder (ioredis "not installed"): constructs a store from a URL,
 * waits, then asks ready(); prints what ready() rejected with and when it was asked.
 */
import { redisStore } from '../../../src/storage/redis/index.js';

const store = redisStore({ url: 'redis://127.0.0.1:6379' });
await new Promise((r) => setTimeout(r, 300));
const askedAt = Date.now();
const err = (await store.ready().then(
  () => null,
  (e: unknown) => e,
)) as { name?: string; code?: string; message?: string } | null;
const answeredMs = Date.now() - askedAt;
await store.close();
console.log(JSON.stringify({ name: err?.name, code: err?.code, message: err?.message, askedAt, answeredMs }));
