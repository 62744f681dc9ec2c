/**
 * Shared helpers of the Redis store tests: a unique key prefix per run, the cleanup of its keys,
 * and small step builders.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { NotificationEvent } from '../../src/event/types.js';
import { stateKey } from '../../src/state/key.js';
import type { DeliveryState } from '../../src/state/state.js';
import type { IngestStep } from '../../src/storage/state-store.js';
import { redisStore, type RedisStore } from '../../src/storage/redis/index.js';
import { REDIS_URL } from '../helpers/services.js';

/** A key prefix no other run or test uses. */
export function uniquePrefix(name: string): string {
  return `bt-test:${name}:${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
}

/** A plain client for the tests' own inspection and cleanup. */
export function testClient(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/**
 * Inside a describe: before its tests, a test client and a store under `prefix`, handed to `use`;
 * after them, every key under the prefix deleted and the client quit.
 */
export function openStoreAround(prefix: string, use: (client: Redis, store: RedisStore) => void): void {
  let client: Redis | undefined;
  beforeAll(() => {
    client = testClient();
    use(client, redisStore({ client, prefix }));
  });
  afterAll(async () => {
    if (client === undefined) return;
    await deleteUnder(client, prefix);
    await client.quit();
  });
}

/** Every key under a prefix. */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    for (const k of batch) out.add(k);
  } while (cursor !== '0');
  return [...out];
}

/** Deletes every key under a prefix; returns how many there were. */
export async function deleteUnder(client: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(client, prefix);
  for (let i = 0; i < keys.length; i += 500) await client.unlink(...keys.slice(i, i + 500));
  return keys.length;
}

/** A notification event (no merge): claims and outbox records only. */
export function notification(id: string): NotificationEvent {
  const at = '2023-11-14T22:13:20.000Z';
  return { schemaVersion: 1, id, kind: 'notification', provider: 'cloud', accountId: 'test', phoneNumberId: null, occurredAt: at, receivedAt: at, topic: 'account_update', data: { id } };
}

/** A step merging observations that stand for no event (what `track()` sends). */
export function mergeStep(observations: readonly DeliveryState[], consumers: readonly string[] = []): IngestStep {
  return { events: [], merges: observations.map((o) => ({ key: stateKey(o), observation: o, event: -1 })), claimTtlMs: 60_000, outbox: { consumers, leaseMs: 60_000 } };
}
