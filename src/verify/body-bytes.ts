import { escapeTextToBytes, escapeUtf8ToBytes } from './escape-bytes.js';
import { hasNonAsciiBytes } from './escape.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NON_ASCII_TEXT = /[\u0080-\uffff]/;

/** A raw body as the caller gave it: the exact bytes (preferred) or the exact text. */
export type RawBody = string | Uint8Array;

/**
 * Throws a TypeError that says what went wrong when a parsed object is passed where the raw
 * body is needed: the most common webhook-verification mistake, so the message names the fix.
 */
export function assertRawBody(rawBody: unknown, fn: string): asserts rawBody is RawBody {
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array) return;
  const got = rawBody === null ? 'null' : Array.isArray(rawBody) ? 'an array' : typeof rawBody;
  throw new TypeError(
    `${fn}() needs the raw request body (a string or the exact bytes), got ${got}. ` +
      'A body parser (express.json(), bodyParser, …) already turned it into an object and the signed bytes are lost: ' +
      'capture the raw body instead (see docs/receiving-webhooks.md).',
  );
}

/** The bytes to HMAC. */
export function toBytes(rawBody: RawBody): Uint8Array {
  return typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
}

/**
 * The `\uXXXX`-escaped form Meta signs, or `null` when the body is pure ASCII (then the escaped
 * form is the body itself and a retry would be pointless).
 */
export function escapedForm(rawBody: RawBody): Uint8Array | null {
  if (typeof rawBody === 'string') return NON_ASCII_TEXT.test(rawBody) ? escapeTextToBytes(rawBody) : null;
  return hasNonAsciiBytes(rawBody) ? escapeUtf8ToBytes(rawBody) : null;
}

/** The body as text (UTF-8). */
export function toText(rawBody: RawBody): string {
  return typeof rawBody === 'string' ? rawBody : decoder.decode(rawBody);
}
