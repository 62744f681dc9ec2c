/*
 * The README's TypeScript samples, verbatim, so tsc checks them (test/docs/samples.test.ts keeps
 * them in step) and test/docs/run-samples.test.ts runs them (`rawBody` is given a real webhook).
 *
 * @sample run
 */
declare const rawBody: string;

import express from 'express';
import { createTracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';

const tracker = createTracker(); // in-memory; postgresStore() / redisStore() for many receivers

tracker.on('transition', ({ after, event }) => {
  console.log(event.messageId, '→', after.status); // pending → sent → delivered → read, once each
});
tracker.on('message', (message) => {
  if (message.interaction) console.log('button pressed:', message.interaction.title);
});

const app = express();
// Mount before express.json(): bluetick needs the raw bytes to verify Meta's signature.
app.use('/webhooks/whatsapp', bluetickExpress({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
}));
app.listen(3000);

import { normalize } from 'bluetick';

const { provider, events } = normalize(rawBody); // string, bytes or a parsed object
for (const event of events) {
  if (event.kind === 'status') console.log(provider, event.messageId, event.status, event.errors);
}
