import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BluetickError, ConfigError } from '../../src/errors.js';
import { SignatureError } from '../../src/verify/errors.js';
import { escapeNonAscii } from '../../src/verify/escape.js';
import { assertMetaSignature, signMetaPayload, verifyMetaSignature } from '../../src/verify/meta.js';
import { signMetaPayloadWeb, verifyMetaSignatureWeb } from '../../src/verify/meta-web.js';
import type { MetaSignatureInput, MetaVerifyOptions } from '../../src/verify/types.js';

const SECRET = 'app-secret-1';
const OTHER = 'app-secret-2';
const BODY = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}]}';
const UNICODE = '{"object":"whatsapp_business_account","entry":[{"text":"Olá! 😀 ção"}]}';

const sha1 = (body: string, secret: string) => `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;

describe('signMetaPayload', () => {
  it('is sha256= + the hex HMAC-SHA256 of the bytes', () => {
    expect(signMetaPayload(BODY, SECRET)).toBe(`sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`);
    expect(signMetaPayload(Buffer.from(BODY), SECRET)).toBe(signMetaPayload(BODY, SECRET));
    expect(signMetaPayload(BODY, SECRET, 'sha1')).toBe(sha1(BODY, SECRET));
  });
});

describe('verifyMetaSignature', () => {
  const sig = signMetaPayload(BODY, SECRET);

  it('verifies the raw bytes (string or Buffer) under the right secret', () => {
    expect(verifyMetaSignature(BODY, sig, SECRET)).toEqual({ ok: true, algorithm: 'sha256', secretIndex: 0, escaped: false });
    expect(verifyMetaSignature(Buffer.from(BODY), sig, SECRET).ok).toBe(true);
  });

  it('rejects one tampered byte, a wrong secret and a signature for another body', () => {
    const tampered = Buffer.from(BODY);
    tampered[10] = (tampered[10] as number) ^ 1;
    expect(verifyMetaSignature(tampered, sig, SECRET)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifyMetaSignature(BODY, sig, OTHER)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifyMetaSignature(BODY, signMetaPayload('{}', SECRET), SECRET)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('accepts a list of secrets (rotation): either verifies and secretIndex says which', () => {
    expect(verifyMetaSignature(BODY, signMetaPayload(BODY, SECRET), [OTHER, SECRET])).toMatchObject({ ok: true, secretIndex: 1 });
    expect(verifyMetaSignature(BODY, signMetaPayload(BODY, OTHER), [OTHER, SECRET])).toMatchObject({ ok: true, secretIndex: 0 });
    expect(verifyMetaSignature(BODY, signMetaPayload(BODY, 'third'), [OTHER, SECRET]).ok).toBe(false);
  });

  it('retries over the \\uXXXX-escaped form Meta signs when the raw bytes carry non-ASCII', () => {
    const metaSig = signMetaPayload(escapeNonAscii(UNICODE), SECRET);
    expect(verifyMetaSignature(Buffer.from(UNICODE), metaSig, SECRET)).toEqual({ ok: true, algorithm: 'sha256', secretIndex: 0, escaped: true });
    expect(verifyMetaSignature(UNICODE, metaSig, SECRET).ok).toBe(true);
    expect(verifyMetaSignature(UNICODE, metaSig, SECRET, { escapedFallback: false })).toMatchObject({ ok: false, reason: 'mismatch' });
    // A signature over the raw UTF-8 bytes verifies directly.
    expect(verifyMetaSignature(UNICODE, signMetaPayload(UNICODE, SECRET), SECRET)).toMatchObject({ ok: true, escaped: false });
  });

  it('rejects malformed headers before comparing', () => {
    const hex = sig.slice('sha256='.length);
    for (const bad of [hex, `sha1=${hex}`.replace('sha1', 'sha257'), `sha256=${hex.slice(0, 63)}`, `sha256=${hex}00`, `sha256=${hex.slice(0, 62)}zz`, 'sha256=', 'Bearer x']) {
      expect(verifyMetaSignature(BODY, bad, SECRET), bad).toMatchObject({ ok: false, reason: 'malformed' });
    }
    expect(verifyMetaSignature(BODY, [sig, signMetaPayload('{}', SECRET)], SECRET)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyMetaSignature(BODY, [sig, sig], SECRET).ok).toBe(true);
    expect(verifyMetaSignature(BODY, sig.toUpperCase().replace('SHA256=', 'sha256='), SECRET).ok).toBe(true);
  });

  it('reports a missing header', () => {
    for (const missing of [undefined, null, '', [], {}, new Headers()] as MetaSignatureInput[]) {
      expect(verifyMetaSignature(BODY, missing, SECRET)).toMatchObject({ ok: false, reason: 'missing' });
    }
  });

  it('reads the signature from Fetch Headers, a Node-style record in any case, or { sha256, sha1 }', () => {
    expect(verifyMetaSignature(BODY, new Headers({ 'X-Hub-Signature-256': sig }), SECRET).ok).toBe(true);
    expect(verifyMetaSignature(BODY, { 'x-hub-signature-256': sig, host: 'x' }, SECRET).ok).toBe(true);
    expect(verifyMetaSignature(BODY, { 'X-Hub-Signature-256': sig }, SECRET).ok).toBe(true);
    expect(verifyMetaSignature(BODY, { sha256: sig }, SECRET).ok).toBe(true);
  });

  it('accepts SHA-1 only when allowed and never when a SHA-256 header is present', () => {
    const s1 = sha1(BODY, SECRET);
    expect(verifyMetaSignature(BODY, { sha1: s1 }, SECRET)).toMatchObject({ ok: false, reason: 'sha1_not_allowed' });
    expect(verifyMetaSignature(BODY, s1, SECRET)).toMatchObject({ ok: false, reason: 'sha1_not_allowed' });
    expect(verifyMetaSignature(BODY, { 'x-hub-signature': s1 }, SECRET, { allowSha1: true })).toMatchObject({ ok: true, algorithm: 'sha1' });
    const badSha256 = signMetaPayload('{}', SECRET);
    expect(verifyMetaSignature(BODY, { sha256: badSha256, sha1: s1 }, SECRET, { allowSha1: true })).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifyMetaSignature(BODY, { sha256: 'junk', sha1: s1 }, SECRET, { allowSha1: true })).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyMetaSignature(BODY, { sha1: `sha1=${'a'.repeat(39)}` }, SECRET, { allowSha1: true })).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a parsed object as the body with a message naming the fix', () => {
    expect(() => verifyMetaSignature(JSON.parse(BODY), sig, SECRET)).toThrow(/raw request body.*express\.json/s);
  });

  it('refuses to verify without a non-empty secret', () => {
    for (const secrets of ['', [], ['ok', '']] as const) {
      expect(() => verifyMetaSignature(BODY, sig, secrets)).toThrow(ConfigError);
    }
  });

  it('never puts the secret or the signature in its messages', () => {
    const result = verifyMetaSignature(BODY, signMetaPayload(BODY, OTHER), SECRET);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).not.toContain(SECRET);
      expect(result.message).not.toContain(signMetaPayload(BODY, OTHER).slice(7, 20));
    }
  });
});

describe('assertMetaSignature', () => {
  it('returns the success and throws SignatureError (401, stable code) on failure', () => {
    expect(assertMetaSignature(BODY, signMetaPayload(BODY, SECRET), SECRET).secretIndex).toBe(0);
    try {
      assertMetaSignature(BODY, undefined, SECRET);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(SignatureError);
      expect(error).toBeInstanceOf(BluetickError);
      expect(error).toMatchObject({ code: 'signature_missing', status: 401, reason: 'missing' });
    }
  });
});

describe('WebCrypto twin', () => {
  const cases: [string, string | Buffer, MetaSignatureInput, string | string[], MetaVerifyOptions?][] = [
    ['good', BODY, signMetaPayload(BODY, SECRET), SECRET],
    ['rotation', BODY, signMetaPayload(BODY, SECRET), [OTHER, SECRET]],
    ['wrong secret', BODY, signMetaPayload(BODY, SECRET), OTHER],
    ['escaped', Buffer.from(UNICODE), signMetaPayload(escapeNonAscii(UNICODE), SECRET), SECRET],
    ['malformed', BODY, 'sha256=abc', SECRET],
    ['missing', BODY, undefined, SECRET],
    ['sha1 not allowed', BODY, { sha1: sha1(BODY, SECRET) }, SECRET],
    ['sha1 allowed', BODY, { sha1: sha1(BODY, SECRET) }, SECRET, { allowSha1: true }],
  ];
  it.each(cases)('gives the same result as the Node verifier: %s', async (_name, body, signature, secrets, options) => {
    const node = verifyMetaSignature(body, signature, secrets, options);
    const web = await verifyMetaSignatureWeb(body, signature, secrets, options);
    expect(web.ok).toBe(node.ok);
    if (node.ok && web.ok) expect(web).toEqual(node);
    if (!node.ok && !web.ok) expect(web.reason).toBe(node.reason);
  });

  it('signs like signMetaPayload', async () => {
    expect(await signMetaPayloadWeb(UNICODE, SECRET)).toBe(signMetaPayload(UNICODE, SECRET));
    expect(await signMetaPayloadWeb(BODY, SECRET, 'sha1')).toBe(sha1(BODY, SECRET));
  });
});
