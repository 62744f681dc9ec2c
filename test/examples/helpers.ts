import { escapeNonAscii, signMetaPayload } from '../../src/index.js';
import { ownFixture } from '../helpers/fixtures.js';

export const APP_SECRET = 'example-app-secret';
export const VERIFY_TOKEN = 'example-verify-token';

/** A real-shaped Cloud statuses webhook (sent, delivered, read, failed 131049, …). */
export const statusesBody = ownFixture('cloud/statuses.json');
/** A Cloud text message with accents and emoji, raw UTF-8 on the wire. */
export const unicodeBody = ownFixture('http/cloud-text-unicode.json');

/** Headers Meta would send: the signature over the body's escaped form. */
export function metaHeaders(body: string, secret = APP_SECRET): Record<string, string> {
  return { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(escapeNonAscii(body), secret) };
}

export const challengeQuery = `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=8675309`;
