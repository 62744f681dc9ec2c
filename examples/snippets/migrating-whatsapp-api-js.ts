/**
 * docs/migrating.md: from whatsapp-api-js's webhook handling to bluetick, keeping whatsapp-api-js to send.
 *
 * @sample run
 * @sample-mount after
 * @sample-webhook /webhook
 */
import express from 'express';
import { WhatsAppAPI } from 'whatsapp-api-js/middleware/express';
import { Text } from 'whatsapp-api-js/messages';
import { createTracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';

declare const db: { updateStatus(messageId: string, status: string): Promise<void> };

export function before(app: express.Express) {
  const Whatsapp = new WhatsAppAPI({
    token: process.env.WHATSAPP_TOKEN!,
    v: 'v24.0',
    appSecret: process.env.META_APP_SECRET!,
    webhookVerifyToken: process.env.META_VERIFY_TOKEN!,
  });
  Whatsapp.on.message = async ({ phoneID, from, message, reply }) => {
    if (message.type === 'text') await reply(new Text(`You said: ${message.text.body}`));
    console.log(phoneID, from);
  };
  Whatsapp.on.status = async ({ id, status }) => {
    await db.updateStatus(id, status);
  };
  app.post('/webhook', express.text({ type: '*/*' }), async (req, res) => {
    res.sendStatus(await Whatsapp.handle_post(req));
  });
  app.get('/webhook', (req, res) => {
    res.send(Whatsapp.handle_get(req));
  });
}

export function after(app: express.Express) {
  // whatsapp-api-js keeps doing what it is good at: sending. bluetick receives.
  const Whatsapp = new WhatsAppAPI({ token: process.env.WHATSAPP_TOKEN!, v: 'v24.0', secure: false }); // pin the Graph API version
  const tracker = createTracker();

  tracker.on('message', async (message) => {
    if (message.type !== 'text' || message.phoneNumberId === null || message.from === null) return;
    const sent = await Whatsapp.sendMessage(message.phoneNumberId, message.from, new Text(`You said: ${message.text}`), message.messageId);
    if ('messages' in sent) {
      await tracker.track({ messageId: sent.messages[0].id, recipientId: message.from, provider: 'cloud', accountId: message.accountId });
    }
  });
  tracker.on('transition', async ({ after }) => {
    await db.updateStatus(after.messageId, after.status);
  });

  app.use(bluetickExpress({
    path: '/webhook', // GET handshake and POST, both
    cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
    tracker,
  }));
}
