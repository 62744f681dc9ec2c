/**
 * `redisStore`: the {@link StateStore} over Redis (ioredis 5), for several processes or hosts
 * sharing delivery state. One ingest step is ONE Lua script call (claims, lattice merges with
 * their indexes, outbox records), so a step commits entirely or not at all in one round trip;
 * the outbox is a per-consumer lease queue (outbox.ts). Key layout: keys.ts and docs/redis.md.
 *
 * Redis Cluster is refused: a step touches the keys of many messages, which live in many hash
 * slots, and Cluster runs a script only when all its keys share one slot (options.ts).
 *
 * @packageDocumentation
 */
import type { Redis } from 'ioredis';
import { ConfigError } from '../../errors.js';
import type { StateStore } from '../state-store.js';
import { checkStep } from '../step.js';
import { createConnection } from './connection.js';
import { toRedisStorageError, withTimeout } from './errors.js';
import { ingestStep } from './ingest.js';
import { createKeyLayout, STALE_RANKS, type KeyLayout } from './keys.js';
import { LAYOUT_VERSION, migrateV01, type RedisMigrationReport } from './migrate.js';
import { clusterServerError, resolveOptions, type RedisStoreOptions } from './options.js';
import { createRedisOutbox, type RedisRunner } from './outbox.js';
import { createReads } from './reads.js';

/**
 * The Redis store: a {@link StateStore}, plus `migrate()` from 0.1 and its key layout.
 *
 * @example
 * ```ts
 * const store: RedisStore = redisStore({ url: 'redis://127.0.0.1:6379' });
 * await store.ready();
 * const states = await store.findByMessage({ messageId: 'wamid.X' });
 * ```
 */
export interface RedisStore extends StateStore {
  /**
   * Moves data written by bluetick 0.1 under this prefix to the current layout (joining the states
   * 0.1 split by the host's spelling of the account or the number). Idempotent, safe to run in
   * several processes at once; stop 0.1 receivers first. `ready()` rejects with ConfigError
   * `migration_required` while 0.1 data waits.
   */
  migrate(): Promise<RedisMigrationReport>;
  /** The keys this store reads and writes (for inspection, cleanup and tests). */
  readonly keys: KeyLayout;
}

/**
 * Creates a Redis {@link StateStore}.
 *
 * @example
 * ```ts
 * import { createTracker } from 'bluetick';
 * import { redisStore } from 'bluetick/redis';
 *
 * const store = redisStore({ url: process.env.REDIS_URL!, prefix: 'wa:' }); // ioredis is imported lazily
 * const tracker = createTracker({ store }); // tracker.close() closes the store (and quits its client)
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  const o = resolveOptions(options);
  const keys = createKeyLayout(o.prefix);
  const conn = createConnection(o.source, o.timeoutMs);
  const legacyStale = STALE_RANKS.map((r) => `${o.prefix}stale:${r}`);

  /** Runs `fn` on a ready client within the timeout, mapping every failure to a StorageError. */
  const run: RedisRunner = async <T>(op: string, fn: (c: Redis) => Promise<T>, script = false): Promise<T> => {
    try {
      const c = await conn.ready();
      return await withTimeout(fn(c), o.timeoutMs, op);
    } catch (err) {
      throw toRedisStorageError(err, op, script);
    }
  };

  const ctx = { keys, stateTtlMs: o.stateTtlMs, outboxTtlMs: o.outboxTtlMs };
  const store: RedisStore = {
    keys,
    ...createReads(run, keys),
    outbox: createRedisOutbox({ run, keys, ttlMs: o.outboxTtlMs, maxDeadLetters: o.maxDeadLetters }),
    async ingest(step) {
      checkStep(step);
      return run('ingest', (c) => ingestStep(c, ctx, step), true);
    },
    async ready() {
      const [cluster, version, legacy] = await run('ready', async (c) => {
        const replies = (await c.pipeline().info('cluster').get(keys.version).exists(...legacyStale).exec()) ?? [];
        return replies.map(([err, value], i) => {
          // INFO may be renamed or forbidden on a managed server: then the check is skipped.
          if (err && i > 0) throw err;
          return err ? '' : value;
        });
      });
      if (/cluster_enabled:1/.test(String(cluster))) throw clusterServerError();
      if (version !== LAYOUT_VERSION && Number(legacy) > 0) {
        throw new ConfigError(
          'migration_required',
          `redisStore(): the prefix "${o.prefix}" holds data written by bluetick 0.1; run \`await store.migrate()\` once (stop 0.1 receivers first). See docs/redis.md#migrating-from-01.`,
        );
      }
    },
    async ping() {
      await run('ping', (c) => c.ping());
    },
    migrate: () => migrateV01(run, keys, (step) => store.ingest(step)),
    close: () => conn.close(),
  };
  return store;
}
