import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTextToBytes, escapeUtf8ToBytes } from '../../src/verify/escape-bytes.js';
import { escapeNonAscii } from '../../src/verify/escape.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** The reference: decode (WHATWG, U+FFFD for malformed input), escape the string, encode. */
const reference = (bytes: Uint8Array) => encoder.encode(escapeNonAscii(decoder.decode(bytes)));

describe('escaped form built on bytes', () => {
  it('matches escapeNonAscii on text, lone surrogates included', () => {
    expect(decoder.decode(escapeTextToBytes('Olá 😀 \ud800x'))).toBe(escapeNonAscii('Olá 😀 \ud800x'));
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => {
      expect(escapeTextToBytes(s)).toEqual(encoder.encode(escapeNonAscii(s)));
    }));
  });

  it('matches decode + escapeNonAscii + encode on well-formed UTF-8', () => {
    expect(decoder.decode(escapeUtf8ToBytes(encoder.encode('{"t":"ção 中文 😀"}')))).toBe('{"t":"\\u00e7\\u00e3o \\u4e2d\\u6587 \\ud83d\\ude00"}');
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(escapeUtf8ToBytes(encoder.encode(s))).toEqual(encoder.encode(escapeNonAscii(s)));
    }));
  });

  it('matches the reference on any bytes, malformed UTF-8 included (overlongs, surrogates, truncated)', () => {
    for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0x80], [0x61, 0xf0, 0x9f, 0x98]]) {
      expect(escapeUtf8ToBytes(Uint8Array.from(bad)), String(bad)).toEqual(reference(Uint8Array.from(bad)));
    }
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      expect(escapeUtf8ToBytes(bytes)).toEqual(reference(bytes));
    }));
  });
});
