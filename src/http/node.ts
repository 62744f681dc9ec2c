import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeCore } from './handler.js';
import { serveNode, type NodeServer } from './node-io.js';
import type { WebhookHandlerOptions } from './types.js';

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
  const { dispatch, handler } = createNodeCore(options);
  const server: NodeServer = { dispatch, maxBodyBytes: handler.maxBodyBytes, logger: options.logger ?? console, framework: 'a body parser', fix: FIX };
  return (req, res) => serveNode(server, req, res, req.url ?? '/');
}
