import { BluetickError, ConfigError } from '../errors.js';
import type { NormalizeResult } from '../event/types.js';
import type { ResolvedOptions } from './options.js';
import { logError } from './log-error.js';
import { errorResponse } from './responses.js';
import type { WebhookResponse } from './types.js';

class IngestTimeout extends Error {}

/** Runs the tracker (once it is ready) and then `onEvents` for one batch. */
export async function runIngest(result: NormalizeResult, options: ResolvedOptions): Promise<void> {
  if (options.tracker !== undefined) {
    await options.ready();
    await options.tracker.ingest(result);
  }
  if (options.onEvents !== undefined) await options.onEvents(result);
}

/**
 * Ingests under `ingestTimeoutMs`. Resolves to `null` on success, or to the 503 that makes the
 * provider retry (store unavailable, timeout, `onEvents` failure). The work is not cancelled on
 * timeout; a redelivery is harmless because event ids are deterministic and claimed once.
 */
export async function ingestWithTimeout(result: NormalizeResult, options: ResolvedOptions): Promise<WebhookResponse | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IngestTimeout()), options.ingestTimeoutMs);
  });
  const work = runIngest(result, options);
  try {
    await Promise.race([work, timeout]);
    return null;
  } catch (error) {
    if (error instanceof ConfigError) {
      options.warnOnce(`config:${error.code}`, `The tracker is misconfigured (${error.code}): ${error.message}`);
      return errorResponse(500, 'config_error', 'The webhook receiver is misconfigured; see its logs.');
    }
    if (error instanceof IngestTimeout) {
      work.catch(options.onError);
      return errorResponse(503, 'ingest_timeout', `Ingestion did not finish within ${options.ingestTimeoutMs} ms; retry later.`, undefined, { 'retry-after': '5' });
    }
    if (error instanceof BluetickError && error.status === 503) {
      return errorResponse(503, error.code, `The event store is unavailable (${error.code}); retry later.`, undefined, { 'retry-after': '5' });
    }
    logError(options.logger, 'webhook ingestion failed', error);
    return errorResponse(503, 'ingest_failed', 'The events could not be processed; retry later.', undefined, { 'retry-after': '5' });
  } finally {
    clearTimeout(timer);
  }
}
