/**
 * Standard Webhooks (https://www.standardwebhooks.com, spec 1.0.0) symmetric signatures for
 * `httpSink`: headers `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64>`, the
 * HMAC-SHA256 of `"<id>.<timestamp>.<body>"` keyed with the decoded `whsec_<base64>` secret.
 * Any Standard Webhooks library (the `standardwebhooks` npm package, Svix's) verifies them.
 *
 * @packageDocumentation
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '../errors.js';

/** Header carrying the message id (the same on every retry of a delivery: an idempotency key). */
export const WEBHOOK_ID_HEADER = 'webhook-id';
/** Header carrying the attempt time in Unix seconds. */
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
/** Header carrying space-separated `v1,<base64 signature>` values, one per signing secret. */
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** The specification's bounds for a symmetric secret: 24 to 64 random bytes. */
const MIN_KEY_BYTES = 24;
const MAX_KEY_BYTES = 64;

/**
 * A new random signing secret in the Standard Webhooks serialization: `whsec_` + base64 of
 * `bytes` random bytes (default 32). Share it with the receiver; keep it out of source control.
 *
 * @example
 * ```ts
 * const secret = generateWebhookSecret(); // 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw…'
 * ```
 */
export function generateWebhookSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_KEY_BYTES || bytes > MAX_KEY_BYTES) {
    throw new ConfigError('invalid_option', `generateWebhookSecret(): bytes must be an integer from ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`);
  }
  return PREFIX + randomBytes(bytes).toString('base64');
}

/**
 * The HMAC key of a `whsec_<base64>` secret. Throws a `ConfigError` (`invalid_secret`) for any
 * other shape, so a plain password is never silently used as a Standard Webhooks key.
 *
 * @example
 * ```ts
 * const key = webhookSecretKey(process.env.SINK_SECRET!); // Buffer of 24–64 bytes
 * ```
 */
export function webhookSecretKey(secret: string): Buffer {
  const encoded = typeof secret === 'string' && secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : undefined;
  const key = encoded !== undefined && BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : undefined;
  if (!key || key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
    throw new ConfigError(
      'invalid_secret',
      `a Standard Webhooks secret is "whsec_" followed by the base64 of ${MIN_KEY_BYTES}–${MAX_KEY_BYTES} random bytes (generateWebhookSecret() makes one)`,
    );
  }
  return key;
}

const keysOf = (secret: string | readonly string[]): Buffer[] => (typeof secret === 'string' ? [secret] : [...secret]).map(webhookSecretKey);

function hmac(key: Buffer, id: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

/**
 * What {@link signStandardWebhook} signs.
 *
 * @example
 * ```ts
 * const input: SignStandardWebhookInput = { id: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestamp: 1674087231, body, secret };
 * ```
 */
export interface SignStandardWebhookInput {
  /** The `webhook-id`: must not contain `.` (the spec forbids it: it delimits the signed content). */
  id: string;
  /** Unix seconds (`webhook-timestamp`). */
  timestamp: number;
  /** The exact bytes sent as the request body. */
  body: string | Uint8Array;
  /** One `whsec_…` secret, or several while rotating (one signature each). */
  secret: string | readonly string[];
}

/**
 * The `webhook-signature` header value: `v1,<base64>` per secret, space-separated.
 *
 * @example
 * ```ts
 * const signature = signStandardWebhook({ id, timestamp: Math.floor(Date.now() / 1000), body, secret: [current, previous] });
 * // 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,…'
 * ```
 */
export function signStandardWebhook(input: SignStandardWebhookInput): string {
  if (input.id.length === 0 || input.id.includes('.')) throw new ConfigError('invalid_option', 'a webhook-id must be non-empty and contain no "."');
  return keysOf(input.secret)
    .map((key) => `v1,${hmac(key, input.id, input.timestamp, input.body).toString('base64')}`)
    .join(' ');
}

/** Request headers as Node (`req.headers`), Fetch (`Headers`) or a plain record give them. */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined | null>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined | null>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return (Array.isArray(value) ? value[0] : value) ?? undefined;
}

/**
 * What a receiver passes to {@link verifyStandardWebhook}.
 *
 * @example
 * ```ts
 * const input: VerifyStandardWebhookInput = { rawBody, headers: req.headers, secret: process.env.SINK_SECRET! };
 * ```
 */
export interface VerifyStandardWebhookInput {
  /** The body bytes exactly as received, never re-serialized JSON. */
  rawBody: string | Uint8Array;
  headers: HeaderSource;
  /** One `whsec_…` secret, or several while rotating. */
  secret: string | readonly string[];
  /** Maximum age (and clock skew) of `webhook-timestamp`. Default 300 s, as the reference libraries. */
  toleranceSeconds?: number;
  /** Current time in ms, for tests. Default `Date.now()`. */
  now?: number;
}

/**
 * Verifies a Standard Webhooks request in constant time. Fails closed: missing headers, a
 * timestamp outside the tolerance, or no `v1` signature matching any secret return `false`.
 * Use `webhook-id` as the idempotency key of what you process.
 *
 * @example
 * ```ts
 * import { verifyStandardWebhook } from 'bluetick/sinks/http';
 * const ok = verifyStandardWebhook({ rawBody, headers: req.headers, secret: process.env.SINK_SECRET! });
 * ```
 */
export function verifyStandardWebhook(input: VerifyStandardWebhookInput): boolean {
  const id = header(input.headers, WEBHOOK_ID_HEADER);
  const timestampText = header(input.headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatures = header(input.headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !signatures || !timestampText || !/^\d{1,12}$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  const nowSeconds = (input.now ?? Date.now()) / 1000;
  if (Math.abs(nowSeconds - timestamp) > (input.toleranceSeconds ?? 300)) return false;
  const given = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  let ok = false;
  // Every pair is compared, without an early return, so timing does not reveal which matched.
  for (const key of keysOf(input.secret)) {
    const expected = hmac(key, id, timestamp, input.rawBody);
    for (const candidate of given) if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) ok = true;
  }
  return ok;
}
