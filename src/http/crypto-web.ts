import { verifySharedTokenPortable } from '../verify/shared-secret-web.js';
import { webMac } from '../verify/web-mac.js';
import type { HandlerCrypto } from './crypto.js';

/** WebCrypto implementation: no `node:crypto` in this file's graph. */
export const webCrypto: HandlerCrypto = { mac: webMac, sharedToken: verifySharedTokenPortable };
