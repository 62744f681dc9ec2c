import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ConfigError } from '../errors.js';
import { createNodeCore } from './handler.js';
import { logError } from './log-error.js';
import { errorResponse, tooLargeResponse } from './responses.js';
import type { WebhookHandlerOptions, WebhookResponse } from './types.js';

/** Options of {@link bluetickFastify}: the handler's options plus the route path. */
export interface BluetickFastifyOptions extends WebhookHandlerOptions {
  /** Route path inside the plugin's prefix. Default `/`, so `register(bluetickFastify, { prefix: '/webhooks/whatsapp' })` works too. */
  path?: string;
}

function send(reply: FastifyReply, response: WebhookResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/**
 * Fastify (4 and 5) plugin for the webhook route. It is ENCAPSULATED on purpose (not wrapped with
 * fastify-plugin): its buffer content-type parser, which keeps the exact signed bytes, applies to
 * its own route only and the host app's JSON parsing elsewhere is untouched. Bodies over
 * `maxBodyBytes` are refused by Fastify's own `bodyLimit` before they are read (413).
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { bluetickFastify } from 'bluetick/fastify';
 *
 * const app = Fastify();
 * await app.register(bluetickFastify, { path: '/webhooks/whatsapp', cloud: { appSecret, verifyToken }, tracker });
 * ```
 */
export const bluetickFastify: FastifyPluginAsync<BluetickFastifyOptions> = async (instance: FastifyInstance, options) => {
  const { path = '/', ...rest } = options;
  // Fastify passes its own register options (prefix, logLevel, …) along; keep ours only.
  const handlerOptions: WebhookHandlerOptions & { prefix?: unknown; logLevel?: unknown } = rest;
  delete handlerOptions.prefix;
  delete handlerOptions.logLevel;
  const { dispatch, handler: handle } = createNodeCore(handlerOptions);
  const limit = handle.maxBodyBytes;
  // A configuration mistake (a missing package) stops the app from starting; an outage does not
  // (the route answers 503 until the store is back).
  await handle.ready().catch((err: unknown) => {
    if (err instanceof ConfigError) throw err;
  });

  const keepBytes = (_req: FastifyRequest, body: Buffer | string, done: (err: Error | null, body?: unknown) => void) => done(null, body);
  instance.removeAllContentTypeParsers();
  // An exact parser for what providers send (Fastify resolves it fastest), and a catch-all for the rest.
  instance.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: limit }, keepBytes);
  instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: limit }, keepBytes);
  instance.setErrorHandler((error: { statusCode?: number; code?: string }, _req, reply) => {
    if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return send(reply, tooLargeResponse(limit));
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    // A 4xx is the client's (the answer says so); a 500 is logged through the handler's logger,
    // like every adapter, and without the error's message.
    if (status === 500) logError(options.logger ?? console, 'webhook request failed', error);
    return send(reply, errorResponse(status, status === 500 ? 'internal_error' : 'bad_request', status === 500 ? 'The webhook handler failed unexpectedly.' : 'The request could not be read.'));
  });
  instance.route({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: path,
    bodyLimit: limit,
    // Not async: a synchronous answer is sent at once, without a promise for Fastify to wait on
    // (bench/http.ts); an answer that waits (a tracker) is a promise Fastify awaits.
    handler: (request, reply) => {
      const response = dispatch({ method: request.method, url: request.url, headers: request.headers, rawBody: request.body as Buffer | string | undefined });
      if (response instanceof Promise) return response.then((r) => send(reply, r));
      send(reply, response);
      return undefined;
    },
  });
};
