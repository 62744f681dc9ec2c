/**
 * The store's handle on its ioredis client: the user's own (left open on close) or one created
 * from a URL with a lazy `import('ioredis')` and fail-fast settings (closed on close). The import
 * starts when the store is constructed, so `ready()` answers at once, and a missing package is a
 * `ConfigError` naming `npm install ioredis`, never a retryable outage.
 *
 * Fail fast: ioredis queues commands while disconnected and resends in-flight ones after a
 * reconnect, so a store over a dead Redis would hang for as long as ioredis keeps retrying, and a
 * step could run long after its caller gave up. `ready()` therefore sends nothing unless the
 * client is `ready`: while it is (re)connecting it waits at most `timeoutMs`, then rejects with
 * StorageError `unavailable`. Nothing enters the offline queue.
 */
import type { Redis, RedisOptions } from 'ioredis';
import { StorageError } from '../../errors.js';
import { importOptionalPeer } from '../../internal/optional-peer.js';

/**
 * A standalone or Sentinel ioredis client (`new Redis(…)`). Redis Cluster is not supported: see
 * docs/redis.md.
 *
 * @example
 * ```ts
 * const client: RedisClient = new Redis(url, failFastOptions(2000));
 * ```
 */
export type RedisClient = Redis;

/** A client handle. */
export interface Connection {
  /** The client, once it is ready; rejects with StorageError `unavailable` / `closed`, or ConfigError (no ioredis). */
  ready(): Promise<Redis>;
  close(): Promise<void>;
}

/**
 * Options of a client the store creates from a URL: commands fail instead of waiting in the
 * offline queue, in-flight commands are not replayed after a reconnect, and every command has a
 * timeout. These are the settings docs/redis.md recommends for a client you pass yourself.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * const client = new Redis(process.env.REDIS_URL!, failFastOptions(2000));
 * ```
 */
export function failFastOptions(timeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    lazyConnect: false,
  };
}

function waitReady(client: Redis, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: StorageError) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
      if (err) reject(err);
      else resolve();
    };
    const onReady = () => done();
    const onEnd = () => done(new StorageError('unavailable', 'Redis: the connection ended and will not be retried.'));
    const timer = setTimeout(() => done(new StorageError('unavailable', `Redis: not connected (still ${client.status} after ${ms} ms).`)), ms);
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
}

/** Creates the connection handle of a store; with a URL, starts importing ioredis and connecting now. */
export function createConnection(source: { client: Redis } | { url: string }, timeoutMs: number): Connection {
  const owned = !('client' in source);
  let client: Redis | undefined = 'client' in source ? source.client : undefined;
  let closed = false;
  // One wait shared by every caller, so a burst of calls while connecting adds one listener.
  let waiting: Promise<void> | undefined;
  const opening: Promise<Redis> | undefined = owned
    ? (async () => {
        const { Redis } = await importOptionalPeer('bluetick/redis', 'ioredis', () => import('ioredis'));
        const created = new Redis((source as { url: string }).url, failFastOptions(timeoutMs));
        // Errors surface through commands; without a listener ioredis would log every reconnect.
        created.on('error', () => {});
        client = created;
        if (closed) created.disconnect();
        return created;
      })()
    : undefined;
  // Rejections are read by ready(); this keeps one that nobody awaits from crashing the process.
  opening?.catch(() => {});

  return {
    async ready() {
      if (closed) throw new StorageError('closed', 'The Redis store is closed.');
      const c = client ?? (await (opening as Promise<Redis>));
      if (c.status === 'ready') return c;
      if (c.status === 'end') throw new StorageError('unavailable', 'Redis: the connection has ended (the client was quit or gave up reconnecting).');
      if (c.status === 'wait') c.connect().catch(() => {});
      waiting ??= waitReady(c, timeoutMs).finally(() => (waiting = undefined));
      await waiting;
      if (closed) throw new StorageError('closed', 'The Redis store is closed.');
      return c;
    },
    async close() {
      if (closed) return;
      closed = true;
      if (!owned) return;
      const c = client ?? (await opening?.catch(() => undefined));
      if (!c) return;
      // QUIT lets pending replies arrive; bounded, because it never answers on a dead connection.
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        await Promise.race([c.quit(), new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
      } catch {
        // quit fails when the connection is already gone: disconnect below is enough.
      } finally {
        clearTimeout(timer);
      }
      c.disconnect();
    },
  };
}
