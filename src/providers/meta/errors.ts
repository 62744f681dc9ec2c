import { toProviderError } from '../../event/error-classes.js';
import type { ProviderError } from '../../event/types.js';

/**
 * A Meta `errors` value (value, status or message level) as {@link ProviderError}s: every slot
 * of an array (a hole or a junk entry becomes code `"unknown"`, it never leaves a hole in the
 * event), a lone object sent without its array as one error, anything else as none. Indexed on
 * purpose: `Array.prototype.map` would keep a sparse array's holes, and a hole is not an error.
 *
 * @example
 * ```ts
 * metaErrors([{ code: 470, title: 'Re-engagement message' }]); // [{ code: '470', title: '…', class: 'policy' }]
 * metaErrors(undefined); // []
 * ```
 */
export function metaErrors(value: unknown): ProviderError[] {
  if (!Array.isArray(value)) return value !== null && typeof value === 'object' ? [toProviderError(value)] : [];
  const out: ProviderError[] = [];
  for (let i = 0; i < value.length; i++) out.push(toProviderError(value[i]));
  return out;
}
