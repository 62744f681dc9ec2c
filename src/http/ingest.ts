import { BluetickError, ConfigError } from '../errors.js';
import type { NormalizeResult } from '../event/types.js';
import type { MaybePromise, ResolvedOptions } from './options.js';
import { logError } from './log-error.js';
import { errorResponse } from './responses.js';
import type { WebhookResponse } from './types.js';

/** Runs the tracker (once it is ready) and then `onEvents` for one batch. */
export async function runIngest(result: NormalizeResult, options: ResolvedOptions): Promise<void> {
  if (options.tracker !== undefined) {
    await options.ready();
    await options.tracker.ingest(result);
  }
  if (options.onEvents !== undefined) await options.onEvents(result);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** The answer to a failed ingestion: 500 for a configuration mistake, otherwise the 503 that makes the provider retry. */
function failure(error: unknown, options: ResolvedOptions): WebhookResponse {
  if (error instanceof ConfigError) {
    options.warnOnce(`config:${error.code}`, `The tracker is misconfigured (${error.code}): ${error.message}`);
    return errorResponse(500, 'config_error', 'The webhook receiver is misconfigured; see its logs.');
  }
  if (error instanceof BluetickError && error.status === 503) {
    return errorResponse(503, error.code, `The event store is unavailable (${error.code}); retry later.`, undefined, { 'retry-after': '5' });
  }
  logError(options.logger, 'webhook ingestion failed', error);
  return errorResponse(503, 'ingest_failed', 'The events could not be processed; retry later.', undefined, { 'retry-after': '5' });
}

/**
 * Waits for `work` at most `ingestTimeoutMs`: one promise and one timer, no `Promise.race`. After
 * the timeout the work is not cancelled (a redelivery is harmless: event ids are deterministic and
 * claimed once) and its late failure goes to `onError`.
 */
function withDeadline(work: PromiseLike<unknown>, options: ResolvedOptions): Promise<WebhookResponse | null> {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      resolve(errorResponse(503, 'ingest_timeout', `Ingestion did not finish within ${options.ingestTimeoutMs} ms; retry later.`, undefined, { 'retry-after': '5' }));
    }, options.ingestTimeoutMs);
    work.then(
      () => {
        clearTimeout(timer);
        resolve(null);
      },
      (error: unknown) => {
        if (timedOut) return options.onError(error);
        clearTimeout(timer);
        resolve(failure(error, options));
      },
    );
  });
}

/**
 * Ingests under `ingestTimeoutMs`: `null` on success, or the 503 that makes the provider retry
 * (store unavailable, timeout, `onEvents` failure), or 500 for a misconfigured tracker. Without a
 * tracker, an `onEvents` that returns no promise is settled synchronously: no promise, no timer.
 */
export function ingestWithTimeout(result: NormalizeResult, options: ResolvedOptions): MaybePromise<WebhookResponse | null> {
  if (options.tracker !== undefined) return withDeadline(runIngest(result, options), options);
  if (options.onEvents === undefined) return null;
  let returned: unknown;
  try {
    returned = options.onEvents(result);
  } catch (error) {
    return failure(error, options);
  }
  if (!isThenable(returned)) return null;
  return withDeadline(returned instanceof Promise ? returned : Promise.resolve(returned), options);
}
