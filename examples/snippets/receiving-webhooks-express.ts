/**
 * docs/receiving-webhooks.md, "Express".
 *
 * @sample run
 * @sample-serve app
 */
import { createTracker } from 'bluetick';

// What the page assumes you already have: a tracker and your secrets.
const tracker = createTracker();
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;

import express from 'express';
import { bluetickExpress } from 'bluetick/express';

const app = express();
app.use(bluetickExpress({ path: '/webhooks/whatsapp', cloud: { appSecret, verifyToken }, tracker }));
app.use(express.json()); // AFTER bluetick: the rest of your app keeps parsing JSON

export { app };
