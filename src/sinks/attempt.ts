/**
 * One write attempt bounded by a timeout. Internal to the dispatcher.
 */
import { SinkError } from './errors.js';
import { describeValue } from '../internal/describe.js';

/**
 * Runs `write` with a fresh AbortSignal and rejects with a retryable `sink_timeout` after
 * `timeoutMs` (0 or Infinity disables the cut). When `parent` aborts (shutdown), the attempt is
 * cut with the parent's reason. A write that keeps running after the cut has its eventual
 * rejection swallowed: the dispatcher already counted the attempt as failed, and a background
 * rejection must never become an unhandled one.
 */
export async function writeWithTimeout(
  write: (signal: AbortSignal) => Promise<void>,
  timeoutMs: number,
  label: string,
  parent?: AbortSignal,
): Promise<void> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onParentAbort: (() => void) | undefined;
  const cut = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
    if (Number.isFinite(timeoutMs) && timeoutMs > 0) {
      timer = setTimeout(() => {
        controller.abort(new SinkError('sink_timeout', `${label}: write did not settle within ${timeoutMs} ms`, { retryable: true }));
      }, timeoutMs);
    }
    if (parent) {
      onParentAbort = () => controller.abort(parent.reason);
      if (parent.aborted) onParentAbort();
      else parent.addEventListener('abort', onParentAbort, { once: true });
    }
  });
  cut.catch(() => {});
  const attempt = Promise.resolve().then(() => write(controller.signal));
  attempt.catch(() => {});
  try {
    await Promise.race([attempt, cut]);
  } finally {
    clearTimeout(timer);
    if (parent && onParentAbort) parent.removeEventListener('abort', onParentAbort);
  }
}

/** p-retry only accepts `Error` instances; anything else a sink throws is wrapped, kept as `cause`. */
export function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new SinkError('sink_failed', `sink threw a non-Error value: ${describeValue(error)}`, { retryable: true, cause: error });
}

/** A readable one-line summary of an error for dead-letter info. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return describeValue(error);
}
