/**
 * docs/redis.md: the Redis store, on its own client or yours, and the migration from 0.1.
 *
 * @sample run
 * @sample-needs redis
 */
import { Redis } from 'ioredis';
import { createTracker } from 'bluetick';
import { redisStore, failFastOptions } from 'bluetick/redis';

// Let the store create (and quit on close) its own fail-fast client; ioredis is imported lazily:
const store = redisStore({ url: process.env.REDIS_URL!, prefix: 'wa:' });
const tracker = createTracker({ store }); // tracker.close() closes the store

// Or pass your client (left open by store.close()), with the fail-fast settings below:
const client = new Redis(process.env.REDIS_URL!, failFastOptions(2000));
const shared = redisStore({ client, prefix: 'wa:' });

export async function upgradeFrom01(): Promise<void> {
  const store = redisStore({ url: process.env.REDIS_URL!, prefix: 'wa:' });
  console.log(await store.migrate()); // { alreadyMigrated: false, legacyStates: 8, states: 7 }
  await store.close();
}

await tracker.close();
await shared.close();
client.disconnect();
