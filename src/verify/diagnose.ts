import { escapedForm, toBytes, toText, type RawBody } from './body-bytes.js';
import { escapeNonAscii } from './escape.js';
import { hasSurroundingWhitespace } from './secrets.js';
import { hexToBytes, type MacCrypto } from './meta-loop.js';
import type { ParsedMetaSignature } from './signature-header.js';

/** What a diagnostic found, Stripe-style: a stable code and a message that names the fix. */
export type SignatureDiagnosticCode =
  | 'secret_whitespace'
  | 'body_reserialized'
  | 'body_parsed'
  | 'sha1_only'
  | 'get_on_post_only';

/** A diagnosis of a failed verification. Never contains secrets or signatures. */
export interface SignatureDiagnostic {
  code: SignatureDiagnosticCode;
  message: string;
}

/** Checks whether an HMAC of `body` under `secret` equals the signature (sync on Node, async on WebCrypto). */
export type HmacMatcher = (
  algorithm: ParsedMetaSignature['algorithm'],
  secret: string,
  body: Uint8Array,
  hex: string,
) => boolean | Promise<boolean>;

const encoder = new TextEncoder();

/** The matcher over an injected HMAC (Node or WebCrypto): the diagnostics' only crypto. */
export function matcherOf(mac: MacCrypto): HmacMatcher {
  return (algorithm, secret, body, hex) => {
    const expected = hexToBytes(hex);
    const digest = mac.hmac(algorithm, secret, body);
    return digest instanceof Promise ? digest.then((d) => mac.equal(d, expected)) : mac.equal(digest, expected);
  };
}

/** The fixed messages, shared by the handler and the docs' troubleshooting table. */
export const DIAGNOSTIC_MESSAGES: Record<SignatureDiagnosticCode, string> = {
  secret_whitespace:
    'The signature verifies with the configured app secret TRIMMED: the secret has surrounding whitespace (a copy-paste or .env accident). Remove it.',
  body_reserialized:
    'The signature matches a re-serialized form of this body (JSON.stringify(JSON.parse(body))), not the bytes received: something parsed and re-encoded the body before verification. Verify the raw request bytes.',
  body_parsed:
    'The request body was already parsed into an object by a body parser, so the signed bytes are lost. Mount bluetick before express.json()/bodyParser, or exclude its path from them.',
  sha1_only:
    'Only the legacy SHA-1 X-Hub-Signature header was sent. Meta sends X-Hub-Signature-256 with every webhook: check that no proxy strips it, or opt in with allowSha1: true.',
  get_on_post_only:
    'A GET verification handshake (hub.mode, hub.verify_token, hub.challenge) reached a handler without cloud.verifyToken: configure cloud: { verifyToken } so Meta can subscribe.',
};

/**
 * Explains a signature MISMATCH when the cause is a common integration mistake: a secret with
 * surrounding whitespace, or a body that was parsed and re-serialized on its way in (the
 * signature matches `JSON.stringify(JSON.parse(body))` or its escaped form, not the bytes
 * received). Returns `null` when nothing explains it (then the secret is wrong, or the request is
 * forged). Costs a JSON re-parse and up to a dozen HMACs over the body: never run for strangers'
 * requests, only in the CLI (`bluetick verify`) and behind the handler's `debugSignatures`.
 */
export async function diagnoseMetaMismatch(
  rawBody: RawBody,
  signature: ParsedMetaSignature,
  secrets: readonly string[],
  match: HmacMatcher,
): Promise<SignatureDiagnostic | null> {
  const { algorithm, hex } = signature;
  const bodies = [toBytes(rawBody)];
  const escaped = escapedForm(rawBody);
  if (escaped !== null) bodies.push(escaped);
  for (const secret of secrets) {
    if (!hasSurroundingWhitespace(secret)) continue;
    for (const body of bodies) {
      if (await match(algorithm, secret.trim(), body, hex)) return { code: 'secret_whitespace', message: DIAGNOSTIC_MESSAGES.secret_whitespace };
    }
  }
  let canonical: string;
  try {
    canonical = JSON.stringify(JSON.parse(toText(rawBody)));
  } catch {
    return null;
  }
  if (canonical === toText(rawBody)) return null;
  const forms = new Set([canonical, escapeNonAscii(canonical)]);
  for (const secret of secrets) {
    for (const form of forms) {
      for (const s of new Set([secret, secret.trim()])) {
        if (await match(algorithm, s, encoder.encode(form), hex)) return { code: 'body_reserialized', message: DIAGNOSTIC_MESSAGES.body_reserialized };
      }
    }
  }
  return null;
}
