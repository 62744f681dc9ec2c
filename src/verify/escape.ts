/**
 * Meta signs webhook bodies in their JSON-escaped ASCII form (every non-ASCII UTF-16 code unit
 * written as a lowercase `\uXXXX`), while the bytes on the wire may carry raw UTF-8. These helpers
 * rebuild the form Meta signed.
 */

const NON_ASCII = /[\u0080-\uffff]/g;

function escapeUnit(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * Escapes every non-ASCII UTF-16 code unit of `text` as a lowercase `\uXXXX`, the way Meta
 * serializes webhook bodies before signing them. Astral characters become their surrogate pair
 * (`😀` → `\ud83d\ude00`). ASCII is left untouched, so an all-ASCII body is returned as is.
 *
 * @example
 * ```ts
 * escapeNonAscii('{"text":"olá 😀"}'); // '{"text":"ol\\u00e1 \\ud83d\\ude00"}'
 * ```
 */
export function escapeNonAscii(text: string): string {
  return text.replace(NON_ASCII, escapeUnit);
}

/** Whether the bytes contain anything outside 7-bit ASCII (a cheap pre-check before escaping). */
export function hasNonAsciiBytes(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    if ((bytes[i] as number) > 0x7f) return true;
  }
  return false;
}
