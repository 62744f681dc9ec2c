/** Validation of funnel queries and conversions, shared by every store. */
import type { FailedPolicy } from '../state/present.js';
import { AnalyticsError } from './errors.js';
import type { ConversionInput, ConversionRecord, FunnelQuery, StoreFunnelQuery, TimeInput } from './types.js';

/** Epoch ms of a time input, or NaN. */
export function toMs(t: TimeInput): number {
  if (t instanceof Date) return t.getTime();
  if (typeof t === 'number') return t;
  return Date.parse(t);
}

/**
 * Resolves a funnel query: bounds to whole epoch milliseconds, checked and ordered.
 *
 * @example
 * ```ts
 * resolveFunnelQuery({ from: '2025-01-01', to: '2025-01-02' }, 'delivery-wins').fromMs; // 1735689600000
 * ```
 */
export function resolveFunnelQuery(q: FunnelQuery, failedPolicy: FailedPolicy): StoreFunnelQuery {
  const fromMs = Math.ceil(toMs(q.from));
  const toMsValue = Math.ceil(toMs(q.to));
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMsValue) || fromMs < 0 || toMsValue <= fromMs) {
    throw new AnalyticsError('invalid_query', `funnel(): give from < to as ISO strings, Dates or epoch ms (got ${String(q.from)} … ${String(q.to)}).`);
  }
  if (q.groupBy !== undefined && q.groupBy !== 'day' && q.groupBy !== 'hour') {
    throw new AnalyticsError('invalid_query', `funnel(): groupBy must be 'day' or 'hour'.`);
  }
  const out: StoreFunnelQuery = { fromMs, toMs: toMsValue, failedPolicy };
  if (q.accountId !== undefined) out.accountId = q.accountId;
  if (q.campaign !== undefined) out.campaign = q.campaign;
  if (q.provider !== undefined) out.provider = q.provider;
  if (q.tracked !== undefined) out.tracked = q.tracked === true;
  if (q.groupBy !== undefined) out.groupBy = q.groupBy;
  return out;
}

/**
 * Builds the stored conversion: value in integer millionths (sums exactly everywhere), currency
 * upper-cased, a random id unless the host gives one (an order id makes it idempotent).
 */
export function toConversion(messageId: string, input: ConversionInput, now: number): ConversionRecord {
  if (typeof input.value !== 'number' || !Number.isFinite(input.value)) {
    throw new AnalyticsError('invalid_conversion', 'recordConversion(): value must be a finite number.');
  }
  const currency = typeof input.currency === 'string' ? input.currency.trim().toUpperCase() : '';
  if (currency === '') throw new AnalyticsError('invalid_conversion', 'recordConversion(): give a currency (ISO 4217 code).');
  const valueMicros = Math.round(input.value * 1e6);
  if (!Number.isSafeInteger(valueMicros)) throw new AnalyticsError('invalid_conversion', 'recordConversion(): value is too large.');
  const at = input.at === undefined ? now : toMs(input.at);
  if (!Number.isFinite(at)) throw new AnalyticsError('invalid_conversion', `recordConversion(): invalid at ${String(input.at)}.`);
  return { id: input.id ?? globalThis.crypto.randomUUID(), messageId, valueMicros, currency, at: Math.round(at) };
}
