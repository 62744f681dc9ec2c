import { ConfigError } from '../errors.js';
import type { Secrets } from './types.js';

/**
 * The secrets as a non-empty list of non-empty strings. An empty secret would let anyone sign
 * (HMAC with an empty key) or match an empty header, so it is a configuration error, never a
 * silent pass; so is a secret of whitespace only (an unset variable padded by a template or a
 * YAML block), which no provider issues.
 */
export function toSecretList(secrets: Secrets | undefined | null, what = 'secret'): string[] {
  const list = typeof secrets === 'string' ? [secrets] : Array.isArray(secrets) ? [...(secrets as string[])] : [];
  if (list.length === 0) throw new ConfigError('missing_secret', `No ${what} given: refusing to verify against nothing.`);
  for (const secret of list) {
    if (typeof secret !== 'string' || secret.length === 0) {
      throw new ConfigError('missing_secret', `Every ${what} must be a non-empty string.`);
    }
    if (secret.trim() === '') {
      throw new ConfigError('missing_secret', `Every ${what} must be a non-empty string: one is only whitespace.`);
    }
  }
  return list;
}

/** Whether a secret has surrounding whitespace (a copy-paste accident from a console or .env file). */
export function hasSurroundingWhitespace(secret: string): boolean {
  return secret !== secret.trim();
}
