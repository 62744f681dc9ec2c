import type { IncomingMessage, ServerResponse } from 'node:http';
import { createWebhookHandler } from './handler.js';
import { internalErrorResponse, nodeRawBody, sendNodeResponse } from './node-io.js';
import type { WebhookHandlerOptions } from './types.js';
import { logError } from './log-error.js';

const FIX =
  'Give bluetick the raw request: mount it before any body parser, or exclude its path from the parser (for Next.js pages: export const config = { api: { bodyParser: false } }).';

/**
 * A `node:http` request listener, `(req, res)`: reads the raw body itself (stopping at
 * `maxBodyBytes`), runs the webhook handler and writes its answer. Works with `http.createServer`,
 * and as a handler in frameworks that pass Node's `req`/`res` (Next.js pages API with
 * `bodyParser: false`, Koa's `ctx.req`/`ctx.res`, …).
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createNodeListener } from 'bluetick/node';
 *
 * createServer(createNodeListener({ cloud: { appSecret, verifyToken }, tracker })).listen(3000);
 * ```
 */
export function createNodeListener(options: WebhookHandlerOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const handle = createWebhookHandler(options);
  return async (req, res) => {
    try {
      const body = await nodeRawBody(req, handle.maxBodyBytes, 'a body parser', FIX);
      if (!body.ok) return sendNodeResponse(res, body.response);
      const response = await handle({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, rawBody: body.rawBody });
      sendNodeResponse(res, response);
    } catch (error) {
      logError(options.logger ?? console, 'webhook handler failed', error);
      sendNodeResponse(res, internalErrorResponse());
    }
  };
}
