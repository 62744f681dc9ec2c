import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SignatureError } from './errors.js';
import { toSecretList } from './secrets.js';
import { readHeader, singleValue } from './signature-header.js';
import type { HeaderSource, Secrets, SharedSecretResult } from './types.js';

// Shared secrets are compared as HMACs under a random per-process key: both digests have the
// same length whatever the inputs, so timingSafeEqual never leaks the secret's length, and the
// key being unknown to the caller stops any precomputation.
const processKey = randomBytes(32);

function digest(value: string): Buffer {
  return createHmac('sha256', processKey).update(value, 'utf8').digest();
}

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
  const list = toSecretList(secrets, what);
  const value = singleValue(given);
  if (value === null) return { ok: false, reason: 'malformed', message: `The ${what} was sent several times with different values.` };
  if (value === undefined) return { ok: false, reason: 'missing', message: `No ${what} was sent.` };
  const received = digest(value);
  let index = -1;
  for (let i = 0; i < list.length; i++) {
    // No early exit: every secret is compared, so the position of the match does not show.
    if (timingSafeEqual(received, digest(list[i] as string)) && index === -1) index = i;
  }
  if (index === -1) return { ok: false, reason: 'mismatch', message: `The ${what} does not match the configured secret(s).` };
  return { ok: true, secretIndex: index };
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
