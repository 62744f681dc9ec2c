import { nodeCrypto } from '../internal/node-crypto.js';
import { SignatureError } from './errors.js';
import { readHeader } from './signature-header.js';
import { checkSharedToken, type TokenEqual } from './token-loop.js';
import type { HeaderSource, Secrets, SharedSecretResult } from './types.js';

// Shared secrets are compared as HMACs under a random per-process key: both digests have the
// same length whatever the inputs, so timingSafeEqual never leaks the secret's length, and the
// key being unknown to the caller stops any precomputation. Drawn at first use: node:crypto is
// resolved lazily so that the root entry loads without it.
let processKey: Uint8Array | undefined;

function digest(value: string): Uint8Array {
  const crypto = nodeCrypto();
  processKey ??= crypto.randomBytes(32);
  return crypto.createHmac('sha256', processKey).update(value, 'utf8').digest();
}

const digestsEqual: TokenEqual = (given, secret) => nodeCrypto().timingSafeEqual(digest(given), digest(secret));

export type TokenInput = string | readonly string[] | null | undefined;

/**
 * Checks a received shared token against one or several configured secrets in constant time,
 * without leaking the secret's length. The building block of {@link verifyWasenderSignature} and
 * of the On-Premises token check.
 *
 * @example
 * ```ts
 * import { verifySharedToken } from 'bluetick';
 *
 * const result = verifySharedToken(new URL(req.url, 'http://x').searchParams.get('token'), process.env.ONPREM_TOKEN!);
 * if (!result.ok) return res.status(401).end();
 * ```
 */
export function verifySharedToken(given: TokenInput, secrets: Secrets, what = 'token'): SharedSecretResult {
  return checkSharedToken(given, secrets, what, digestsEqual);
}

/**
 * Verifies a WASenderApi webhook: the `X-Webhook-Signature` header must equal the webhook secret
 * (WASender sends the secret itself, no HMAC). Constant time, length-hiding. Accepts the header
 * value or the request headers.
 *
 * @example
 * ```ts
 * import { verifyWasenderSignature } from 'bluetick';
 *
 * const result = verifyWasenderSignature(req.headers, process.env.WASENDER_WEBHOOK_SECRET!);
 * if (!result.ok) return res.status(401).send(result.reason);
 * ```
 */
export function verifyWasenderSignature(header: TokenInput | HeaderSource, secret: Secrets): SharedSecretResult {
  const value =
    header !== null && typeof header === 'object' && !Array.isArray(header)
      ? readHeader(header as HeaderSource, 'x-webhook-signature')
      : (header as TokenInput);
  return verifySharedToken(value, secret, 'X-Webhook-Signature secret');
}

/**
 * Throwing variant of {@link verifyWasenderSignature}: a {@link SignatureError} (HTTP 401) on failure.
 *
 * @example
 * ```ts
 * assertWasenderSignature(req.headers['x-webhook-signature'], secret);
 * ```
 */
export function assertWasenderSignature(header: TokenInput | HeaderSource, secret: Secrets): void {
  const result = verifyWasenderSignature(header, secret);
  if (!result.ok) throw new SignatureError(result.reason, result.message);
}
