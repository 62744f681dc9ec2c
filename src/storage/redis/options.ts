/**
 * Options of `redisStore()` and their checks: one options object, every key known (a misplaced
 * option is a `ConfigError` that names the right place, not silently ignored), and no Redis
 * Cluster client.
 */
import { ConfigError } from '../../errors.js';
import type { RedisClient } from './connection.js';

/**
 * Settings of {@link RedisStoreOptions} besides the connection.
 *
 * @example
 * ```ts
 * const settings: RedisStoreSettings = { prefix: 'wa:', stateTtlMs: 14 * 86_400_000 };
 * ```
 */
export interface RedisStoreSettings {
  /** Prefix of every key. May not contain `{` or `}`. Default `bluetick:`. */
  prefix?: string;
  /** An untouched state (and its index entries and alias) expires after this. Default 30 days. */
  stateTtlMs?: number;
  /**
   * Bound on every operation: waiting for a (re)connection, then the command itself. Past it the
   * call rejects with StorageError `unavailable` (not connected) or `timeout`. Default 2000 ms.
   */
  timeoutMs?: number;
  /** Outbox keys (records and dead letters) expire when not written for this long. Default 30 days. */
  outboxTtlMs?: number;
  /** Dead letters kept per consumer; past it the oldest go first. Default 100 000. */
  maxDeadLetters?: number;
}

/**
 * Options of `redisStore()`: your ioredis `client` (left open by `close()`), or a `url` (the
 * store imports ioredis lazily, creates a fail-fast client and quits it on `close()`).
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { url: 'redis://127.0.0.1:6379', prefix: 'wa:', stateTtlMs: 14 * 86_400_000 };
 * ```
 */
export type RedisStoreOptions = ({ client: RedisClient; url?: undefined } | { url: string; client?: undefined }) & RedisStoreSettings;

/** The options after checks and defaults. */
export interface ResolvedOptions {
  source: { client: RedisClient } | { url: string };
  prefix: string;
  stateTtlMs: number;
  timeoutMs: number;
  outboxTtlMs: number;
  maxDeadLetters: number;
}

const DAY = 86_400_000;
const KNOWN = new Set(['client', 'url', 'prefix', 'stateTtlMs', 'timeoutMs', 'outboxTtlMs', 'maxDeadLetters']);
const CONNECTION_KEYS = new Set(['host', 'port', 'password', 'username', 'db', 'tls', 'sentinels', 'name', 'connectionName', 'redis', 'redisOptions']);
const POSTGRES_KEYS = new Set(['connectionString', 'pool', 'schema', 'tablePrefix', 'pglite', 'max']);

function hint(key: string): string {
  if (key === 'staleIndex') return ' The stale index is always kept now (Redis Cluster is no longer supported, see docs/redis.md).';
  if (CONNECTION_KEYS.has(key)) return ' Connection settings go in the `url` (redis://user:pass@host:6379/0) or in your own ioredis client passed as `client`.';
  if (POSTGRES_KEYS.has(key)) return ' That is a PostgreSQL option: use postgresStore() from bluetick/postgres.';
  return '';
}

const CLUSTER_MESSAGE =
  'redisStore(): Redis Cluster is not supported. One ingest step is ONE Lua script that claims the events and merges the states of many messages ' +
  'and appends their outbox records atomically; those keys live in many hash slots, and Redis Cluster runs a script only when every key it ' +
  'touches is in one slot. Use a standalone Redis, or Sentinel for failover (new Redis({ sentinels, name })). See docs/redis.md#redis-cluster.';

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError('invalid_option', `redisStore(): ${name} must be a positive number of ${name === 'maxDeadLetters' ? 'records' : 'milliseconds'}, got ${String(value)}.`);
  }
  return value;
}

/**
 * Checks the options of `redisStore()` and fills in defaults; throws `ConfigError` for unknown
 * keys, a missing or double connection, a Cluster client and bad values.
 */
export function resolveOptions(options: RedisStoreOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError('invalid_option', 'redisStore(): pass one options object: { url } or { client }, plus prefix, stateTtlMs, … (docs/redis.md).');
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) {
      throw new ConfigError('invalid_option', `redisStore(): unknown option \`${key}\`. Known options: ${[...KNOWN].join(', ')}.${hint(key)}`);
    }
  }
  const o = options as RedisStoreSettings & { client?: unknown; url?: unknown };
  const hasClient = o.client !== undefined;
  const hasUrl = o.url !== undefined;
  if (hasClient === hasUrl) {
    throw new ConfigError('invalid_option', `redisStore(): give exactly one of \`client\` (your ioredis client) or \`url\` (redis://…), ${hasClient ? 'not both' : 'got neither'}.`);
  }
  let source: ResolvedOptions['source'];
  if (hasClient) {
    const client = o.client as { isCluster?: unknown; evalsha?: unknown } | null;
    if (client === null || typeof client !== 'object' || typeof client.evalsha !== 'function') {
      throw new ConfigError('invalid_option', 'redisStore(): `client` must be an ioredis client (new Redis(…) from the ioredis package).');
    }
    if (client.isCluster === true) throw new ConfigError('cluster_unsupported', CLUSTER_MESSAGE);
    source = { client: o.client as RedisClient };
  } else {
    if (typeof o.url !== 'string' || o.url === '') throw new ConfigError('invalid_option', 'redisStore(): `url` must be a redis:// or rediss:// URL string.');
    source = { url: o.url };
  }
  return {
    source,
    prefix: o.prefix ?? 'bluetick:',
    stateTtlMs: positive('stateTtlMs', o.stateTtlMs, 30 * DAY),
    timeoutMs: positive('timeoutMs', o.timeoutMs, 2000),
    outboxTtlMs: positive('outboxTtlMs', o.outboxTtlMs, 30 * DAY),
    maxDeadLetters: Math.floor(positive('maxDeadLetters', o.maxDeadLetters, 100_000)),
  };
}

/** The error `ready()` raises when it finds the server is a Cluster node (a `url` to a Cluster). */
export function clusterServerError(): ConfigError {
  return new ConfigError('cluster_unsupported', `${CLUSTER_MESSAGE} (The server at this url has cluster_enabled:1.)`);
}
