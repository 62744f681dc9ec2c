/**
 * HTTP plumbing of polling sources, on the global `fetch` (Node 20+, every Web runtime): one GET
 * bounded by a timeout that covers the body too (a server that sends headers and then stalls is
 * as slow as one that sends nothing), and the reading of a rate-limit answer's wait.
 */
import { describeValue } from '../internal/describe.js';

/** The outcome of one request. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON, else the text, else null. */
  body: unknown;
}

/** A request that did not complete in time (or failed on the network): worth retrying. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/**
 * GETs `url` with `headers`, aborted by `signal` (the run) or after `timeoutMs` (a
 * {@link TransientError}). A run's abort rejects with the signal's reason.
 *
 * @example
 * ```ts
 * const { status, body } = await getJson(url, { authorization: `Bearer ${key}` }, 10_000, signal);
 * ```
 */
export async function getJson(url: string, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<HttpAnswer> {
  if (signal.aborted) throw signal.reason;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const relay = () => controller.abort(signal.reason);
  signal.addEventListener('abort', relay, { once: true });
  try {
    const res = await fetch(url, { method: 'GET', headers, signal: controller.signal });
    const text = await res.text();
    let body: unknown = null;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = text;
      }
    }
    return { status: res.status, headers: res.headers, body };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (timedOut) throw new TransientError(`no complete answer within ${timeoutMs} ms`, { cause: error });
    throw new TransientError(`request failed: ${error instanceof Error ? error.message : describeValue(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', relay);
  }
}

/**
 * Milliseconds a rate-limit answer asks to wait: the `Retry-After` header (seconds, or an HTTP
 * date), else a `retry_after` field in seconds in the body (WASenderApi sends one), else
 * `fallbackMs`.
 *
 * @example
 * ```ts
 * retryAfterMs(new Headers({ 'retry-after': '2' }), null, 1000, Date.now()); // 2000
 * ```
 */
export function retryAfterMs(headers: Headers, body: unknown, fallbackMs: number, now: number): number {
  const header = headers.get('retry-after')?.trim();
  if (header !== undefined && header !== '') {
    if (/^\d+(\.\d+)?$/.test(header)) return Math.ceil(Number(header) * 1000);
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const field = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).retry_after : undefined;
  const seconds = typeof field === 'number' ? field : typeof field === 'string' ? Number(field) : Number.NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  return fallbackMs;
}
