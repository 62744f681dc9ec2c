import { phoneDigits } from './read.js';

/**
 * {@link phoneDigits} with a fast path: a value that is already bare digits (nearly every
 * `wa_id`, `recipient_id` and JID user part) is returned as is, without running two regular
 * expressions per person on the hot path.
 *
 * @example
 * ```ts
 * digitsOf('16315551234');        // '16315551234' (fast path)
 * digitsOf('+1 631-555-1234');     // '16315551234'
 * ```
 */
export function digitsOf(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return phoneDigits(value);
  }
  return value;
}
