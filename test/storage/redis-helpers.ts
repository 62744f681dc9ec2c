/**
 * Shared helpers of the Redis store tests: a unique key prefix per run and the cleanup of its keys.
 */
import { Redis } from 'ioredis';
import { REDIS_URL } from '../helpers/services.js';

/** A key prefix no other run or test uses. */
export function uniquePrefix(name: string): string {
  return `bt-test:${name}:${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}:`;
}

/** A plain client for the tests' own inspection and cleanup. */
export function testClient(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
}

/** Every key under a prefix. */
export async function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    out.push(...batch);
  } while (cursor !== '0');
  return out;
}

/** Deletes every key under a prefix; returns how many there were. */
export async function deleteUnder(client: Redis, prefix: string): Promise<number> {
  const keys = await keysUnder(client, prefix);
  for (let i = 0; i < keys.length; i += 500) await client.unlink(...keys.slice(i, i + 500));
  return keys.length;
}
