/**
 * Hono: hand the raw Web `Request` (`c.req.raw`) to `createFetchHandler`. Runs the same on
 * Cloudflare Workers, Bun, Deno and Node (with @hono/node-server).
 */
import { Hono } from 'hono';
import { createTracker } from 'bluetick';
import { createFetchHandler } from 'bluetick/web';

/** Builds the Hono app and its tracker. */
export function createApp(options: { appSecret?: string; verifyToken?: string } = {}) {
  const tracker = createTracker();
  const whatsapp = createFetchHandler({
    cloud: {
      appSecret: options.appSecret ?? process.env.META_APP_SECRET ?? '',
      verifyToken: options.verifyToken ?? process.env.META_VERIFY_TOKEN ?? '',
    },
    tracker,
  });
  const app = new Hono();
  // Do not read c.req.json() first: the signature is over the raw bytes.
  app.on(['GET', 'POST'], '/webhooks/whatsapp', (c) => whatsapp(c.req.raw));
  app.get('/messages/:id', async (c) => c.json((await tracker.getState(c.req.param('id'))) ?? { status: 'unknown' }));
  return { app, tracker };
}
