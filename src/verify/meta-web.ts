import type { RawBody } from './body-bytes.js';
import { signMetaWith, verifyMetaWith } from './meta-loop.js';
import type { MetaSignatureInput, MetaSignatureResult, MetaVerifyOptions, Secrets } from './types.js';
import { webMac } from './web-mac.js';

// The WebCrypto driver of the one verification loop (meta-loop.ts): same steps, same results and
// messages as the Node one; no node:crypto anywhere in this file's graph.

/**
 * The WebCrypto twin of `verifyMetaSignature` (same inputs, same result), asynchronous, for
 * runtimes without `node:crypto`. Exported from `bluetick/web`; on Node prefer the synchronous
 * `verifyMetaSignature`, which is an order of magnitude faster.
 *
 * @example
 * ```ts
 * import { verifyMetaSignatureWeb } from 'bluetick/web';
 *
 * const raw = new Uint8Array(await request.arrayBuffer());
 * const result = await verifyMetaSignatureWeb(raw, request.headers, env.APP_SECRET);
 * if (!result.ok) return new Response(result.reason, { status: 401 });
 * ```
 */
export async function verifyMetaSignatureWeb(
  rawBody: RawBody,
  signature: MetaSignatureInput,
  secrets: Secrets,
  options: MetaVerifyOptions = {},
): Promise<MetaSignatureResult> {
  return verifyMetaWith(webMac, 'verifyMetaSignatureWeb', rawBody, signature, secrets, options);
}

/**
 * The WebCrypto twin of `signMetaPayload`: resolves to `sha256=<hex>`.
 *
 * @example
 * ```ts
 * const header = await signMetaPayloadWeb(body, env.APP_SECRET);
 * ```
 */
export async function signMetaPayloadWeb(rawBody: RawBody, appSecret: string, algorithm: 'sha256' | 'sha1' = 'sha256'): Promise<string> {
  return signMetaWith(webMac, 'signMetaPayloadWeb', rawBody, appSecret, algorithm);
}
