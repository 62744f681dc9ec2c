import { constantTimeEqual } from './constant-time.js';
import { checkSharedToken } from './token-loop.js';
import type { Secrets, SharedSecretResult } from './types.js';

/**
 * Runtime-agnostic twin of `verifySharedToken` (no `node:crypto`): the comparison's timing depends
 * only on the received value's length, never on the secret. Used by `bluetick/web`.
 *
 * @example
 * ```ts
 * verifySharedTokenPortable(request.headers.get('x-webhook-signature'), env.WASENDER_SECRET).ok;
 * ```
 */
export function verifySharedTokenPortable(
  given: string | readonly string[] | null | undefined,
  secrets: Secrets,
  what = 'token',
): SharedSecretResult {
  return checkSharedToken(given, secrets, what, constantTimeEqual);
}
