/**
 * docs/redis.md: the Redis store, on your client or its own (nothing is written: no key is fixed).
 *
 * @sample run
 * @sample-needs redis
 */
import { Redis } from 'ioredis';
import { createTracker } from 'bluetick';
import { redisStore } from 'bluetick/redis';

// Your client (left open by store.close()), with the fail-fast settings below:
const client = new Redis(process.env.REDIS_URL!, {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  commandTimeout: 2000,
});
const tracker = createTracker({ store: redisStore({ client, prefix: 'wa:' }) });

// Or let the store create (and quit on close) its own client with those settings:
const store = redisStore({ url: 'redis://127.0.0.1:6379' }); // ioredis is imported lazily

export { store, tracker };
