/**
 * Whether a failed AWS SDK call is worth retrying, for the AWS sinks (Firehose, SQS). Internal.
 */

/** Throttling errors: AWS answers some of them with a 400, which must not read as "give up". */
const THROTTLING = /Throttl|TooManyRequests|SlowDown|RequestLimitExceeded/;

/**
 * Classifies an error thrown by `client.send`: the SDK's own `$retryable` flag wins; then `permanent`
 * error names (wrong queue or stream, bad request, KMS or permission problems) are not retryable,
 * throttling is, and so is everything but a 4xx other than 408 and 429 (network errors, 5xx).
 */
export function retryableAwsCallError(error: unknown, permanent: ReadonlySet<string>): boolean {
  const e = error as { name?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number } } | null;
  if (e?.$retryable) return true;
  if (e?.name && permanent.has(e.name)) return false;
  if (e?.name && THROTTLING.test(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
  return true;
}
