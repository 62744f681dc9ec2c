/**
 * `redisStore`: the {@link StorageAdapter} over Redis (ioredis 5), for several processes or
 * hosts sharing delivery state. Claims are `SET NX PX`; merges are one atomic Lua script (the
 * lattice join of `merge()`), which also maintains the per-message index and the stale index.
 * Key layout and Cluster rules: keys.ts and docs/redis.md.
 *
 * @packageDocumentation
 */
import { ConfigError } from '../../errors.js';
import { hasFailure } from '../../tracking/present.js';
import { atOfRank, RANK, type DeliveryState } from '../../tracking/state.js';
import type { MergeItem, MergeResult, MessageRef, StaleQuery, StorageAdapter } from '../adapter.js';
import { decodeState, encodeState } from './codec.js';
import { createConnection, type RedisClient } from './connection.js';
import { toRedisStorageError, withTimeout } from './errors.js';
import { createKeyLayout, type KeyLayout } from './keys.js';
import { runMerge, runMergeBatch, type MergeReply, type ScriptCall } from './script.js';

/**
 * Options of {@link redisStore}: your ioredis `client` (left open by `close()`), or a `url` (the
 * store imports ioredis lazily, creates a fail-fast client and quits it on `close()`).
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { url: 'redis://127.0.0.1:6379', prefix: 'wa:', stateTtlMs: 14 * 86_400_000 };
 * ```
 */
export type RedisStoreOptions = ({ client: RedisClient } | { url: string }) & {
  /** Prefix of every key. May not contain `{` or `}`. Default `bluetick:`. */
  prefix?: string;
  /** An untouched state (and its index entries) expires after this. Default 30 days. */
  stateTtlMs?: number;
  /**
   * Bound on every operation: waiting for a (re)connection, then the command itself. Past it the
   * call rejects with StorageError `unavailable` (not connected) or `timeout`. Default 2000 ms.
   */
  timeoutMs?: number;
  /**
   * Maintain the stale index (`<prefix>stale:<rank>` sorted sets) inside the merge script, which
   * `findStale` needs. Those keys live in other hash slots than the message's, so the index is
   * not possible on Redis Cluster. Default: true, false for a Cluster client (passing true with a
   * Cluster client throws ConfigError).
   */
  staleIndex?: boolean;
};

/**
 * The Redis store: every optional method (`findStale` only with the stale index), plus its key layout.
 *
 * @example
 * ```ts
 * const store: RedisStore = redisStore({ client });
 * await store.ping();
 * const states = await store.findByMessage({ messageId: 'wamid.X' });
 * ```
 */
export interface RedisStore extends StorageAdapter {
  claimMany(ids: readonly string[], ttlMs: number): Promise<boolean[]>;
  mergeMany(items: readonly MergeItem[]): Promise<MergeResult[]>;
  findByMessage(ref: MessageRef): Promise<DeliveryState[]>;
  ping(): Promise<void>;
  /** The keys this store reads and writes (for inspection, cleanup and tests). */
  readonly keys: KeyLayout;
}

const DAY = 86_400_000;
const PAGE = 500;
const STALE_RANKS = [1, 2, 3, 4] as const;

/**
 * Creates a Redis {@link StorageAdapter}.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createTracker } from 'bluetick';
 * import { redisStore } from 'bluetick/redis';
 *
 * const client = new Redis(process.env.REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
 * const tracker = createTracker({ store: redisStore({ client, prefix: 'wa:' }) });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const timeoutMs = options.timeoutMs ?? 2000;
  const ttl = options.stateTtlMs ?? 30 * DAY;
  if (!(timeoutMs > 0) || !(ttl >= 1)) throw new ConfigError('invalid_option', 'redisStore(): timeoutMs and stateTtlMs must be positive.');
  const keys = createKeyLayout(options.prefix ?? 'bluetick:');
  const conn = createConnection('client' in options ? { client: options.client } : { url: options.url }, timeoutMs);
  const stale = options.staleIndex ?? !conn.isCluster;
  if (stale && conn.isCluster) {
    throw new ConfigError('invalid_option', 'redisStore(): the stale index spans hash slots and cannot run on Redis Cluster; pass staleIndex: false.');
  }
  const ttlArg = String(Math.ceil(ttl));
  const staleKeys = STALE_RANKS.map((r) => keys.stale(r));

  /** Runs `fn` on a ready client within the timeout, mapping every failure to a StorageError. */
  async function run<T>(op: string, fn: (c: RedisClient) => Promise<T>, script = false): Promise<T> {
    let c: RedisClient;
    try {
      c = await conn.ready();
      return await withTimeout(fn(c), timeoutMs, op);
    } catch (err) {
      throw toRedisStorageError(err, op, script);
    }
  }

  function call(key: string, observation: DeliveryState): ScriptCall {
    const k = keys.state(key);
    return {
      keys: stale ? [k.state, k.index, ...staleKeys] : [k.state, k.index],
      args: [encodeState(observation), ttlArg, k.member, stale ? '1' : '0'],
    };
  }

  function result(reply: MergeReply, observation: DeliveryState): MergeResult {
    const [b, changed, a] = reply;
    if (b === '') return { before: null, after: observation };
    const before = decodeState(b);
    return { before, after: changed === '1' ? decodeState(a) : before };
  }

  async function readStates(c: RedisClient, stateKeys: readonly string[]): Promise<Array<DeliveryState | null>> {
    if (stateKeys.length === 0) return [];
    const values = await c.mget(...stateKeys);
    return values.map((v) => (v === null ? null : decodeState(v)));
  }

  const store: RedisStore = {
    keys,
    claim(id, ttlMs) {
      return run('claim', async (c) => (await c.set(keys.claim(id), '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX')) === 'OK');
    },
    claimMany(ids, ttlMs) {
      if (ids.length === 0) return Promise.resolve([]);
      const px = Math.max(1, Math.ceil(ttlMs));
      return run('claimMany', async (c) => {
        if (c.isCluster) return Promise.all(ids.map(async (id) => (await c.set(keys.claim(id), '1', 'PX', px, 'NX')) === 'OK'));
        const pipe = c.pipeline();
        for (const id of ids) pipe.set(keys.claim(id), '1', 'PX', px, 'NX');
        const replies = (await pipe.exec()) ?? [];
        return replies.map(([err, value]) => {
          if (err) throw err;
          return value === 'OK';
        });
      });
    },
    merge(key, observation) {
      return run('merge', async (c) => result(await runMerge(c, call(key, observation)), observation), true);
    },
    mergeMany(items) {
      if (items.length === 0) return Promise.resolve([]);
      return run(
        'mergeMany',
        async (c) => {
          const replies = await runMergeBatch(c, items.map((it) => call(it.key, it.observation)));
          return replies.map((reply, i) => result(reply, (items[i] as MergeItem).observation));
        },
        true,
      );
    },
    get(key) {
      return run('get', async (c) => {
        const v = await c.get(keys.state(key).state);
        return v === null ? null : decodeState(v);
      });
    },
    findByMessage(ref) {
      return run('findByMessage', async (c) => {
        const index = keys.messageIndex(ref.messageId);
        const members = await c.smembers(index);
        const states = await readStates(
          c,
          members.map((m) => keys.stateOfMember(ref.messageId, m)),
        );
        // Members whose state expired are dropped here (a state's TTL ends before its index's).
        const gone = members.filter((_, i) => states[i] === null);
        if (gone.length > 0) await c.srem(index, ...gone);
        return states.filter(
          (s): s is DeliveryState =>
            s !== null && (ref.provider === undefined || s.provider === ref.provider) && (ref.accountId === undefined || s.accountId === ref.accountId),
        );
      });
    },
    ping() {
      return run('ping', async (c) => {
        await c.ping();
      });
    },
    close: () => conn.close(),
  };
  if (stale) {
    store.findStale = (query: StaleQuery) => run('findStale', (c) => findStale(c, query));
  }

  async function findStale(c: RedisClient, query: StaleQuery): Promise<DeliveryState[]> {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const out: DeliveryState[] = [];
    const gone: Array<[string, string]> = [];
    for (const status of new Set(query.statuses)) {
      const rank = RANK[status];
      const zkey = keys.stale(rank);
      for (let offset = 0; out.length < limit; offset += PAGE) {
        const members = await c.zrangebyscore(zkey, '-inf', `(${query.olderThan}`, 'LIMIT', offset, PAGE);
        const states = await readStates(c, members);
        states.forEach((s, i) => {
          if (s === null) gone.push([zkey, members[i] as string]);
          else if (out.length < limit && s.rank === rank && !hasFailure(s) && atOfRank(s, rank) < query.olderThan) out.push(s);
        });
        if (members.length < PAGE) break;
      }
      if (out.length >= limit) break;
    }
    if (gone.length > 0) {
      const pipe = c.pipeline();
      for (const [zkey, member] of gone) pipe.zrem(zkey, member);
      await pipe.exec();
    }
    return out;
  }

  return store;
}
