/**
 * Errors a sink throws to tell the dispatcher whether (and what) to retry.
 *
 * @packageDocumentation
 */
import { BluetickError } from '../errors.js';
import type { CanonicalEvent } from '../event/types.js';

/**
 * A sink could not deliver a batch. `retryable` says whether trying again later can help
 * (timeouts, 5xx, 429, lost connections) or not (4xx, invalid payload).
 *
 * @example
 * ```ts
 * if (res.status >= 500) throw new SinkError('http_5xx', `receiver answered ${res.status}`, { retryable: true });
 * ```
 */
export class SinkError extends BluetickError {
  /** Whether the dispatcher should retry the batch. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    // 502: a downstream destination failed (this error never reaches a webhook response).
    super(code, message, 502, { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/**
 * Some events of a batch failed and the rest were delivered (Firehose `FailedPutCount`, a bulk
 * API's per-item results). `failed` are retried; `rejected` can never succeed and go straight
 * to the dead-letter sink. Events not named in either are counted as delivered.
 *
 * @example
 * ```ts
 * throw new PartialBatchError({ failed: [batch[3]], rejected: [batch[7]], message: '2 of 10 records failed' });
 * ```
 */
export class PartialBatchError extends SinkError {
  /** Events to retry. */
  readonly failed: CanonicalEvent[];
  /** Events that must not be retried (dead-lettered as `non_retryable`). */
  readonly rejected: CanonicalEvent[];

  constructor(options: { failed?: CanonicalEvent[]; rejected?: CanonicalEvent[]; message?: string; cause?: unknown }) {
    const failed = options.failed ?? [];
    const rejected = options.rejected ?? [];
    super(
      'partial_batch',
      options.message ?? `${failed.length} event(s) failed, ${rejected.length} rejected`,
      { retryable: failed.length > 0, cause: options.cause },
    );
    this.failed = failed;
    this.rejected = rejected;
  }
}

/**
 * Whether an error thrown by a sink is worth retrying. Unknown errors are retryable: a sink that
 * does not classify its failures gets the benefit of the doubt, bounded by the retry budget.
 *
 * @example
 * ```ts
 * isRetryableSinkError(new SinkError('http_4xx', 'bad request', { retryable: false })); // false
 * ```
 */
export function isRetryableSinkError(error: unknown): boolean {
  if (error instanceof SinkError) return error.retryable;
  return true;
}
