import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createHandlerCore } from '../../src/http/core.js';
import type { HandlerCrypto } from '../../src/http/crypto.js';
import { nodeCrypto } from '../../src/http/crypto-node.js';
import { createWebhookHandler } from '../../src/http/handler.js';
import { createFetchHandler } from '../../src/http/web.js';
import type { WebhookHandlerOptions } from '../../src/http/types.js';
import { handleVerificationChallenge } from '../../src/verify/challenge.js';
import { escapeNonAscii } from '../../src/verify/escape.js';
import { signMetaPayload, verifyMetaSignature } from '../../src/verify/meta.js';
import { verifyParsedWith, type MacCrypto } from '../../src/verify/meta-loop.js';
import { signMetaPayloadWeb, verifyMetaSignatureWeb } from '../../src/verify/meta-web.js';
import { nodeMac } from '../../src/verify/node-mac.js';
import { verifySharedToken, verifyWasenderSignature } from '../../src/verify/shared-secret.js';
import { verifySharedTokenPortable } from '../../src/verify/shared-secret-web.js';
import { parseMetaSignature, type ParsedMetaSignature } from '../../src/verify/signature-header.js';
import type { MetaSignatureInput, MetaVerifyOptions, Secrets } from '../../src/verify/types.js';
import { webMac } from '../../src/verify/web-mac.js';

const SECRET = 'app-secret-1';
const OTHER = 'app-secret-2';
const ASCII = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}]}';
const UNICODE = '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[],"text":"Olá! 😀 ção"}]}';
const sha1 = (body: string, secret: string) => signMetaPayload(body, secret, 'sha1');
const quiet = { warn: () => undefined, error: () => undefined };

/** Wraps a MacCrypto and counts the HMACs it computes. */
function counting<M extends Uint8Array | Promise<Uint8Array>>(inner: MacCrypto<M>): MacCrypto<M> & { count: number } {
  const mac = { count: 0, hmac: (a: 'sha256' | 'sha1', s: string, b: Uint8Array | string) => (mac.count++, inner.hmac(a, s, b)), equal: inner.equal };
  return mac;
}

describe('one verification loop, Node and WebCrypto drivers', () => {
  const cases: [string, string | Uint8Array, MetaSignatureInput, Secrets, MetaVerifyOptions?][] = [
    ['good', ASCII, signMetaPayload(ASCII, SECRET), SECRET],
    ['good, bytes', Buffer.from(ASCII), signMetaPayload(ASCII, SECRET), SECRET],
    ['rotation', ASCII, signMetaPayload(ASCII, SECRET), [OTHER, SECRET]],
    ['wrong secret', ASCII, signMetaPayload(ASCII, SECRET), OTHER],
    ['wrong secret, two configured', ASCII, signMetaPayload(ASCII, SECRET), [OTHER, 'third']],
    ['raw UTF-8 signed', UNICODE, signMetaPayload(UNICODE, SECRET), SECRET],
    ['escaped form signed, string', UNICODE, signMetaPayload(escapeNonAscii(UNICODE), SECRET), SECRET],
    ['escaped form signed, bytes, rotation', Buffer.from(UNICODE), signMetaPayload(escapeNonAscii(UNICODE), SECRET), [OTHER, SECRET]],
    ['escaped form signed, fallback off', UNICODE, signMetaPayload(escapeNonAscii(UNICODE), SECRET), SECRET, { escapedFallback: false }],
    ['wrong secret over non-ASCII', UNICODE, signMetaPayload(UNICODE, OTHER), SECRET],
    ['uppercase hex', ASCII, signMetaPayload(ASCII, SECRET).toUpperCase().replace('SHA256=', 'sha256='), SECRET],
    ['malformed', ASCII, 'sha256=abc', SECRET],
    ['two different values', ASCII, [signMetaPayload(ASCII, SECRET), signMetaPayload(ASCII, OTHER)], SECRET],
    ['missing', ASCII, undefined, SECRET],
    ['headers record', ASCII, { 'x-hub-signature-256': signMetaPayload(ASCII, SECRET) }, SECRET],
    ['fetch Headers, wrong', ASCII, new Headers({ 'X-Hub-Signature-256': signMetaPayload(ASCII, OTHER) }), SECRET],
    ['sha1 not allowed', ASCII, { sha1: sha1(ASCII, SECRET) }, SECRET],
    ['sha1 allowed', ASCII, { sha1: sha1(ASCII, SECRET) }, SECRET, { allowSha1: true }],
    ['sha1 allowed, wrong', ASCII, { sha1: sha1(ASCII, OTHER) }, SECRET, { allowSha1: true }],
    ['sha1 ignored beside sha256', ASCII, { sha256: signMetaPayload(ASCII, OTHER), sha1: sha1(ASCII, SECRET) }, SECRET, { allowSha1: true }],
  ];

  it.each(cases)('same result and message: %s', async (_name, body, signature, secrets, options) => {
    const node = verifyMetaSignature(body, signature, secrets, options);
    const web = await verifyMetaSignatureWeb(body, signature, secrets, options);
    expect(web).toEqual(node);
  });

  it('fails alike on bad configuration and bad bodies', async () => {
    for (const secrets of ['', '   ', [SECRET, '\t\n'], []] as Secrets[]) {
      expect(() => verifyMetaSignature(ASCII, signMetaPayload(ASCII, SECRET), secrets), JSON.stringify(secrets)).toThrow(ConfigError);
      await expect(verifyMetaSignatureWeb(ASCII, signMetaPayload(ASCII, SECRET), secrets)).rejects.toThrow(ConfigError);
    }
    const parsedObject = JSON.parse(ASCII) as string;
    expect(() => verifyMetaSignature(parsedObject, 'sha256=00', SECRET)).toThrow(TypeError);
    await expect(verifyMetaSignatureWeb(parsedObject, 'sha256=00', SECRET)).rejects.toThrow(TypeError);
  });

  it('signs alike', async () => {
    for (const body of [ASCII, UNICODE, Buffer.from(UNICODE)]) {
      expect(await signMetaPayloadWeb(body, SECRET)).toBe(signMetaPayload(body, SECRET));
      expect(await signMetaPayloadWeb(body, SECRET, 'sha1')).toBe(signMetaPayload(body, SECRET, 'sha1'));
    }
  });

  it('shared tokens: same results and messages from the Node and the portable comparison', () => {
    for (const [given, secrets] of [['tok', 'tok'], ['tok', ['old', 'tok']], ['nope', 'tok'], [undefined, 'tok'], [['a', 'b'], 'tok'], ['tok ', 'tok']] as const) {
      expect(verifySharedTokenPortable(given, secrets, 'token')).toEqual(verifySharedToken(given, secrets, 'token'));
    }
  });
});

describe('what a wrong signature costs: HMACs counted', () => {
  const parsed = (signature: string) => parseMetaSignature(signature) as ParsedMetaSignature;
  const wrong = parsed(signMetaPayload(ASCII, 'attacker'));

  it('one HMAC per secret for an ASCII body, two for a non-ASCII one (the escaped retry, built once)', async () => {
    for (const [body, perSecret] of [[ASCII, 1], [UNICODE, 2], [Buffer.from(UNICODE), 2]] as const) {
      for (const secrets of [[SECRET], [SECRET, OTHER]]) {
        const node = counting(nodeMac);
        expect(verifyParsedWith(node, body, wrong, secrets, true).ok).toBe(false);
        expect(node.count, `${typeof body} ${secrets.length}`).toBe(perSecret * secrets.length);
        const web = counting(webMac);
        expect((await verifyParsedWith(web, body, wrong, secrets, true)).ok).toBe(false);
        expect(web.count).toBe(perSecret * secrets.length);
      }
    }
  });

  it('stops at the first match: a valid request costs no more', () => {
    const node = counting(nodeMac);
    expect(verifyParsedWith(node, UNICODE, parsed(signMetaPayload(UNICODE, SECRET)), [SECRET, OTHER], true).ok).toBe(true);
    expect(node.count).toBe(1);
  });

  /** A handler whose every HMAC is counted, as the real request path runs it. */
  function countedHandler(options: Partial<WebhookHandlerOptions>) {
    const mac = counting(nodeMac);
    const crypto: HandlerCrypto = { ...nodeCrypto, mac };
    const handle = createHandlerCore({ cloud: { appSecret: SECRET }, discardEvents: true, logger: quiet, ...options }, crypto);
    return { handle, mac };
  }
  const post = (body: string, signature: string) => ({ method: 'POST', url: '/wh', headers: { 'x-hub-signature-256': signature }, rawBody: Buffer.from(body) });

  it('through the handler: at most the escaped retry on a wrong signature, no diagnostics', async () => {
    const pretty = JSON.stringify(JSON.parse(UNICODE), null, 2); // what the diagnostics would look into
    const forged = signMetaPayload(UNICODE, 'attacker');
    // The last: a re-serialized body, the case the diagnostics would spend a dozen HMACs on.
    for (const [body, signature, expected] of [[ASCII, forged, 1], [UNICODE, forged, 2], [pretty, signMetaPayload(UNICODE, SECRET), 2]] as const) {
      const { handle, mac } = countedHandler({});
      const response = await handle(post(body, signature));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body).error.hint).toBeUndefined();
      expect(mac.count, body).toBe(expected);
    }
  });

  it('through the handler: the diagnostics run only with debugSignatures (and then cost more)', async () => {
    const pretty = JSON.stringify(JSON.parse(UNICODE), null, 2);
    const { handle, mac } = countedHandler({ debugSignatures: true });
    const response = await handle(post(pretty, signMetaPayload(UNICODE, SECRET)));
    expect(JSON.parse(response.body).error.hint).toMatch(/re-serialized/);
    expect(mac.count).toBeGreaterThan(2);
  });
});

describe('whitespace-only secrets are a ConfigError', () => {
  const blank = ['   ', '\n', '\t \r\n'];

  it('at construction of the handler, for every secret and the verify token', () => {
    for (const b of blank) {
      const configs: WebhookHandlerOptions[] = [
        { cloud: { appSecret: b } },
        { cloud: { appSecrets: [SECRET, b] } },
        { cloud: { appSecret: SECRET, verifyToken: b } },
        { cloud: { appSecret: SECRET, verifyToken: ['tok', b] } },
        { wasender: { secret: b } },
        { onprem: { token: b } },
      ];
      for (const config of configs) {
        const options = { ...config, discardEvents: true as const, logger: quiet };
        expect(() => createWebhookHandler(options), JSON.stringify(config)).toThrow(expect.objectContaining({ name: 'ConfigError', code: 'missing_secret' }));
        expect(() => createFetchHandler(options), JSON.stringify(config)).toThrow(ConfigError);
      }
    }
  });

  it('from the verify functions', async () => {
    for (const b of blank) {
      expect(() => verifyMetaSignature(ASCII, signMetaPayload(ASCII, SECRET), b)).toThrow(ConfigError);
      await expect(verifyMetaSignatureWeb(ASCII, signMetaPayload(ASCII, SECRET), b)).rejects.toThrow(ConfigError);
      expect(() => signMetaPayload(ASCII, b)).toThrow(ConfigError);
      expect(() => verifyWasenderSignature(b, b)).toThrow(ConfigError);
      expect(() => verifySharedToken('x', ['ok', b])).toThrow(ConfigError);
      expect(() => verifySharedTokenPortable('x', b)).toThrow(ConfigError);
      expect(() => handleVerificationChallenge('hub.mode=subscribe&hub.verify_token=x&hub.challenge=1', b)).toThrow(ConfigError);
    }
  });

  it('a secret with surrounding whitespace (not only whitespace) is still accepted, with its warning', () => {
    const warnings: string[] = [];
    createWebhookHandler({ cloud: { appSecret: ` ${SECRET} ` }, discardEvents: true, logger: { warn: (m: string) => warnings.push(m), error: () => undefined } });
    expect(warnings).toEqual([expect.stringMatching(/leading or trailing whitespace/)]);
  });
});
