import { nodeHmacMatcher } from '../verify/diagnose-node.js';
import { verifyMetaSignature } from '../verify/meta.js';
import { verifySharedToken } from '../verify/shared-secret.js';
import type { HandlerCrypto } from './crypto.js';

/** `node:crypto` implementation (also right for Bun and Deno, which provide `node:crypto`). */
export const nodeCrypto: HandlerCrypto = {
  verifyMeta: verifyMetaSignature,
  matcher: nodeHmacMatcher,
  sharedToken: verifySharedToken,
};
