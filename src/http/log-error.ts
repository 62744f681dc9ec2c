import type { WebhookLogger } from './types.js';

/**
 * What the handler's own log lines say about an error: its class, its codes, and (for errors that
 * are not bluetick's) where it was thrown. Never its message: a driver's message carries the
 * failing row, PostgreSQL's `where`/`detail` carry payload fragments, a tracking key carries a
 * phone number, and `JSON.parse` quotes the body. Your own `onError` still receives the error
 * itself.
 */
export interface LoggedError {
  /** The error's class (`StorageError`, `TypeError`, …). */
  name: string;
  /** Its stable code (`query_failed`, `ECONNREFUSED`, …), when it has one. */
  code?: string;
  /** The HTTP status a bluetick error maps to. */
  status?: number;
  /** The codes of its causes, outermost first (a SQLSTATE such as `23505`, a socket errno, …). */
  causes?: string[];
  /** The first stack frame, for errors that are not bluetick's own (a bug, a dependency). */
  at?: string;
}

// Codes and class names are identifiers; anything else (a sentence, a value) is not logged.
const IDENTIFIER = /^[A-Za-z0-9_.$-]{1,64}$/;

function identifier(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && IDENTIFIER.test(value) ? value : undefined;
}

function nameOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return typeof error;
  const name = identifier((error as { name?: unknown }).name) ?? identifier((error as object).constructor?.name);
  return name ?? 'Error';
}

function firstFrame(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  if (typeof stack !== 'string') return undefined;
  // Frames are "    at fn (file:line:col)"; the lines before them are the message, skipped.
  const frame = stack.split('\n').find((line) => /^\s+at /.test(line));
  return frame?.trim().slice(3, 300);
}

/**
 * Reduces an error to what may be logged.
 *
 * @example
 * ```ts
 * loggedError(new StorageError('query_failed', 'failed for 15551234567'));
 * // { name: 'StorageError', code: 'query_failed', status: 503 }
 * ```
 */
export function loggedError(error: unknown): LoggedError {
  const out: LoggedError = { name: nameOf(error) };
  if (error === null || typeof error !== 'object') return out;
  const e = error as { code?: unknown; status?: unknown; cause?: unknown };
  const code = identifier(e.code);
  if (code !== undefined) out.code = code;
  const ours = typeof e.status === 'number' && code !== undefined && error instanceof Error && 'status' in error;
  if (ours) out.status = e.status as number;
  const causes: string[] = [];
  let cause = e.cause;
  for (let depth = 0; depth < 4 && cause !== null && typeof cause === 'object'; depth++) {
    const c = identifier((cause as { code?: unknown }).code);
    if (c !== undefined) causes.push(c);
    cause = (cause as { cause?: unknown }).cause;
  }
  if (causes.length > 0) out.causes = causes;
  if (!ours) {
    const at = firstFrame(error);
    if (at !== undefined) out.at = at;
  }
  return out;
}

/** One line: `StorageError query_failed (503), cause 23502`. */
export function describeLoggedError(e: LoggedError): string {
  let text = e.name;
  if (e.code !== undefined) text += ` ${e.code}`;
  if (e.status !== undefined) text += ` (${e.status})`;
  if (e.causes !== undefined) text += `, cause ${e.causes.join(' < ')}`;
  if (e.at !== undefined) text += `, at ${e.at}`;
  return text;
}

/**
 * Logs `[bluetick] <what>: <class> <code> …` with the {@link LoggedError} as the second argument,
 * never the error itself.
 *
 * @example
 * ```ts
 * logError(console, 'webhook ingestion failed', error);
 * ```
 */
export function logError(logger: WebhookLogger, what: string, error: unknown): void {
  const safe = loggedError(error);
  logger.error(`[bluetick] ${what}: ${describeLoggedError(safe)}`, safe);
}
