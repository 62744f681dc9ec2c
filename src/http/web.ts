import { createHandlerCore } from './core.js';
import { webCrypto } from './crypto-web.js';
import { errorResponse, tooLargeResponse } from './responses.js';
import type { WebhookHandlerOptions, WebhookResponse } from './types.js';
import { logError } from './log-error.js';

export { verifyMetaSignatureWeb, signMetaPayloadWeb } from '../verify/meta-web.js';
export { verifySharedTokenPortable } from '../verify/shared-secret-web.js';

type ReadResult = { ok: true; body: Uint8Array } | { ok: false; response: WebhookResponse };

/** Reads a Fetch body up to `limit` bytes, cancelling the stream as soon as it is exceeded. */
async function readLimited(request: Request, limit: number): Promise<ReadResult> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await request.body?.cancel().catch(() => undefined);
    return { ok: false, response: tooLargeResponse(limit) };
  }
  if (request.body === null) return { ok: true, body: new Uint8Array(0) };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, response: tooLargeResponse(limit) };
      }
      chunks.push(value);
    }
  } catch {
    return { ok: false, response: errorResponse(400, 'request_aborted', 'The request body could not be read.') };
  }
  if (chunks.length === 1) return { ok: true, body: chunks[0] as Uint8Array };
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, body };
}

function toFetchResponse(response: WebhookResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}

/**
 * A Fetch-API handler, `Request → Promise<Response>`, for Next.js route handlers, Hono, Cloudflare
 * Workers, Bun and Deno. Verifies with WebCrypto (this subpath never imports `node:crypto`), reads
 * the body with a streaming size limit, and answers like `createWebhookHandler`.
 *
 * @example
 * ```ts
 * // app/api/whatsapp/route.ts (Next.js)
 * import { createTracker } from 'bluetick';
 * import { createFetchHandler } from 'bluetick/web';
 *
 * const handler = createFetchHandler({ cloud: { appSecret: process.env.APP_SECRET!, verifyToken: process.env.VERIFY_TOKEN! }, tracker: createTracker() });
 * export { handler as GET, handler as POST };
 * ```
 */
export function createFetchHandler(options: WebhookHandlerOptions): (request: Request) => Promise<Response> {
  const handle = createHandlerCore(options, webCrypto);
  return async (request) => {
    try {
      let rawBody: Uint8Array | undefined;
      if (request.method.toUpperCase() === 'POST') {
        const read = await readLimited(request, handle.maxBodyBytes);
        if (!read.ok) return toFetchResponse(read.response);
        rawBody = read.body;
      }
      return toFetchResponse(await handle({ method: request.method, url: request.url, headers: request.headers, rawBody }));
    } catch (error) {
      logError(options.logger ?? console, 'webhook handler failed', error);
      return toFetchResponse(errorResponse(500, 'internal_error', 'The webhook handler failed unexpectedly.'));
    }
  };
}
