import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { constantTimeEqual } from '../../src/verify/constant-time.js';
import { SignatureError } from '../../src/verify/errors.js';
import { assertWasenderSignature, verifySharedToken, verifyWasenderSignature } from '../../src/verify/shared-secret.js';
import { verifySharedTokenPortable } from '../../src/verify/shared-secret-web.js';

const SECRET = 'wasender-secret-abc';

describe('verifyWasenderSignature', () => {
  it('accepts the header equal to the secret', () => {
    expect(verifyWasenderSignature(SECRET, SECRET)).toEqual({ ok: true, secretIndex: 0 });
  });

  it('rejects a different value, a prefix, an extension and a case change', () => {
    for (const bad of ['nope', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase()]) {
      expect(verifyWasenderSignature(bad, SECRET), bad).toMatchObject({ ok: false, reason: 'mismatch' });
    }
  });

  it('reports missing and ambiguous headers', () => {
    expect(verifyWasenderSignature(undefined, SECRET)).toMatchObject({ ok: false, reason: 'missing' });
    expect(verifyWasenderSignature('', SECRET)).toMatchObject({ ok: false, reason: 'missing' });
    expect(verifyWasenderSignature([SECRET, 'other'], SECRET)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('reads X-Webhook-Signature from a headers record or Fetch Headers', () => {
    expect(verifyWasenderSignature({ 'x-webhook-signature': SECRET }, SECRET).ok).toBe(true);
    expect(verifyWasenderSignature(new Headers({ 'X-Webhook-Signature': SECRET }), SECRET).ok).toBe(true);
    expect(verifyWasenderSignature(new Headers({ 'X-Other': SECRET }), SECRET)).toMatchObject({ reason: 'missing' });
  });

  it('rotates: any secret in the list verifies', () => {
    expect(verifyWasenderSignature('new', ['old', 'new'])).toEqual({ ok: true, secretIndex: 1 });
  });

  it('refuses an empty secret (an empty header would otherwise match it)', () => {
    expect(() => verifyWasenderSignature('', '')).toThrow(ConfigError);
  });

  it('has a throwing variant', () => {
    expect(() => assertWasenderSignature(SECRET, SECRET)).not.toThrow();
    expect(() => assertWasenderSignature('bad', SECRET)).toThrow(SignatureError);
  });
});

describe('verifySharedToken / portable twin', () => {
  const cases: [string | undefined, string | string[]][] = [
    ['tok', 'tok'],
    ['tok', 'tok2'],
    ['tok2', 'tok'],
    [undefined, 'tok'],
    ['b', ['a', 'b']],
    ['é', 'é'],
    ['e', 'é'],
  ];
  it.each(cases)('%s vs %s: both implementations agree', (given, secrets) => {
    expect(verifySharedTokenPortable(given, secrets)).toEqual(verifySharedToken(given, secrets));
  });
});

describe('constantTimeEqual', () => {
  it('is plain equality in result', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('ab', 'abc')).toBe(false);
    expect(constantTimeEqual('abcabc', 'abc')).toBe(false); // the modulo index must not make a repeat match
    expect(constantTimeEqual('', 'abc')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(false);
  });
});
