import { assertRawBody, escapedForm, type RawBody } from './body-bytes.js';
import { toSecretList } from './secrets.js';
import { parseMetaSignature, type ParsedMetaSignature } from './signature-header.js';
import type { MetaSignatureInput, MetaSignatureResult, MetaVerifyOptions, Secrets } from './types.js';

/** The HMAC algorithms Meta signs with. */
export type MacAlgorithm = ParsedMetaSignature['algorithm'];

/**
 * The cryptography the verification loop needs, injected: Node's synchronous `createHmac` +
 * `timingSafeEqual` (src/verify/node-mac.ts), or WebCrypto's asynchronous `sign` + a
 * constant-time comparison (src/verify/web-mac.ts). `Mac` is `Uint8Array` for the first and a
 * promise of one for the second; the loop stays synchronous with a synchronous `hmac`.
 */
export interface MacCrypto<Mac extends Uint8Array | Promise<Uint8Array> = Uint8Array | Promise<Uint8Array>> {
  /** HMAC of `body` (bytes, or text to hash as UTF-8) under `secret`. */
  hmac(algorithm: MacAlgorithm, secret: string, body: Uint8Array | string): Mac;
  /** Constant-time equality of two digests of the same length. */
  equal(a: Uint8Array, b: Uint8Array): boolean;
}

type MaybePromise<T> = T | Promise<T>;

const nibble = (code: number) => (code <= 57 ? code - 48 : (code | 0x20) - 87);

/** The digest in a well-formed header (already validated as even-length hex). Hot path: no slicing. */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  return out;
}

/** The failure message: one wording for every runtime. */
export function mismatchMessage(algorithm: MacAlgorithm, secretCount: number): string {
  const header = algorithm === 'sha1' ? 'X-Hub-Signature' : 'X-Hub-Signature-256';
  return `The ${header} signature does not match the body under any of the ${secretCount} configured app secret(s).`;
}

/**
 * THE verification loop, for every runtime: each secret over the raw bytes, then, only when those
 * all fail and the body has non-ASCII, each secret over the `\uXXXX`-escaped form (built once).
 * So a request costs at most two HMACs per configured secret, a wrong signature included, and an
 * ASCII body one. Stays synchronous while `crypto.hmac` returns digests, and continues
 * asynchronously from the first promise it returns.
 */
export function verifyParsedWith(crypto: MacCrypto<Uint8Array>, rawBody: RawBody, parsed: ParsedMetaSignature, secrets: readonly string[], escapedFallback: boolean): MetaSignatureResult;
export function verifyParsedWith(crypto: MacCrypto, rawBody: RawBody, parsed: ParsedMetaSignature, secrets: readonly string[], escapedFallback: boolean): MaybePromise<MetaSignatureResult>;
export function verifyParsedWith(
  crypto: MacCrypto,
  rawBody: RawBody,
  parsed: ParsedMetaSignature,
  secrets: readonly string[],
  escapedFallback: boolean,
): MaybePromise<MetaSignatureResult> {
  return attempts(crypto, rawBody, parsed.algorithm, hexToBytes(parsed.hex), secrets, escapedFallback, 0, undefined);
}

/**
 * Attempt i: secret i % n, over the raw body for i < n and over the escaped form after (`escaped`:
 * undefined until built, null when there is none). A plain function, no closure per request: on a
 * 500-byte webhook the loop's own overhead is a visible share of the HMAC.
 */
function attempts(
  crypto: MacCrypto,
  rawBody: RawBody,
  algorithm: MacAlgorithm,
  expected: Uint8Array,
  secrets: readonly string[],
  escapedFallback: boolean,
  start: number,
  escaped: Uint8Array | null | undefined,
): MaybePromise<MetaSignatureResult> {
  const n = secrets.length;
  for (let i = start; i < 2 * n; i++) {
    const isEscaped = i >= n;
    if (isEscaped && escaped === undefined) escaped = escapedFallback ? escapedForm(rawBody) : null;
    if (isEscaped && escaped === null) break;
    const secretIndex = i % n;
    const mac = crypto.hmac(algorithm, secrets[secretIndex] as string, isEscaped ? (escaped as Uint8Array) : rawBody);
    if (mac instanceof Promise) {
      const built = escaped;
      return mac.then((digest) =>
        crypto.equal(digest, expected) ? { ok: true, algorithm, secretIndex, escaped: isEscaped } : attempts(crypto, rawBody, algorithm, expected, secrets, escapedFallback, i + 1, built),
      );
    }
    if (crypto.equal(mac, expected)) return { ok: true, algorithm, secretIndex, escaped: isEscaped };
  }
  return { ok: false, reason: 'mismatch', message: mismatchMessage(algorithm, n) };
}

/**
 * A public verifier's steps, for every runtime: the raw-body check (naming `fn`), the secrets'
 * validation, the header parsing, then {@link verifyParsedWith}.
 */
export function verifyMetaWith(crypto: MacCrypto<Uint8Array>, fn: string, rawBody: RawBody, signature: MetaSignatureInput, secrets: Secrets, options: MetaVerifyOptions): MetaSignatureResult;
export function verifyMetaWith(crypto: MacCrypto, fn: string, rawBody: RawBody, signature: MetaSignatureInput, secrets: Secrets, options: MetaVerifyOptions): MaybePromise<MetaSignatureResult>;
export function verifyMetaWith(
  crypto: MacCrypto,
  fn: string,
  rawBody: RawBody,
  signature: MetaSignatureInput,
  secrets: Secrets,
  options: MetaVerifyOptions,
): MaybePromise<MetaSignatureResult> {
  assertRawBody(rawBody, fn);
  // Fast path for the common single secret: no list allocation per request.
  const list = typeof secrets === 'string' && secrets.trim() !== '' ? [secrets] : toSecretList(secrets, 'Meta app secret');
  const parsed = parseMetaSignature(signature, options);
  if (!parsed.ok) return parsed;
  return verifyParsedWith(crypto, rawBody, parsed, list, options.escapedFallback !== false);
}

function toHex(mac: Uint8Array): string {
  let hex = '';
  for (const byte of mac) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** A signing helper's steps, for every runtime: `<algorithm>=<hex HMAC>` of the exact bytes given. */
export function signMetaWith(crypto: MacCrypto<Uint8Array>, fn: string, rawBody: RawBody, appSecret: string, algorithm: MacAlgorithm): string;
export function signMetaWith(crypto: MacCrypto, fn: string, rawBody: RawBody, appSecret: string, algorithm: MacAlgorithm): MaybePromise<string>;
export function signMetaWith(crypto: MacCrypto, fn: string, rawBody: RawBody, appSecret: string, algorithm: MacAlgorithm): MaybePromise<string> {
  assertRawBody(rawBody, fn);
  const [secret] = toSecretList(appSecret, 'Meta app secret');
  const mac = crypto.hmac(algorithm, secret as string, rawBody);
  return mac instanceof Promise ? mac.then((m) => `${algorithm}=${toHex(m)}`) : `${algorithm}=${toHex(mac)}`;
}
