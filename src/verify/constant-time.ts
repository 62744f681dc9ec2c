/**
 * Compares a received value with a secret in time that depends only on the RECEIVED value's
 * length: the loop runs over `given`, indexing the secret modulo its length, so neither the
 * secret's content nor its length shows in the timing. Pure JS, for runtimes without
 * `node:crypto` (the Node path hashes both sides under a per-process key instead).
 *
 * @example
 * ```ts
 * constantTimeEqual(req.headers.get('x-webhook-signature') ?? '', secret); // boolean
 * ```
 */
export function constantTimeEqual(given: string, secret: string): boolean {
  const m = secret.length;
  if (m === 0) return false; // secrets are validated non-empty at configuration time
  let diff = given.length ^ m;
  for (let i = 0; i < given.length; i++) {
    diff |= given.charCodeAt(i) ^ secret.charCodeAt(i % m);
  }
  return diff === 0;
}
