import { toSecretList } from './secrets.js';
import { singleValue } from './signature-header.js';
import type { Secrets, SharedSecretResult } from './types.js';

/** Constant-time equality of a received token and a configured secret, injected per runtime. */
export type TokenEqual = (given: string, secret: string) => boolean;

/**
 * THE shared-token check, for every runtime (WASender's secret header, the On-Premises token):
 * validates the secrets, reads one value, compares it with every secret (no early exit, so the
 * position of the match does not show) through the injected constant-time `equal`.
 */
export function checkSharedToken(given: string | readonly string[] | null | undefined, secrets: Secrets, what: string, equal: TokenEqual): SharedSecretResult {
  const list = toSecretList(secrets, what);
  const value = singleValue(given);
  if (value === null) return { ok: false, reason: 'malformed', message: `The ${what} was sent several times with different values.` };
  if (value === undefined) return { ok: false, reason: 'missing', message: `No ${what} was sent.` };
  let index = -1;
  for (let i = 0; i < list.length; i++) {
    if (equal(value, list[i] as string) && index === -1) index = i;
  }
  if (index === -1) return { ok: false, reason: 'mismatch', message: `The ${what} does not match the configured secret(s).` };
  return { ok: true, secretIndex: index };
}
