/**
 * docs/migrating.md: a typical hand-written Express webhook (the "before"), then the same with bluetick.
 *
 * @sample run
 * @sample-mount after
 * @sample-webhook /webhook
 */
import express from 'express';
import { createTracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';

declare function handleMessage(from: string | null, text: string | null): Promise<void>;
declare const db: { updateStatus(messageId: string, status: string): Promise<void> };

export function before(app: express.Express) {
  app.post('/webhook', express.json(), (req, res) => {
    const value = req.body.entry[0].changes[0].value;
    if (value.messages) {
      const message = value.messages[0];
      handleMessage(message.from, message.text?.body);
    } else if (value.statuses) {
      const status = value.statuses[0];
      db.updateStatus(status.id, status.status);
    }
    res.sendStatus(200);
  });
}

export function after(app: express.Express) {
  const tracker = createTracker(); // or { store: postgresStore(…) } with several instances
  tracker.on('message', (message) => handleMessage(message.from, message.text));
  tracker.on('transition', ({ after }) => db.updateStatus(after.messageId, after.status));

  app.use(bluetickExpress({
    path: '/webhook',
    cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
    tracker,
  }));
  app.use(express.json()); // now after the webhook route
}
