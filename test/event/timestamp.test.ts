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

describe('msToIso()', () => {
  it('is Date#toISOString for every epoch-ms value, null for 0 (never seen)', async () => {
    const { msToIso } = await import('../../src/event/timestamp.js');
    expect(msToIso(0)).toBeNull();
    const edges = [1, 999, 1000, 951_782_400_000, 1_709_251_199_999, 1_709_251_200_000, 253_402_300_799_999, 253_402_300_800_000, -1, 1.5];
    for (const ms of edges) expect(msToIso(ms)).toBe(new Date(ms).toISOString());
    let x = 12345;
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
      const ms = Math.floor((x / 2_147_483_648) * 4_102_444_800_000);
      if (ms !== 0) expect(msToIso(ms)).toBe(new Date(ms).toISOString());
    }
  });
});
