import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createNodeCore } from './handler.js';
import { serveNode, type NodeServer } from './node-io.js';
import type { WebhookHandlerOptions } from './types.js';

/** Options of {@link bluetickExpress}: the handler's options plus the route path. */
export interface BluetickExpressOptions extends WebhookHandlerOptions {
  /**
   * Path this router answers (exact match, relative to where it is mounted). Without it, every
   * request reaching the router is a webhook: mount it with `app.use('/webhooks/whatsapp', …)`.
   */
  path?: string;
}

const FIX =
  'Mount bluetick BEFORE express.json(): app.use(bluetickExpress({ path: "/webhooks/whatsapp", … })); app.use(express.json()); ' +
  'or exclude its path from the JSON parser. (express.raw({ type: "*/*" }) in front of it also works: bluetick uses the Buffer.)';

/**
 * Express router (4 and 5) for the webhook route. It captures the raw body itself, for its route
 * only, so the rest of the app keeps its own body parsing; when `express.json()` already consumed
 * the body it answers 500 with a message that names the fix. Express is imported as types only:
 * this module loads without it.
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { bluetickExpress } from 'bluetick/express';
 *
 * const app = express();
 * app.use(bluetickExpress({ path: '/webhooks/whatsapp', cloud: { appSecret, verifyToken }, tracker }));
 * app.use(express.json()); // after bluetick
 * ```
 */
export function bluetickExpress(options: BluetickExpressOptions): RequestHandler {
  const { path, ...handlerOptions } = options;
  const { dispatch, handler } = createNodeCore(handlerOptions);
  const logger = options.logger ?? console;
  let warned = false;
  const server: NodeServer = {
    dispatch,
    maxBodyBytes: handler.maxBodyBytes,
    logger,
    framework: 'express.json() (or another body parser mounted before bluetick)',
    fix: FIX,
    onRefused: (response) => {
      if (response.status !== 500 || warned) return;
      warned = true;
      logger.warn(`[bluetick] The webhook body reached bluetick already parsed, so signatures cannot be verified. ${FIX}`);
    },
  };
  return (req: Request, res: Response, next: NextFunction) => {
    if (path !== undefined && req.path !== path) return next();
    void serveNode(server, req, res, req.originalUrl);
  };
}
