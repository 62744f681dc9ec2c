/**
 * Builds a webhook request the way each provider sends it: Meta signs with HMAC-SHA256 over the
 * body with non-ASCII escaped as \uXXXX, WASender puts its secret in X-Webhook-Signature, the
 * On-Premises API carries the host's shared token. Shared by `bluetick replay` and the demo.
 */
import type { Provider } from '../../event/types.js';
import { escapeNonAscii } from '../../verify/escape.js';
import { signMetaPayload } from '../../verify/meta.js';
import { CliError, EXIT } from '../io.js';

/** One body to send, with the provider it belongs to. */
export interface ReplayPayload {
  /** Shown in progress lines and failures (a file path, or a generated name). */
  label: string;
  provider: Provider;
  /** The exact bytes to put on the wire. */
  body: string | Uint8Array;
}

/** The credentials a sender needs; a payload of a provider without them is refused up front. */
export interface ReplayCredentials {
  /** Meta app secret: signs Cloud payloads. */
  cloudSecret?: string;
  /** Sign the exact bytes instead of Meta's escaped form (both verify on a bluetick receiver). */
  signRaw?: boolean;
  /** WASender webhook secret, sent in X-Webhook-Signature. */
  wasenderSecret?: string;
  /** On-Premises shared token. */
  onpremToken?: string;
  /** Send the token in this header; default: the `token` query parameter (the receiver's default). */
  onpremHeader?: string;
}

/** A ready-to-send request. */
export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

const MISSING: Record<Provider, string> = {
  cloud: '--secret (the Meta app secret)',
  wasender: '--wasender-secret',
  onprem: '--onprem-token',
};

/** Throws a usage error when a provider present in the payloads has no credential. */
export function assertCredentials(providers: Iterable<Provider>, credentials: ReplayCredentials): void {
  for (const provider of new Set(providers)) {
    const has = provider === 'cloud' ? credentials.cloudSecret : provider === 'wasender' ? credentials.wasenderSecret : credentials.onpremToken;
    if (has === undefined || has === '') {
      throw new CliError('usage', `replay: there are ${provider} payloads: give ${MISSING[provider]}`, EXIT.usage);
    }
  }
}

/**
 * Signs one payload for `url` as its provider would send it.
 *
 * @example
 * ```ts
 * const req = signedRequest({ label: 'a', provider: 'cloud', body }, 'http://127.0.0.1:3000/wa', { cloudSecret: 's' });
 * await fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
 * ```
 */
export function signedRequest(payload: ReplayPayload, url: string, credentials: ReplayCredentials): SignedRequest {
  const body = typeof payload.body === 'string' ? encoder.encode(payload.body) : payload.body;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'bluetick-replay' };
  let target = url;
  if (payload.provider === 'cloud') {
    const secret = credentials.cloudSecret as string;
    // Meta escapes non-ASCII before signing; the receiver verifies raw bytes, then the escaped form.
    headers['x-hub-signature-256'] = credentials.signRaw ? signMetaPayload(body, secret) : signMetaPayload(escapeNonAscii(decoder.decode(body)), secret);
  } else if (payload.provider === 'wasender') {
    headers['x-webhook-signature'] = credentials.wasenderSecret as string;
  } else if (credentials.onpremHeader !== undefined) {
    headers[credentials.onpremHeader.toLowerCase()] = credentials.onpremToken as string;
  } else {
    const u = new URL(url);
    u.searchParams.set('token', credentials.onpremToken as string);
    target = u.toString();
  }
  return { url: target, headers, body };
}
