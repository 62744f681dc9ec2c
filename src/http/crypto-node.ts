import { nodeHmacMatcher } from '../verify/diagnose-node.js';
import { verifyParsed } from '../verify/meta.js';
import { verifySharedToken } from '../verify/shared-secret.js';
import type { HandlerCrypto } from './crypto.js';

/** `node:crypto` implementation (also right for Bun and Deno, which provide `node:crypto`). */
export const nodeCrypto: HandlerCrypto = {
  verifyMeta: (rawBody, signature, secrets) => verifyParsed(rawBody, signature, secrets, true),
  matcher: nodeHmacMatcher,
  sharedToken: verifySharedToken,
};
