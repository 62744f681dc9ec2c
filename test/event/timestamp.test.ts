import { describe, expect, it } from 'vitest';
import { toIsoTimestamp } from '../../src/event/timestamp.js';

describe('toIsoTimestamp()', () => {
  it('reads seconds, as strings or numbers', () => {
    expect(toIsoTimestamp('1603059201')).toBe('2020-10-18T22:13:21.000Z');
    expect(toIsoTimestamp(1603059201)).toBe('2020-10-18T22:13:21.000Z');
  });

  it('reads milliseconds by magnitude', () => {
    expect(toIsoTimestamp(1747775431467)).toBe('2025-05-20T21:10:31.467Z');
    expect(toIsoTimestamp('1747775431467')).toBe('2025-05-20T21:10:31.467Z');
  });

  it('reads microseconds by magnitude', () => {
    expect(toIsoTimestamp(1747775431467123)).toBe('2025-05-20T21:10:31.467Z');
  });

  it('returns undefined for unusable values instead of throwing', () => {
    for (const bad of ['asdf', '', '0', -5, 0, Number.NaN, Infinity, null, undefined, {}, [], '1e400', 9e20, true]) {
      expect(toIsoTimestamp(bad)).toBeUndefined();
    }
  });
});

describe('formatIso()', () => {
  it('prints exactly what Date.prototype.toISOString prints, over the whole 4-digit-year range', async () => {
    const { formatIso } = await import('../../src/event/timestamp.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => {
        expect(formatIso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20000 },
    );
    for (const ms of [0, 951782400000, 951868800000, 4107542400000, 253402300799999, 1709164800000]) {
      expect(formatIso(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
