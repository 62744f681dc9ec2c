import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeNonAscii, hasNonAsciiBytes } from '../../src/verify/escape.js';

describe('escapeNonAscii', () => {
  it('escapes accents as lowercase \\uXXXX and leaves ASCII alone', () => {
    expect(escapeNonAscii('{"text":"Olá, ção"}')).toBe('{"text":"Ol\\u00e1, \\u00e7\\u00e3o"}');
    expect(escapeNonAscii('plain {"a":1}')).toBe('plain {"a":1}');
  });

  it('escapes astral characters as their surrogate pair', () => {
    expect(escapeNonAscii('😀')).toBe('\\ud83d\\ude00');
  });

  it('produces pure ASCII that JSON parses back to the same value', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const escaped = escapeNonAscii(JSON.stringify({ s }));
        expect(/^[\x20-\x7e]*$/.test(escaped)).toBe(true);
        expect(JSON.parse(escaped)).toEqual({ s });
      }),
    );
  });

  it('hasNonAsciiBytes sees a single high byte', () => {
    expect(hasNonAsciiBytes(new TextEncoder().encode('abc'))).toBe(false);
    expect(hasNonAsciiBytes(new TextEncoder().encode('abé'))).toBe(true);
  });
});
