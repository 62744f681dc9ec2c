import { verifyMetaSignatureWeb, verifyParsedWeb } from '../verify/meta-web.js';
import { verifySharedTokenPortable } from '../verify/shared-secret-web.js';
import type { HandlerCrypto } from './crypto.js';

/** WebCrypto implementation: no `node:crypto` in this file's import graph. */
export const webCrypto: HandlerCrypto = {
  verifyMeta: (rawBody, signature, secrets) => verifyParsedWeb(rawBody, signature, secrets, true),
  matcher: async (algorithm, secret, body, hex) => {
    const header = { [algorithm]: `${algorithm}=${hex}` };
    const result = await verifyMetaSignatureWeb(body, header, secret, { allowSha1: true, escapedFallback: false });
    return result.ok;
  },
  sharedToken: verifySharedTokenPortable,
};
