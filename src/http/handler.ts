import { createCore, type HandlerCore } from './core.js';
import { nodeCrypto } from './crypto-node.js';
import type { MountedWebhookHandler, WebhookHandlerOptions } from './types.js';

/**
 * The framework-agnostic webhook handler: `{ method, url, headers, rawBody }` in,
 * `{ status, headers, body }` out. Verifies (GET handshake, signatures, shared tokens), normalizes
 * and ingests, and answers what the provider needs: 200 once stored, 401 for a bad or missing
 * signature, 400 for an unusable body, 413 over `maxBodyBytes`, 405 for other methods, 503 when
 * the store is unavailable (so the provider retries). Throws `ConfigError` at creation when a
 * provider lacks its secret. Uses `node:crypto`; on Workers/Deno/Bun use `bluetick/web`.
 *
 * @example
 * ```ts
 * import { createWebhookHandler, createTracker } from 'bluetick';
 *
 * const handle = createWebhookHandler({
 *   cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
 *   tracker: createTracker(),
 * });
 * const { status, headers, body } = await handle({ method: 'POST', url: '/webhook', headers: req.headers, rawBody });
 * ```
 */
export function createWebhookHandler(options: WebhookHandlerOptions): MountedWebhookHandler {
  return createCore(options, nodeCrypto).handler;
}

/** The core the Node adapters mount (`dispatch` answers synchronously when it can); not public. */
export function createNodeCore(options: WebhookHandlerOptions): HandlerCore {
  return createCore(options, nodeCrypto);
}
