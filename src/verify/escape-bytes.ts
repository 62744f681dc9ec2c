/**
 * The `\uXXXX`-escaped form of a body, built straight into bytes. It is computed for every
 * request whose raw bytes do not verify and contain non-ASCII, so strangers can trigger it: a
 * 4 MiB body of accented letters must not cost a string decode, a regular-expression callback
 * per character and a re-encode (that was several hundred milliseconds). One linear pass over
 * the bytes instead. Same output as
 * `encode(escapeNonAscii(decode(bytes)))` for every input; malformed UTF-8 (which no provider
 * signs) takes that slow, exact route.
 */
import { escapeNonAscii } from './escape.js';

// '0'-'9', 'a'-'f' as byte values.
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const BACKSLASH = 0x5c;
const LOWER_U = 0x75;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeUnit(out: Uint8Array, at: number, unit: number): number {
  out[at] = BACKSLASH;
  out[at + 1] = LOWER_U;
  out[at + 2] = HEX[(unit >> 12) & 15] as number;
  out[at + 3] = HEX[(unit >> 8) & 15] as number;
  out[at + 4] = HEX[(unit >> 4) & 15] as number;
  out[at + 5] = HEX[unit & 15] as number;
  return at + 6;
}

/** The escaped form of text: every non-ASCII UTF-16 code unit (lone surrogates included) as `\uXXXX`. */
export function escapeTextToBytes(text: string): Uint8Array {
  let extra = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) extra += 5;
  const out = new Uint8Array(text.length + extra);
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit <= 0x7f) out[at++] = unit;
    else at = writeUnit(out, at, unit);
  }
  return out;
}

/**
 * The escaped form of UTF-8 bytes, as bytes (see the file comment). One pass into a buffer sized
 * for the worst case (every 2-byte sequence becomes 6 bytes: 3× the input), trimmed at the end.
 * Malformed UTF-8 (overlongs, surrogates, beyond U+10FFFF, truncated: WHATWG's rules) sends the
 * whole body down the exact slow route instead.
 */
export function escapeUtf8ToBytes(bytes: Uint8Array): Uint8Array {
  const escaped = escapeWellFormed(bytes);
  return escaped ?? encoder.encode(escapeNonAscii(decoder.decode(bytes)));
}

function escapeWellFormed(bytes: Uint8Array): Uint8Array | null {
  const len = bytes.length;
  const out = new Uint8Array(len * 3);
  let at = 0;
  let i = 0;
  while (i < len) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out[at++] = b0;
      i++;
      continue;
    }
    let unit: number;
    if (b0 >= 0xc2 && b0 <= 0xdf && i + 1 < len) {
      const b1 = bytes[i + 1] as number;
      if ((b1 & 0xc0) !== 0x80) return null;
      unit = ((b0 & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef && i + 2 < len) {
      const b1 = bytes[i + 1] as number;
      const b2 = bytes[i + 2] as number;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f)) return null;
      unit = ((b0 & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      i += 3;
    } else if (b0 >= 0xf0 && b0 <= 0xf4 && i + 3 < len) {
      const b1 = bytes[i + 1] as number;
      const b2 = bytes[i + 2] as number;
      const b3 = bytes[i + 3] as number;
      if ((b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80 || (b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f)) return null;
      const v = (((b0 & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f)) - 0x10000;
      at = writeUnit(out, at, 0xd800 | (v >> 10));
      unit = 0xdc00 | (v & 0x3ff);
      i += 4;
    } else {
      return null;
    }
    at = writeUnit(out, at, unit);
  }
  // Hand back a tight copy when the worst case overshot by much (a mostly-ASCII body).
  return at * 2 < out.length ? out.slice(0, at) : out.subarray(0, at);
}
