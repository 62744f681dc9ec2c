import type { RawBody } from '../verify/body-bytes.js';
import type { HmacMatcher } from '../verify/diagnose.js';
import type { MetaSignatureInput, MetaSignatureResult, MetaVerifyOptions, SharedSecretResult } from '../verify/types.js';

/**
 * The cryptography the core needs, injected so the core itself imports no `node:crypto`:
 * `createWebhookHandler` (Node adapters) passes the synchronous `createHmac` implementation,
 * `bluetick/web` the WebCrypto one.
 */
export interface HandlerCrypto {
  verifyMeta(rawBody: RawBody, signature: MetaSignatureInput, secrets: string[], options: MetaVerifyOptions): MetaSignatureResult | Promise<MetaSignatureResult>;
  matcher: HmacMatcher;
  sharedToken(given: string | readonly string[] | null | undefined, secrets: string[], what: string): SharedSecretResult;
}
