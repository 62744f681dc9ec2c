import { BluetickError } from '../errors.js';

/** Why the tracker refused a call. */
export type TrackingErrorCode = 'invalid_input' | 'unresolved_key' | 'unsupported' | 'closed';

const STATUS: Record<TrackingErrorCode, number> = { invalid_input: 400, unresolved_key: 400, unsupported: 501, closed: 503 };

/**
 * A tracker call that cannot be answered as asked: input that is not canonical events, a
 * `track()` without a provider, a query the store does not implement, or a call after `close()`.
 *
 * @example
 * ```ts
 * try { await tracker.ingest(rawBody) } catch (err) {
 *   if (err instanceof TrackingError && err.code === 'invalid_input') console.error(err.message);
 * }
 * ```
 */
export class TrackingError extends BluetickError {
  declare readonly code: TrackingErrorCode;

  constructor(code: TrackingErrorCode, message: string) {
    super(code, message, STATUS[code]);
  }
}
