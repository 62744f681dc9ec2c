import { BluetickError } from '../errors.js';

/** Why an analytics call was refused. */
export type AnalyticsErrorCode = 'invalid_query' | 'invalid_conversion' | 'unsupported';

/**
 * An analytics call that cannot be answered: a window with unusable bounds, a conversion without a
 * finite value or a currency, or a store that does not implement the method.
 *
 * @example
 * ```ts
 * try { await tracker.funnel({ from: 'yesterday', to: Date.now() }) } catch (err) {
 *   if (err instanceof AnalyticsError && err.code === 'invalid_query') { … }
 * }
 * ```
 */
export class AnalyticsError extends BluetickError {
  declare readonly code: AnalyticsErrorCode;

  constructor(code: AnalyticsErrorCode, message: string) {
    super(code, message, code === 'unsupported' ? 501 : 400);
  }
}
