/**
 * Deterministic event ids. An id is the idempotency key: provider retries and re-normalizing
 * the same body must produce the same id, two different logical items never share one.
 *
 * Items with a natural identity (a message id, a message id + status + recipient) get a readable
 * id built from it. Items without one (notifications, account errors) get a 64-bit content hash
 * of their stable parts, computed in plain JS so the core runs in every runtime.
 */
import { boundDepth } from './bounded-json.js';

/**
 * One id part, escaped the way {@link joinId} escapes every part: `%` doubled as `%25`, `:` as
 * `%3A`. Exported for the mappers' fixed-shape ids, which concatenate escaped parts directly
 * rather than allocating a parts array per item.
 *
 * @example
 * ```ts
 * idPart('wamid.X');       // 'wamid.X' (the common case: returned as is)
 * idPart('a:b');           // 'a%3Ab'
 * ```
 */
export function idPart(text: string): string {
  return text.includes(':') || text.includes('%') ? text.replace(/%/g, '%25').replace(/:/g, '%3A') : text;
}

/**
 * Joins id parts with `:`. Parts are provider values that may themselves contain `:`
 * (`wamid.…` does not, WASender JIDs may), so each part is escaped by {@link idPart},
 * keeping different part lists from ever colliding.
 *
 * @example
 * ```ts
 * joinId(['cloud', 'status', 'wamid.X', '', 'read']); // 'cloud:status:wamid.X::read'
 * ```
 */
export function joinId(parts: readonly (string | number | null | undefined)[]): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (i > 0) out += ':';
    if (part !== null && part !== undefined) out += idPart(typeof part === 'string' ? part : String(part));
  }
  return out;
}

/**
 * A 64-bit non-cryptographic hash (two independent 32-bit lanes of a murmur-style mix) as 16 hex
 * characters. Used for ids of items the provider gives no identity, never for security.
 *
 * @example
 * ```ts
 * contentHash('{"field":"account_update"}'); // stable 16-hex-character string
 * ```
 */
export function contentHash(text: string): string {
  const lanes = hashLanes(text, scratch);
  return (lanes[0] as number).toString(16).padStart(8, '0') + (lanes[1] as number).toString(16).padStart(8, '0');
}

const scratch = new Uint32Array(2);

/**
 * The two 32-bit lanes of {@link contentHash}, written into `out` (no allocation): the memory
 * store keeps claims as these numbers rather than strings.
 */
export function hashLanes(text: string, out: Uint32Array): Uint32Array {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1;
  out[1] = h2;
  return out;
}

/**
 * Content hash of any JSON value (the provider's own key order is stable across its retries).
 * The value is hashed as the event carries it, depth-bounded by {@link boundDepth}: a hostile
 * body nested 100,000 levels deep would overflow JSON.stringify, and how deep it may go before it
 * does depends on the caller's stack, which must never change an id.
 */
export function hashJson(value: unknown): string {
  return contentHash(JSON.stringify(boundDepth(value)) ?? 'undefined');
}
