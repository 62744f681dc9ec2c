import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { joinId } from '../../src/event/ids.js';
import { formatIso, isoOr, toIsoTimestamp } from '../../src/event/timestamp.js';
import { idHead, messageEventId, statusEventId } from '../../src/providers/event-ids.js';
import { hasDomain, personId, phoneDigits } from '../../src/event/person.js';
import { normalizeRecipient } from '../../src/state/track.js';
import { phoneOf } from '../../src/providers/wasender/jid.js';

/*
 * The mappers' hot-path helpers take shortcuts for speed (no intermediate arrays, cached minute
 * prefixes, no regex for bare digits). They must agree exactly with the plain definitions.
 */

const FALLBACK = 'fallback';
const idText = fc.oneof(fc.string(), fc.constantFrom('wamid.HBgLMTY1MDM4Nzk0MzkV=', 'a:b', '100%', '%3A', ':', ''));
const scope = fc.option(idText, { nil: undefined });
const provider = fc.constantFrom('cloud', 'onprem', 'wasender' as const);

/** toIsoTimestamp's definition with `Number()` and `Date`, which its hand-rolled parsing and formatting must match. */
function slowIso(value: unknown): string | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.length > 0 && value.length < 24) n = Number(value);
  else return undefined;
  if (!(n > 0) || n === Infinity) return undefined;
  const ms = Math.floor(n < 1e11 ? n * 1000 : n < 1e14 ? n : n / 1000);
  return ms <= 253402300799999 ? new Date(ms).toISOString() : undefined;
}

/** The plain definitions the JID fast paths must match: split at `@`, then compare the domain. */
const PHONE_DOMAINS = new Set(['', 's.whatsapp.net', 'c.us']);
const slowDomain = (jid: string): string => (jid.includes('@') ? jid.slice(jid.indexOf('@') + 1) : '');
const slowUser = (jid: string): string => (jid.includes('@') ? jid.slice(0, jid.indexOf('@')) : jid).split(':')[0] as string;
// Without an `@` the value is not a JID: a `:` in it is not a device suffix.
const slowJidId = (jid: string): string =>
  !jid.includes('@') ? slowDigits(jid) : PHONE_DOMAINS.has(slowDomain(jid)) ? slowDigits(slowUser(jid)) : slowUser(jid);
const slowPhoneOf = (jid: string): string | undefined =>
  jid === '' ? undefined : !jid.includes('@') ? slowDigits(jid) : PHONE_DOMAINS.has(slowDomain(jid)) ? slowDigits(slowUser(jid)) : undefined;

/** The plain definition the digits fast path must match. */
const slowDigits = (value: string): string => (/^\+?[\d\s\-().]+$/.test(value) && /\d/.test(value) ? value.replace(/[^\d]/g, '') : value);

describe('hot-path helpers agree with the plain definitions', () => {
  it('idHead + statusEventId / messageEventId equal joinId, with and without a scope', () => {
    fc.assert(
      fc.property(provider, scope, idText, idText, idText, idText, (p, s, a, b, c, d) => {
        const head = s === undefined ? [p, 'status'] : [p, 'status', s];
        expect(statusEventId(idHead(p, 'status', s), a, b, c, d)).toBe(joinId([...head, a, b, c, d]));
        expect(messageEventId(idHead(p, 'message', s), a)).toBe(joinId(s === undefined ? [p, 'message', a] : [p, 'message', s, a]));
      }),
      { numRuns: 2000 },
    );
  });

  it('formatIso equals Date.prototype.toISOString in any order of nearby and distant calls (cache hits and misses)', () => {
    const base = 1_750_000_000_000;
    const near = fc.integer({ min: base, max: base + 400_000 }); // a few adjacent minutes, so the minute cache is hit
    const anywhere = fc.integer({ min: 0, max: 253402300799999 });
    fc.assert(
      fc.property(fc.array(fc.oneof(near, near, anywhere), { minLength: 1, maxLength: 40 }), (values) => {
        for (const ms of values) expect(formatIso(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 1000 },
    );
  });

  it('toIsoTimestamp (hand-read digits, cached minutes) equals Number() + Date; isoOr adds the fallback', () => {
    const value = fc.oneof(
      fc.integer({ min: 1, max: 9_999_999_999 }),
      fc.integer({ min: 1_750_000_000, max: 1_750_000_200 }).map(String),
      fc.stringMatching(/^\d{1,23}$/),
      fc.bigInt({ min: 0n, max: 10n ** 17n }).map(String),
      fc.double(),
      fc.string({ maxLength: 12 }),
      fc.constantFrom('asdf', '0000000000', '1750000000.5', '1e9', '-17500000', ' 1750000000', '0x10', '+1750000000', 1e12, 1747775431467, null, undefined, {}),
    );
    fc.assert(
      fc.property(value, (v) => {
        expect(toIsoTimestamp(v)).toBe(slowIso(v));
        expect(isoOr(v, FALLBACK)).toBe(slowIso(v) ?? FALLBACK);
      }),
      { numRuns: 5000 },
    );
  });

  it('phoneDigits (bare-digits fast path) equals the regex definition', () => {
    const phone = fc.oneof(fc.string(), fc.stringMatching(/^\+?[\d ().-]{0,16}$/), fc.constantFrom('+1 (650) 555-1234', '()', '+250 788 123 200', '16505551234', 'US.1234', ''));
    fc.assert(
      fc.property(phone, (p) => {
        expect(phoneDigits(p)).toBe(slowDigits(p));
      }),
      { numRuns: 2000 },
    );
    expect(phoneDigits('+250 788 123 200')).toBe('250788123200');
    expect(phoneDigits('US.13491208655302741918')).toBe('US.13491208655302741918');
  });

  it('JID helpers (index arithmetic, one slice) equal splitting at @ and comparing domains', () => {
    const user = fc.oneof(fc.stringMatching(/^\d{1,15}$/), fc.stringMatching(/^\+?[\d -]{0,14}$/), fc.string({ maxLength: 12 }));
    const device = fc.constantFrom('', ':12', ':0');
    const domain = fc.constantFrom('', '@s.whatsapp.net', '@c.us', '@lid', '@g.us', '@newsletter', '@broadcast', '@s.whatsapp.netx', '@x.us', '@', '@a@s.whatsapp.net');
    fc.assert(
      fc.property(user, device, domain, (u, d, dom) => {
        const jid = u + d + dom;
        expect(personId(jid)).toBe(slowJidId(jid));
        expect(phoneOf(jid)).toBe(slowPhoneOf(jid));
        expect(hasDomain(jid, 'g.us')).toBe(slowDomain(jid) === 'g.us');
      }),
      { numRuns: 3000 },
    );
    expect(personId('5511999990002:12@s.whatsapp.net')).toBe('5511999990002');
    expect(phoneOf('123456789012345@lid')).toBeUndefined();
    expect(phoneOf(5511999990002)).toBe('5511999990002');
  });

  it('tracker.track() reduces a recipient with the same reducer as the normalizers', () => {
    // A host's spelling and a status's recipient_id / remoteJid must meet in one tracking key.
    expect(normalizeRecipient('+1 (650) 555-1234')).toBe(personId('16505551234'));
    expect(normalizeRecipient('5511999990002:3@s.whatsapp.net')).toBe(personId('5511999990002@s.whatsapp.net'));
    expect(normalizeRecipient('123456789012345@lid')).toBe('123456789012345');
    fc.assert(fc.property(fc.string(), (s) => {
      expect(normalizeRecipient(s)).toBe(personId(s));
    }));
  });
});
