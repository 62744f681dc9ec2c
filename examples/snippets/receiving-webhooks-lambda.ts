/**
 * docs/receiving-webhooks.md, "AWS Lambda".
 *
 * @sample run
 * @sample-lambda handler
 */
import { createTracker } from 'bluetick';

// What the page assumes you already have: a tracker and your secrets.
const tracker = createTracker();
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;

import { createLambdaHandler } from 'bluetick/lambda';
export const handler = createLambdaHandler({ cloud: { appSecret, verifyToken }, tracker });
