/**
 * What a hand-written webhook route does with the raw bytes before anything else, the baseline of
 * bench/http.ts and bench/receiver.ts: Meta's HMAC with `createHmac`, a `timingSafeEqual`
 * comparison, `JSON.parse`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The parsed body, or null when the `X-Hub-Signature-256` header does not match. */
export function verifyAndParse<T>(raw: Buffer, header: unknown, secret: string): T | null {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`);
  const given = Buffer.from(String(header ?? ''));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return JSON.parse(raw.toString('utf8')) as T;
}
