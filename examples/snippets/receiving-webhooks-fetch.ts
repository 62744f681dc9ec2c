/**
 * docs/receiving-webhooks.md, "Fetch Request": one handler for a Next.js route, Hono and Workers.
 *
 * @sample run
 * @sample-fetch POST default app
 */
import { Hono } from 'hono';
import { createTracker } from 'bluetick';

const tracker = createTracker();
const app = new Hono();

// app/api/whatsapp/route.ts
import { createFetchHandler } from 'bluetick/web';
const handler = createFetchHandler({ cloud: { appSecret: process.env.APP_SECRET!, verifyToken: process.env.VERIFY_TOKEN! }, tracker });
export { handler as GET, handler as POST };

// Hono
app.all('/webhooks/whatsapp', (c) => handler(c.req.raw));
// Cloudflare Workers
export default { fetch: (request: Request) => handler(request) };

export { app };
