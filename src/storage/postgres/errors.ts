/**
 * Maps driver failures (pg, PGlite) to {@link StorageError}s with stable codes, so the tracker
 * lets them through and the webhook handler answers 503 whatever went wrong underneath.
 */
import { StorageError } from '../../errors.js';
import { describeValue } from '../../internal/describe.js';

/** Codes of the StorageErrors the PostgreSQL store raises. */
export type PostgresErrorCode = 'unavailable' | 'timeout' | 'closed' | 'query_failed';

// Socket-level failures: the server is down, restarting, or the connection was cut.
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT']);

/** SQLSTATEs a retry of the same (atomic, already rolled back) statement may cure. */
export const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The StorageError code for a driver error. */
export function classify(err: unknown): PostgresErrorCode {
  const code = sqlState(err);
  const message = err instanceof Error ? err.message : describeValue(err);
  if (code !== undefined) {
    if (NETWORK.has(code)) return 'unavailable';
    // 08: connection exception; 57P01-03: admin shutdown, crash shutdown, cannot connect now;
    // 53300: too many connections.
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300') return 'unavailable';
    if (code === '57014') return 'timeout'; // query_canceled: statement_timeout fired
  }
  if (/timeout/i.test(message)) return 'timeout'; // pg: "timeout exceeded when trying to connect", "Query read timeout"
  if (/after calling end on the pool|pool is ended|PGlite is closed|Client was closed/i.test(message)) return 'closed';
  if (/Connection terminated|connection .*(closed|lost|ended)|not queryable|socket/i.test(message)) return 'unavailable';
  return 'query_failed';
}

/** Wraps a driver error as a StorageError (the original stays as `cause`). */
export function toStorageError(err: unknown, what: string): StorageError {
  if (err instanceof StorageError) return err;
  const code = classify(err);
  const detail = err instanceof Error ? err.message : describeValue(err);
  const state = sqlState(err);
  return new StorageError(code, `PostgreSQL ${what} failed (${code}${state ? `, ${state}` : ''}): ${detail}`, { cause: err });
}
