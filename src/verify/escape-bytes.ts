/**
 * The `\uXXXX`-escaped form of a body, built straight into bytes. It is computed for every
 * request whose raw bytes do not verify and contain non-ASCII, so strangers can trigger it: a
 * 4 MiB body of accented letters must not cost a string decode, a regular-expression callback
 * per character and a re-encode (that was several hundred milliseconds). Two linear passes over
 * the input instead: one to size the output, one to fill it. Same output as
 * `encode(escapeNonAscii(decode(bytes)))` for every input; malformed UTF-8 (which no provider
 * signs) takes that slow, exact route.
 */
import { escapeNonAscii } from './escape.js';

const HEX = '0123456789abcdef';
const BACKSLASH = 0x5c;
const LOWER_U = 0x75;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeUnit(out: Uint8Array, at: number, unit: number): number {
  out[at] = BACKSLASH;
  out[at + 1] = LOWER_U;
  out[at + 2] = HEX.charCodeAt((unit >> 12) & 15);
  out[at + 3] = HEX.charCodeAt((unit >> 8) & 15);
  out[at + 4] = HEX.charCodeAt((unit >> 4) & 15);
  out[at + 5] = HEX.charCodeAt(unit & 15);
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

const cont = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

/**
 * Length in bytes of the well-formed UTF-8 sequence at `i` and how many UTF-16 units it decodes
 * to (packed as `length * 4 + units`), or -1 when it is malformed (WHATWG's rules: no overlongs,
 * no surrogates, nothing above U+10FFFF).
 */
function sequenceAt(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] as number;
  const b1 = bytes[i + 1];
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(b1) ? 2 * 4 + 1 : -1;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (!cont(b1) || !cont(bytes[i + 2])) return -1;
    if ((b0 === 0xe0 && (b1 as number) < 0xa0) || (b0 === 0xed && (b1 as number) > 0x9f)) return -1;
    return 3 * 4 + 1;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (!cont(b1) || !cont(bytes[i + 2]) || !cont(bytes[i + 3])) return -1;
    if ((b0 === 0xf0 && (b1 as number) < 0x90) || (b0 === 0xf4 && (b1 as number) > 0x8f)) return -1;
    return 4 * 4 + 2;
  }
  return -1;
}

/** The escaped form of UTF-8 bytes, as bytes (see the file comment). */
export function escapeUtf8ToBytes(bytes: Uint8Array): Uint8Array {
  let size = 0;
  for (let i = 0; i < bytes.length; ) {
    if ((bytes[i] as number) <= 0x7f) {
      size++;
      i++;
      continue;
    }
    const packed = sequenceAt(bytes, i);
    if (packed === -1) return encoder.encode(escapeNonAscii(decoder.decode(bytes)));
    size += (packed & 3) * 6;
    i += packed >> 2;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < bytes.length; ) {
    const b0 = bytes[i] as number;
    if (b0 <= 0x7f) {
      out[at++] = b0;
      i++;
    } else if (b0 < 0xe0) {
      at = writeUnit(out, at, ((b0 & 0x1f) << 6) | ((bytes[i + 1] as number) & 0x3f));
      i += 2;
    } else if (b0 < 0xf0) {
      at = writeUnit(out, at, ((b0 & 0x0f) << 12) | (((bytes[i + 1] as number) & 0x3f) << 6) | ((bytes[i + 2] as number) & 0x3f));
      i += 3;
    } else {
      const cp = ((b0 & 0x07) << 18) | (((bytes[i + 1] as number) & 0x3f) << 12) | (((bytes[i + 2] as number) & 0x3f) << 6) | ((bytes[i + 3] as number) & 0x3f);
      const v = cp - 0x10000;
      at = writeUnit(out, at, 0xd800 | (v >> 10));
      at = writeUnit(out, at, 0xdc00 | (v & 0x3ff));
      i += 4;
    }
  }
  return out;
}
