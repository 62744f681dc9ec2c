import type { MacCrypto } from '../verify/meta-loop.js';
import type { SharedSecretResult } from '../verify/types.js';

/**
 * The cryptography the core needs, injected so the core itself imports no `node:crypto`:
 * `createWebhookHandler` (Node adapters) passes the synchronous `createHmac` implementation,
 * `bluetick/web` the WebCrypto one. Both run the same verification loop (src/verify/meta-loop.ts).
 */
export interface HandlerCrypto {
  /** HMAC + constant-time comparison for Meta signatures (and the opt-in diagnostics). */
  mac: MacCrypto;
  sharedToken(given: string | readonly string[] | null | undefined, secrets: string[], what: string): SharedSecretResult;
}
