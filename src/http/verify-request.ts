import type { Provider } from '../event/types.js';
import { toBytes, type RawBody } from '../verify/body-bytes.js';
import { DIAGNOSTIC_MESSAGES, diagnoseMetaMismatch, matcherOf, type SignatureDiagnostic } from '../verify/diagnose.js';
import { verifyParsedWith } from '../verify/meta-loop.js';
import { parseMetaSignature, readHeader, type ParsedMetaSignature } from '../verify/signature-header.js';
import type { MetaSignatureResult } from '../verify/types.js';
import type { HandlerCrypto } from './crypto.js';
import type { MaybePromise, ResolvedOptions } from './options.js';
import { errorResponse } from './responses.js';
import { queryOf } from './select-provider.js';
import type { WebhookHeaders, WebhookResponse } from './types.js';

function unauthorized(code: string, message: string, diagnostic: SignatureDiagnostic | null, options: ResolvedOptions): WebhookResponse {
  if (diagnostic !== null) options.warnOnce(diagnostic.code, diagnostic.message);
  return errorResponse(401, code, message, diagnostic?.message);
}

/**
 * A mismatch's 401. The diagnostics re-parse the body and run a dozen more HMACs: anyone can send
 * a wrong signature, so they run only when the operator asked for them (`debugSignatures`), and a
 * stranger's request costs no more than a valid one (at most the escaped-form retry).
 */
function mismatch(rawBody: RawBody, parsed: ParsedMetaSignature, secrets: string[], options: ResolvedOptions, crypto: HandlerCrypto, message: string): MaybePromise<WebhookResponse> {
  if (!options.debugSignatures) return unauthorized('signature_mismatch', message, null, options);
  return diagnoseMetaMismatch(toBytes(rawBody), parsed, secrets, matcherOf(crypto.mac)).then((diagnostic) => unauthorized('signature_mismatch', message, diagnostic, options));
}

function verifyCloud(rawBody: RawBody, headers: WebhookHeaders, options: ResolvedOptions, crypto: HandlerCrypto): MaybePromise<WebhookResponse | null> {
  const cloud = options.cloud;
  if (cloud?.secrets == null) return null; // only reachable with dangerouslyDisableVerification
  const signature = { sha256: readHeader(headers, 'x-hub-signature-256'), sha1: readHeader(headers, 'x-hub-signature') };
  const parsed = parseMetaSignature(signature, { allowSha1: cloud.allowSha1 });
  if (!parsed.ok) {
    const diagnostic = parsed.reason === 'sha1_not_allowed' ? { code: 'sha1_only' as const, message: DIAGNOSTIC_MESSAGES.sha1_only } : null;
    return unauthorized(`signature_${parsed.reason}`, parsed.message, diagnostic, options);
  }
  const secrets = cloud.secrets;
  // Synchronous all the way on Node (no promise, no closure per request); WebCrypto resolves asynchronously.
  const result = verifyParsedWith(crypto.mac, rawBody, parsed, secrets, true);
  if (result instanceof Promise) return result.then((settled: MetaSignatureResult) => (settled.ok ? null : mismatch(rawBody, parsed, secrets, options, crypto, settled.message)));
  return result.ok ? null : mismatch(rawBody, parsed, secrets, options, crypto, result.message);
}

function verifyShared(
  given: string | readonly string[] | null | undefined,
  secrets: string[] | null,
  what: string,
  options: ResolvedOptions,
  crypto: HandlerCrypto,
): WebhookResponse | null {
  if (secrets === null) return null; // only reachable with dangerouslyDisableVerification
  const result = crypto.sharedToken(given, secrets, what);
  if (result.ok) return null;
  let diagnostic: SignatureDiagnostic | null = null;
  const trimmed = secrets.filter((s) => s !== s.trim()).map((s) => s.trim());
  // Opt-in like the Meta diagnostics (cheap here, but the same rule: no extra work for strangers).
  if (options.debugSignatures && result.reason === 'mismatch' && trimmed.length > 0 && crypto.sharedToken(given, trimmed, what).ok) {
    diagnostic = {
      code: 'secret_whitespace',
      message: `The ${what} matches the configured secret TRIMMED: the secret has surrounding whitespace. Remove it.`,
    };
  }
  return unauthorized(`signature_${result.reason}`, result.message, diagnostic, options);
}

/**
 * Checks the request's credentials for the selected provider. Resolves to `null` when they
 * verify, otherwise to the 401 response (with a diagnostic hint, under `debugSignatures`, when a
 * common mistake explains it).
 */
export function verifyRequest(
  provider: Provider,
  rawBody: RawBody,
  headers: WebhookHeaders,
  url: string,
  options: ResolvedOptions,
  crypto: HandlerCrypto,
): MaybePromise<WebhookResponse | null> {
  if (options.insecure) return null;
  if (provider === 'cloud') return verifyCloud(rawBody, headers, options, crypto);
  if (provider === 'wasender') {
    return verifyShared(readHeader(headers, 'x-webhook-signature'), options.wasender?.secrets ?? null, 'X-Webhook-Signature secret', options, crypto);
  }
  const onprem = options.onprem;
  if (onprem === undefined) return null;
  const fromHeader = onprem.header === null ? undefined : readHeader(headers, onprem.header);
  const fromQuery = onprem.queryParam === null ? [] : queryOf(url).getAll(onprem.queryParam);
  const given = fromHeader ?? (fromQuery.length > 0 ? fromQuery : undefined);
  return verifyShared(given, onprem.tokens, 'On-Premises token', options, crypto);
}
