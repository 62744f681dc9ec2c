import { BluetickError } from '../errors.js';
import type { ReconcileReport } from './types.js';

/** Why a reconciliation run stopped. */
export type ReconcileErrorCode = 'unauthorized' | 'forbidden' | 'rate_limited';

const STATUS: Record<ReconcileErrorCode, number> = { unauthorized: 500, forbidden: 500, rate_limited: 503 };

/**
 * A reconciliation run could not go on: the provider refused the API key (`unauthorized`, HTTP
 * 401) or its permissions (`forbidden`, 403), or asked to wait longer than the source accepts
 * (`rate_limited`). `report` holds what the run did before it stopped, when it had started.
 *
 * @example
 * ```ts
 * try { await reconciler.run() } catch (err) {
 *   if (err instanceof ReconcileError && err.code === 'unauthorized') alert('WASender API key rejected');
 * }
 * ```
 */
export class ReconcileError extends BluetickError {
  declare readonly code: ReconcileErrorCode;
  /** The run's counts up to the stop (set by the reconciler). */
  report?: ReconcileReport;

  constructor(code: ReconcileErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, STATUS[code], options);
  }
}
