/**
 * AWS Lambda behind API Gateway (REST v1 or HTTP API v2) or a function URL. The handler decodes
 * base64 bodies to their exact bytes before verifying. Keep the default `ack: 'stored'`: a
 * frozen function would lose work left after the response. With several concurrent functions,
 * use a shared store (postgresStore / redisStore) instead of memory.
 *
 * The event it receives looks like this (HTTP API v2, trimmed):
 *
 *   {
 *     "version": "2.0",
 *     "rawPath": "/webhooks/whatsapp",
 *     "rawQueryString": "",
 *     "headers": { "content-type": "application/json", "x-hub-signature-256": "sha256=…" },
 *     "requestContext": { "http": { "method": "POST", "path": "/webhooks/whatsapp" } },
 *     "body": "eyJvYmplY3QiOi…",   // base64 when isBase64Encoded
 *     "isBase64Encoded": true
 *   }
 */
import { createTracker } from 'bluetick';
import { createLambdaHandler } from 'bluetick/lambda';

export const tracker = createTracker();

tracker.on('transition', ({ after }) => {
  // Your side effect: update your database, notify a queue, …
  console.log(JSON.stringify({ messageId: after.messageId, status: after.status }));
});

/** The Lambda entry point (`handler` in the function configuration). */
export const handler = createLambdaHandler({
  cloud: { appSecret: process.env.META_APP_SECRET ?? '', verifyToken: process.env.META_VERIFY_TOKEN ?? '' },
  tracker,
});
