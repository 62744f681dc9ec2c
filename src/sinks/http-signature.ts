/**
 * bluetick's former signature of `httpSink` deliveries (`x-bluetick-signature`), sent only with
 * `httpSink({ legacySignature })`. Deprecated: `httpSink` signs per Standard Webhooks
 * (`verifyStandardWebhook`); this scheme stays for one minor version so receivers can move.
 * The signature covers the timestamp and the raw body (`<timestamp>.<body>`), so a captured
 * request cannot be replayed later with a fresh timestamp.
 *
 * @packageDocumentation
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`. */
export const HTTP_SINK_SIGNATURE_HEADER = 'x-bluetick-signature';
/** Header carrying the signing time in Unix seconds. */
export const HTTP_SINK_TIMESTAMP_HEADER = 'x-bluetick-timestamp';

/**
 * Computes the `x-bluetick-signature` value for a body sent at `timestamp` (Unix seconds).
 *
 * @deprecated The scheme of `httpSink({ legacySignature })`; new receivers use Standard Webhooks.
 * @example
 * ```ts
 * const signature = signHttpSinkPayload(body, Math.floor(Date.now() / 1000), secret); // 'sha256=…'
 * ```
 */
export function signHttpSinkPayload(rawBody: string | Uint8Array, timestamp: number, secret: string): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(`${timestamp}.`);
  hmac.update(rawBody);
  return `sha256=${hmac.digest('hex')}`;
}

/**
 * What a receiver passes to {@link verifyHttpSinkSignature}: the raw body bytes exactly as
 * received (never a re-serialized object), the two headers, and the shared secret(s).
 *
 * @example
 * ```ts
 * const input: VerifyHttpSinkSignatureInput = { rawBody, signature: req.headers['x-bluetick-signature'], timestamp: req.headers['x-bluetick-timestamp'], secret };
 * ```
 */
export interface VerifyHttpSinkSignatureInput {
  rawBody: string | Uint8Array;
  signature: string | string[] | null | undefined;
  timestamp: string | string[] | null | undefined;
  /** One secret, or several during rotation. */
  secret: string | readonly string[];
  /** Maximum age (and clock skew) accepted. Default 300 s. */
  toleranceSeconds?: number;
  /** Current time in ms, for tests. Default `Date.now()`. */
  now?: number;
}

const first = (value: string | string[] | null | undefined): string | undefined => (Array.isArray(value) ? value[0] : value ?? undefined);

/**
 * Verifies a delivery signed with `httpSink({ legacySignature })` in constant time. Fails closed: a
 * missing or malformed header, a timestamp outside the tolerance, or no matching secret all
 * return `false`.
 *
 * @deprecated Verify `httpSink` deliveries with `verifyStandardWebhook` (or any Standard Webhooks
 * library); this verifier stays for one minor version, for receivers of `legacySignature`.
 * @example
 * ```ts
 * http.createServer(async (req, res) => {
 *   const rawBody = Buffer.concat(await req.toArray());
 *   const ok = verifyHttpSinkSignature({
 *     rawBody, secret: process.env.SINK_SECRET!,
 *     signature: req.headers['x-bluetick-signature'], timestamp: req.headers['x-bluetick-timestamp'],
 *   });
 *   res.statusCode = ok ? 200 : 401;
 *   res.end();
 * });
 * ```
 */
export function verifyHttpSinkSignature(input: VerifyHttpSinkSignatureInput): boolean {
  const signature = first(input.signature);
  const timestampText = first(input.timestamp);
  if (!signature || !timestampText || !/^\d{1,12}$/.test(timestampText)) return false;
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? 300;
  const nowSeconds = (input.now ?? Date.now()) / 1000;
  if (Math.abs(nowSeconds - timestamp) > tolerance) return false;
  const given = Buffer.from(signature, 'utf8');
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  let ok = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signHttpSinkPayload(input.rawBody, timestamp, secret), 'utf8');
    // Check every secret without returning early, so timing does not reveal which one matched.
    if (expected.length === given.length && timingSafeEqual(expected, given)) ok = true;
  }
  return ok;
}
