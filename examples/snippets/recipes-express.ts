/**
 * docs/recipes.md: Express (4 and 5).
 *
 * @sample run
 * @sample-serve app other
 */
import express from 'express';
import { createTracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';

const tracker = createTracker();
const app = express();
app.use(bluetickExpress({
  path: '/webhooks/whatsapp',
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
}));
app.use(express.json()); // your other routes keep their JSON parsing

// If a global parser must come first, give bluetick the bytes with express.raw on its path:
const other = express();
other.use('/webhooks/whatsapp', express.raw({ type: '*/*', limit: '4mb' }));
other.use(express.json());
other.use(bluetickExpress({ path: '/webhooks/whatsapp', cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! }, tracker }));

export { app, other };
