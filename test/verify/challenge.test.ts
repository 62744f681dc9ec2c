import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { handleVerificationChallenge } from '../../src/verify/challenge.js';

const TOKEN = 'my-verify-token';
const GOOD = `hub.mode=subscribe&hub.verify_token=${TOKEN}&hub.challenge=1158201444`;

describe('handleVerificationChallenge', () => {
  it('returns the challenge verbatim for a query string, a full URL, URLSearchParams and a record', () => {
    for (const query of [GOOD, `?${GOOD}`, `https://example.com/webhook?${GOOD}`, new URLSearchParams(GOOD)]) {
      expect(handleVerificationChallenge(query, TOKEN)).toEqual({ ok: true, challenge: '1158201444' });
    }
    const record = { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': 'abc DEF' };
    expect(handleVerificationChallenge(record, TOKEN)).toEqual({ ok: true, challenge: 'abc DEF' });
  });

  it('accepts PHP-style hub_mode / hub_verify_token / hub_challenge keys', () => {
    const php = { hub_mode: 'subscribe', hub_verify_token: TOKEN, hub_challenge: '42' };
    expect(handleVerificationChallenge(php, TOKEN)).toEqual({ ok: true, challenge: '42' });
  });

  it('refuses a wrong or missing token with 403', () => {
    expect(handleVerificationChallenge(GOOD.replace(TOKEN, 'wrong'), TOKEN)).toMatchObject({ ok: false, reason: 'token_mismatch', status: 403 });
    expect(handleVerificationChallenge(GOOD.replace(TOKEN, `${TOKEN}x`), TOKEN)).toMatchObject({ ok: false, status: 403 });
    expect(handleVerificationChallenge('hub.mode=subscribe&hub.challenge=1', TOKEN)).toMatchObject({ ok: false, reason: 'missing_token', status: 403 });
  });

  it('refuses a wrong mode, a missing mode and a missing challenge with 400', () => {
    expect(handleVerificationChallenge(GOOD.replace('subscribe', 'unsubscribe'), TOKEN)).toMatchObject({ reason: 'wrong_mode', status: 400 });
    expect(handleVerificationChallenge(`hub.verify_token=${TOKEN}&hub.challenge=1`, TOKEN)).toMatchObject({ reason: 'missing_mode', status: 400 });
    expect(handleVerificationChallenge(`hub.mode=subscribe&hub.verify_token=${TOKEN}`, TOKEN)).toMatchObject({ reason: 'missing_challenge', status: 400 });
  });

  it('accepts any token of a list (rotation) and refuses an empty configured token', () => {
    expect(handleVerificationChallenge(GOOD, ['old', TOKEN]).ok).toBe(true);
    expect(() => handleVerificationChallenge(GOOD, '')).toThrow(ConfigError);
  });
});
