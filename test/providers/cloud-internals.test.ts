import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinId } from '../../src/event/ids.js';
import { toIsoTimestamp } from '../../src/event/timestamp.js';
import { digits, expiryIso, isoOr, messageEventId, statusId } from '../../src/providers/cloud/change.js';
import { phoneDigits } from '../../src/providers/read.js';

/*
 * The Cloud mapper's hot-path helpers re-implement shared functions for speed (no intermediate
 * arrays, cached minute prefixes, no regex for bare digits). They must agree with the shared
 * functions exactly.
 */

const FALLBACK = 'fallback';
const idText = fc.oneof(fc.string(), fc.constantFrom('wamid.HBgLMTY1MDM4Nzk0MzkV=', 'a:b', '100%', '%3A', ':', ''));

describe('cloud hot-path helpers agree with the shared functions', () => {
  it('statusId and messageEventId equal joinId', () => {
    fc.assert(
      fc.property(idText, idText, idText, idText, (a, b, c, d) => {
        expect(statusId(a, b, c, d)).toBe(joinId(['cloud', 'status', a, b, c, d]));
        expect(messageEventId(a)).toBe(joinId(['cloud', 'message', a]));
      }),
      { numRuns: 2000 },
    );
  });

  it('isoOr equals toIsoTimestamp (or the fallback), in any order of calls', () => {
    const seconds = fc.integer({ min: 1, max: 9_999_999_999 });
    const near = fc.integer({ min: 1_750_000_000, max: 1_750_000_000 + 200 }); // same and adjacent minutes
    const value = fc.oneof(
      seconds,
      near,
      seconds.map(String),
      near.map(String),
      fc.double(),
      fc.integer().map(String),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('asdf', '0000000000', '1750000000.5', ' 175000000', '1e9', '-17500000', 1e12, 1747775431467, null, undefined, {}),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 30 }), (values) => {
        for (const v of values) {
          expect(isoOr(v, FALLBACK)).toBe(toIsoTimestamp(v) ?? FALLBACK);
          expect(expiryIso(v)).toBe(toIsoTimestamp(v) ?? '');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('digits equals phoneDigits', () => {
    const phone = fc.oneof(fc.string(), fc.stringMatching(/^\+?[\d -]{0,16}$/), fc.constantFrom('+250 788 123 200', '16505551234', 'US.1234'));
    fc.assert(
      fc.property(phone, (p) => {
        expect(digits(p)).toBe(phoneDigits(p));
      }),
      { numRuns: 2000 },
    );
  });
});
