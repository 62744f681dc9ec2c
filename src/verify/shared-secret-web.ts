import { constantTimeEqual } from './constant-time.js';
import { toSecretList } from './secrets.js';
import { singleValue } from './signature-header.js';
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
  const list = toSecretList(secrets, what);
  const value = singleValue(given);
  if (value === null) return { ok: false, reason: 'malformed', message: `The ${what} was sent several times with different values.` };
  if (value === undefined) return { ok: false, reason: 'missing', message: `No ${what} was sent.` };
  let index = -1;
  for (let i = 0; i < list.length; i++) {
    if (constantTimeEqual(value, list[i] as string) && index === -1) index = i;
  }
  if (index === -1) return { ok: false, reason: 'mismatch', message: `The ${what} does not match the configured secret(s).` };
  return { ok: true, secretIndex: index };
}
