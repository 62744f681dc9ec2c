/**
 * docs/receiving-webhooks.md, "Fastify".
 *
 * @sample run
 */
import { createTracker } from 'bluetick';

// What the page assumes you already have: a tracker and your secrets.
const tracker = createTracker();
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;

import Fastify from 'fastify';
import { bluetickFastify } from 'bluetick/fastify';

const app = Fastify();
await app.register(bluetickFastify, { path: '/webhooks/whatsapp', cloud: { appSecret, verifyToken }, tracker });
// or: app.register(bluetickFastify, { prefix: '/webhooks/whatsapp', … }) with the default path '/'

await app.listen({ port: 3000 });
