import { BluetickError } from '../errors.js';

/** Why the tracker refused a call. */
export type TrackingErrorCode = 'ambiguous_message' | 'unresolved_key' | 'unsupported' | 'closed';

/**
 * A tracker call that cannot be answered as asked: a message id matching several states without
 * a participant/recipient to choose, a `track()` without a provider, a query the store does not
 * implement, or a call after `close()`.
 *
 * @example
 * ```ts
 * try { await tracker.getState('wamid.X') } catch (err) {
 *   if (err instanceof TrackingError && err.code === 'ambiguous_message') { … }
 * }
 * ```
 */
export class TrackingError extends BluetickError {
  declare readonly code: TrackingErrorCode;

  constructor(code: TrackingErrorCode, message: string) {
    super(code, message, 500);
  }
}
