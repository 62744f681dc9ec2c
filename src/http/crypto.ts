import type { RawBody } from '../verify/body-bytes.js';
import type { HmacMatcher } from '../verify/diagnose.js';
import type { ParsedMetaSignature } from '../verify/signature-header.js';
import type { MetaSignatureResult, SharedSecretResult } from '../verify/types.js';

/**
 * The cryptography the core needs, injected so the core itself imports no `node:crypto`:
 * `createWebhookHandler` (Node adapters) passes the synchronous `createHmac` implementation,
 * `bluetick/web` the WebCrypto one.
 */
export interface HandlerCrypto {
  /** Verifies a parsed, well-formed signature against validated secrets (escaped-form fallback on). */
  verifyMeta(rawBody: RawBody, signature: ParsedMetaSignature, secrets: readonly string[]): MetaSignatureResult | Promise<MetaSignatureResult>;
  matcher: HmacMatcher;
  sharedToken(given: string | readonly string[] | null | undefined, secrets: string[], what: string): SharedSecretResult;
}
