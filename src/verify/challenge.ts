import { constantTimeEqual } from './constant-time.js';
import { toSecretList } from './secrets.js';
import type { Secrets } from './types.js';

/** Query of the GET handshake: a `URLSearchParams`, a query string (or full URL), or a record. */
export type ChallengeQuery =
  | URLSearchParams
  | string
  | Readonly<Record<string, string | readonly string[] | undefined | null>>;

/** Why a verification handshake was refused. */
export type ChallengeFailureReason = 'missing_mode' | 'wrong_mode' | 'missing_token' | 'token_mismatch' | 'missing_challenge';

/** Result of {@link handleVerificationChallenge}. */
export type ChallengeResult =
  | { ok: true; challenge: string }
  | { ok: false; reason: ChallengeFailureReason; status: 400 | 403; message: string };

function toParams(query: ChallengeQuery): URLSearchParams {
  if (query instanceof URLSearchParams) return query;
  if (typeof query === 'string') {
    const at = query.indexOf('?');
    return new URLSearchParams(at === -1 ? query : query.slice(at + 1));
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string') params.append(key, value);
    else if (Array.isArray(value)) for (const v of value) params.append(key, v);
  }
  return params;
}

// PHP (and some proxies) turn `hub.mode` into `hub_mode`: accept both spellings.
function pick(params: URLSearchParams, name: string): string | null {
  return params.get(`hub.${name}`) ?? params.get(`hub_${name}`);
}

/**
 * Answers Meta's webhook verification handshake (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`).
 * With the right mode and token it returns the challenge verbatim, to send back as `text/plain`
 * with status 200; otherwise a typed failure with the status to answer (403 for a wrong token, 400
 * for a malformed request). The token is compared in constant time; a list of tokens (rotation)
 * is accepted. PHP-style `hub_mode` keys work too. Throws `ConfigError` (`missing_secret`) when no
 * token is configured, or one is empty or only whitespace.
 *
 * @example
 * ```ts
 * import { handleVerificationChallenge } from 'bluetick';
 *
 * const result = handleVerificationChallenge(new URL(req.url, 'http://x').searchParams, process.env.VERIFY_TOKEN!);
 * if (result.ok) res.status(200).type('text/plain').send(result.challenge);
 * else res.status(result.status).end();
 * ```
 */
export function handleVerificationChallenge(query: ChallengeQuery, verifyToken: Secrets): ChallengeResult {
  const tokens = toSecretList(verifyToken, 'verifyToken');
  const params = toParams(query);
  const mode = pick(params, 'mode');
  const token = pick(params, 'verify_token');
  const challenge = pick(params, 'challenge');
  if (mode === null) return { ok: false, reason: 'missing_mode', status: 400, message: 'hub.mode is missing.' };
  if (token === null) return { ok: false, reason: 'missing_token', status: 403, message: 'hub.verify_token is missing.' };
  let matched = false;
  for (const expected of tokens) matched = constantTimeEqual(token, expected) || matched;
  if (!matched) return { ok: false, reason: 'token_mismatch', status: 403, message: 'hub.verify_token does not match the configured verify token.' };
  if (mode !== 'subscribe') return { ok: false, reason: 'wrong_mode', status: 400, message: `hub.mode must be "subscribe".` };
  if (challenge === null || challenge === '') return { ok: false, reason: 'missing_challenge', status: 400, message: 'hub.challenge is missing.' };
  return { ok: true, challenge };
}
