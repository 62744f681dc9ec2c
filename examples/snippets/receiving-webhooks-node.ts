/**
 * docs/receiving-webhooks.md, "Plain Node".
 *
 * @sample run
 */
import { createTracker } from 'bluetick';

// What the page assumes you already have: a tracker and your secrets.
const tracker = createTracker();
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;

import { createServer } from 'node:http';
import { createNodeListener } from 'bluetick/node';

createServer(createNodeListener({ cloud: { appSecret, verifyToken }, tracker })).listen(3000);
