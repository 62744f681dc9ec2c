/**
 * docs/recipes.md: Hono (Node, Bun, Deno, Workers).
 *
 * @sample run
 * @sample-fetch default
 */
import { Hono } from 'hono';
import { createTracker } from 'bluetick';
import { createFetchHandler } from 'bluetick/web';

const tracker = createTracker();
const whatsapp = createFetchHandler({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
});

const app = new Hono();
app.on(['GET', 'POST'], '/webhooks/whatsapp', (c) => whatsapp(c.req.raw)); // no validator, no c.req.json() before it
export default app;
