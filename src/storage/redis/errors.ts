/**
 * Maps what ioredis throws to {@link StorageError}s with a stable code, so the tracker and the
 * webhook handler see one error type (503, the provider retries) whatever went wrong:
 *
 * - `unavailable`: no connection (refused, reset, closed, offline queue off or exhausted), or a
 *   transient server state (LOADING, READONLY, CLUSTERDOWN, OOM, BUSY, …);
 * - `timeout`: no answer within `timeoutMs` (a stalled server or network);
 * - `script_failed`: a script raised (corrupt stored JSON, a key of the wrong type);
 * - `command_failed`: any other error reply;
 * - `closed`: the store was closed.
 */
import { BluetickError, StorageError } from '../../errors.js';
import { describeValue } from '../../internal/describe.js';

/**
 * Codes of the errors the Redis store raises.
 *
 * @example
 * ```ts
 * if (err instanceof StorageError && (err.code as RedisStorageErrorCode) === 'timeout') retryLater();
 * ```
 */
export type RedisStorageErrorCode = 'unavailable' | 'timeout' | 'closed' | 'script_failed' | 'command_failed';

const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|OOM|BUSY|NOREPLICAS|MISCONF)\b/;

/**
 * The {@link StorageError} for an ioredis failure (bluetick's own errors pass through unchanged:
 * a `ConfigError` for a missing ioredis must stay a configuration mistake, not a 503).
 *
 * @example
 * ```ts
 * try { await client.get(k) } catch (err) { throw toRedisStorageError(err, 'get') }
 * ```
 */
export function toRedisStorageError(err: unknown, op: string, script = false): BluetickError {
  if (err instanceof BluetickError) return err;
  const e = err as { name?: unknown; message?: unknown } | null;
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : describeValue(err);
  if (name === 'ReplyError') {
    if (TRANSIENT_REPLY.test(message)) return new StorageError('unavailable', `Redis ${op}: ${message}`, { cause: err });
    if (script) return new StorageError('script_failed', `Redis ${op}: the script failed: ${message}`, { cause: err });
    return new StorageError('command_failed', `Redis ${op}: ${message}`, { cause: err });
  }
  if (/timed out/i.test(message)) return new StorageError('timeout', `Redis ${op}: ${message}`, { cause: err });
  return new StorageError('unavailable', `Redis ${op}: ${message}`, { cause: err });
}

/** A NOSCRIPT reply: the server lost its script cache (restart, SCRIPT FLUSH, failover). */
export function isNoScript(err: unknown): boolean {
  const message = (err as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.startsWith('NOSCRIPT');
}

/**
 * Rejects with StorageError `timeout` when `work` has not settled within `ms`. The command itself
 * cannot be cancelled: a step that times out may still run later, whole (scripts are atomic), and
 * a retry then finds its claims taken and its merges already joined.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, op: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageError('timeout', `Redis ${op}: no answer within ${ms} ms.`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
