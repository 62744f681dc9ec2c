import type { RawBody } from './body-bytes.js';
import { SignatureError } from './errors.js';
import { signMetaWith, verifyMetaWith } from './meta-loop.js';
import { nodeMac } from './node-mac.js';
import type { MetaSignatureInput, MetaSignatureResult, MetaVerifyOptions, Secrets } from './types.js';

// The Node driver of the one verification loop (meta-loop.ts) over node:crypto (node-mac.ts,
// resolved at first use). Runtimes without node:crypto use bluetick/web's verifyMetaSignatureWeb:
// the same loop over WebCrypto.

/**
 * Verifies a Meta (WhatsApp Cloud API) webhook signature: `X-Hub-Signature-256: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body under the app secret, compared in constant time.
 *
 * - Several secrets (rotation, several apps subscribed to one WABA): any one verifies, and
 *   `secretIndex` tells which.
 * - When the raw bytes do not verify and contain non-ASCII, the body is retried in the form Meta
 *   signs (non-ASCII escaped as lowercase `\uXXXX`); `escaped: true` reports it.
 * - A malformed header (wrong prefix, not hex, wrong length, several different values) is rejected
 *   before any comparison.
 * - The legacy SHA-1 `X-Hub-Signature` is used only with `allowSha1: true` and never when a
 *   SHA-256 header is present.
 *
 * Returns a result, never a boolean: check `result.ok`. {@link assertMetaSignature} throws instead.
 *
 * @param rawBody - the exact request bytes (or text). Never a parsed object: a TypeError says so.
 * @param signature - the `X-Hub-Signature-256` value, `{ sha256, sha1 }`, or the request headers
 *   (a Fetch `Headers` or Node's `req.headers`).
 * @param secrets - the app secret, or a list of them.
 * @throws `ConfigError` (`missing_secret`) when no secret is given, or one is empty or only whitespace.
 *
 * @example
 * ```ts
 * import { verifyMetaSignature } from 'bluetick';
 *
 * const result = verifyMetaSignature(rawBody, req.headers, [process.env.APP_SECRET!, process.env.OLD_APP_SECRET!]);
 * if (!result.ok) return res.status(401).send(result.reason);
 * ```
 */
export function verifyMetaSignature(
  rawBody: RawBody,
  signature: MetaSignatureInput,
  secrets: Secrets,
  options: MetaVerifyOptions = {},
): MetaSignatureResult {
  return verifyMetaWith(nodeMac, 'verifyMetaSignature', rawBody, signature, secrets, options);
}

/**
 * Like {@link verifyMetaSignature} but throws a {@link SignatureError} (HTTP 401, `code`
 * `signature_missing | signature_malformed | signature_mismatch | signature_sha1_not_allowed`) and
 * returns the success details.
 *
 * @example
 * ```ts
 * import { assertMetaSignature, normalize } from 'bluetick';
 *
 * assertMetaSignature(rawBody, request.headers, process.env.APP_SECRET!); // throws SignatureError
 * const { events } = normalize(rawBody);
 * ```
 */
export function assertMetaSignature(
  rawBody: RawBody,
  signature: MetaSignatureInput,
  secrets: Secrets,
  options: MetaVerifyOptions = {},
): Extract<MetaSignatureResult, { ok: true }> {
  const result = verifyMetaSignature(rawBody, signature, secrets, options);
  if (!result.ok) throw new SignatureError(result.reason, result.message);
  return result;
}

/**
 * Signs a body the way Meta does, returning the `X-Hub-Signature-256` header value. For tests,
 * replays and the CLI: HMAC-SHA256 over the exact bytes given (escape them first with
 * `escapeNonAscii` to reproduce Meta's form of a body with non-ASCII).
 *
 * @example
 * ```ts
 * import { signMetaPayload } from 'bluetick';
 *
 * const body = JSON.stringify(payload);
 * await fetch(url, { method: 'POST', body, headers: { 'x-hub-signature-256': signMetaPayload(body, secret) } });
 * ```
 */
export function signMetaPayload(rawBody: RawBody, appSecret: string, algorithm: 'sha256' | 'sha1' = 'sha256'): string {
  return signMetaWith(nodeMac, 'signMetaPayload', rawBody, appSecret, algorithm);
}
