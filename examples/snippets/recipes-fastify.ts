/**
 * docs/recipes.md: Fastify (4 and 5).
 *
 * @sample run
 */
import Fastify from 'fastify';
import { createTracker } from 'bluetick';
import { bluetickFastify } from 'bluetick/fastify';

const tracker = createTracker();
const app = Fastify();
await app.register(bluetickFastify, {
  path: '/webhooks/whatsapp',
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
});
app.post('/api/orders', async (request) => request.body); // still parsed as JSON by Fastify
await app.listen({ port: 3000 });
