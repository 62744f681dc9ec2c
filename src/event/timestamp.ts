/**
 * Provider timestamps arrive as strings or numbers, in seconds (Meta), milliseconds (WASender
 * envelopes) or occasionally microseconds. We normalize by magnitude rather than by provider,
 * because the same provider is not consistent with itself.
 */

const MS_THRESHOLD = 1e11; // 1e11 s is the year 5138; 1e11 ms is 1973.
const US_THRESHOLD = 1e14; // 1e14 ms is the year 5138.

/**
 * Converts a provider timestamp to ISO-8601 UTC, or returns `undefined` when it is missing or
 * not a usable number (`"asdf"`, `NaN`, negative, absurdly large).
 *
 * @example
 * ```ts
 * toIsoTimestamp('1603059201');      // '2020-10-18T22:13:21.000Z'
 * toIsoTimestamp(1747775431467);     // '2025-05-20T21:10:31.467Z'
 * toIsoTimestamp('asdf');            // undefined
 * ```
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.length > 0 && value.length < 24) n = Number(value);
  else return undefined;
  if (!Number.isFinite(n) || n <= 0) return undefined;
  const ms = n < MS_THRESHOLD ? n * 1000 : n < US_THRESHOLD ? n : n / 1000;
  const date = new Date(Math.floor(ms));
  const time = date.getTime();
  // Date supports ±8.64e15 ms; anything past that prints "Invalid Date" and toISOString throws.
  return Number.isNaN(time) ? undefined : date.toISOString();
}
