import { nodeMac } from '../verify/node-mac.js';
import { verifySharedToken } from '../verify/shared-secret.js';
import type { HandlerCrypto } from './crypto.js';

/** `node:crypto` implementation (also right for Bun and Deno, which provide `node:crypto`). */
export const nodeCrypto: HandlerCrypto = { mac: nodeMac, sharedToken: verifySharedToken };
