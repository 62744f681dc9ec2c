import { assertRawBody, type RawBody } from './body-bytes.js';
import { diagnoseMetaMismatch, matcherOf, type HmacMatcher, type SignatureDiagnostic } from './diagnose.js';
import { nodeMac } from './node-mac.js';
import { toSecretList } from './secrets.js';
import { parseMetaSignature } from './signature-header.js';
import type { MetaSignatureInput, MetaVerifyOptions, Secrets } from './types.js';

/** Node `createHmac` matcher for {@link diagnoseMetaMismatch}. */
const nodeHmacMatcher: HmacMatcher = matcherOf(nodeMac);

/**
 * Explains why a Meta signature does not verify, when the cause is an integration mistake: a
 * secret with surrounding whitespace (`secret_whitespace`), a body re-serialized before
 * verification (`body_reserialized`), or only the SHA-1 header sent (`sha1_only`). Resolves to
 * `null` when the signature verifies or nothing explains the failure. Use it while debugging (the
 * `bluetick verify` command does); it re-parses the body and runs a dozen HMACs, so never on every
 * failed request of a public endpoint (the webhook handler runs it only with `debugSignatures`).
 *
 * @example
 * ```ts
 * // Internal (not exported): what `bluetick verify` runs on a captured request.
 * const hint = await diagnoseMetaSignature(rawBody, req.headers, process.env.APP_SECRET!);
 * if (hint) console.warn(hint.code, hint.message);
 * ```
 */
export async function diagnoseMetaSignature(
  rawBody: RawBody,
  signature: MetaSignatureInput,
  secrets: Secrets,
  options: MetaVerifyOptions = {},
): Promise<SignatureDiagnostic | null> {
  assertRawBody(rawBody, 'diagnoseMetaSignature');
  const parsed = parseMetaSignature(signature, options);
  if (!parsed.ok) {
    return parsed.reason === 'sha1_not_allowed' ? { code: 'sha1_only', message: parsed.message } : null;
  }
  return diagnoseMetaMismatch(rawBody, parsed, toSecretList(secrets, 'Meta app secret'), nodeHmacMatcher);
}
