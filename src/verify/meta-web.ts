import { assertRawBody, escapedForm, toBytes, type RawBody } from './body-bytes.js';
import { toSecretList } from './secrets.js';
import { parseMetaSignature, type ParsedMetaSignature } from './signature-header.js';
import type { MetaSignatureInput, MetaSignatureResult, MetaVerifyOptions, Secrets } from './types.js';

// WebCrypto path for Workers, Deno, Bun, browsers-as-servers: no node:crypto import anywhere in
// this file's graph. crypto.subtle.verify compares in constant time itself. Imported keys are
// cached per (algorithm, secret) because importKey is the expensive, async part.
const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: { subtle?: SubtleCrypto } }).crypto?.subtle;
  if (s === undefined) throw new TypeError('WebCrypto (globalThis.crypto.subtle) is not available in this runtime.');
  return s;
}

function hmacKey(algorithm: 'sha256' | 'sha1', secret: string): Promise<CryptoKey> {
  const id = `${algorithm}:${secret}`;
  let key = keys.get(id);
  if (key === undefined) {
    const hash = algorithm === 'sha1' ? 'SHA-1' : 'SHA-256';
    key = subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash }, false, ['sign', 'verify']);
    if (keys.size > 64) keys.clear(); // bounded: secrets are few, this only guards misuse
    keys.set(id, key);
  }
  return key;
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

async function matches(algorithm: 'sha256' | 'sha1', secret: string, body: Uint8Array, signature: Uint8Array): Promise<boolean> {
  return subtle().verify('HMAC', await hmacKey(algorithm, secret), signature as BufferSource, body as BufferSource);
}

/** Verification once the header is parsed and the secrets validated (used by the web handler). */
export async function verifyParsedWeb(
  rawBody: RawBody,
  parsed: ParsedMetaSignature,
  list: readonly string[],
  escapedFallback: boolean,
): Promise<MetaSignatureResult> {
  const expected = hexToBytes(parsed.hex);
  const bytes = toBytes(rawBody);
  for (let i = 0; i < list.length; i++) {
    if (await matches(parsed.algorithm, list[i] as string, bytes, expected)) {
      return { ok: true, algorithm: parsed.algorithm, secretIndex: i, escaped: false };
    }
  }
  const escaped = escapedFallback ? escapedForm(rawBody) : null;
  if (escaped !== null) {
    for (let i = 0; i < list.length; i++) {
      if (await matches(parsed.algorithm, list[i] as string, escaped, expected)) {
        return { ok: true, algorithm: parsed.algorithm, secretIndex: i, escaped: true };
      }
    }
  }
  return { ok: false, reason: 'mismatch', message: `The signature does not match the body under any of the ${list.length} configured app secret(s).` };
}

/**
 * The WebCrypto twin of `verifyMetaSignature` (same inputs, same result), asynchronous, for
 * runtimes without `node:crypto`. Exported from `bluetick/web`; on Node prefer the synchronous
 * `verifyMetaSignature`, which is an order of magnitude faster.
 *
 * @example
 * ```ts
 * import { verifyMetaSignatureWeb } from 'bluetick/web';
 *
 * const raw = new Uint8Array(await request.arrayBuffer());
 * const result = await verifyMetaSignatureWeb(raw, request.headers, env.APP_SECRET);
 * if (!result.ok) return new Response(result.reason, { status: 401 });
 * ```
 */
export async function verifyMetaSignatureWeb(
  rawBody: RawBody,
  signature: MetaSignatureInput,
  secrets: Secrets,
  options: MetaVerifyOptions = {},
): Promise<MetaSignatureResult> {
  assertRawBody(rawBody, 'verifyMetaSignatureWeb');
  const list = toSecretList(secrets, 'Meta app secret');
  const parsed = parseMetaSignature(signature, options);
  if (!parsed.ok) return parsed;
  return verifyParsedWeb(rawBody, parsed, list, options.escapedFallback !== false);
}

/**
 * The WebCrypto twin of `signMetaPayload`: resolves to `sha256=<hex>`.
 *
 * @example
 * ```ts
 * const header = await signMetaPayloadWeb(body, env.APP_SECRET);
 * ```
 */
export async function signMetaPayloadWeb(rawBody: RawBody, appSecret: string, algorithm: 'sha256' | 'sha1' = 'sha256'): Promise<string> {
  assertRawBody(rawBody, 'signMetaPayloadWeb');
  const [secret] = toSecretList(appSecret, 'Meta app secret');
  const mac = new Uint8Array(await subtle().sign('HMAC', await hmacKey(algorithm, secret as string), toBytes(rawBody) as BufferSource));
  let hex = '';
  for (const byte of mac) hex += byte.toString(16).padStart(2, '0');
  return `${algorithm}=${hex}`;
}
