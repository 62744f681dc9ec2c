/**
 * The code of docs/getting-started.md, steps 2 to 5, type-checked with the repository
 * (test/docs/samples.test.ts checks that every `ts` block of that page appears in a snippet file).
 * `response` and `WABA_ID` stand for what your own send code has.
 *
 * @sample run
 * @sample-call afterSend read
 */
import express from 'express';
import { createTracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';

const tracker = createTracker(); // in-memory store: one process, fine to start with

const app = express();
app.use(bluetickExpress({
  path: '/webhooks/whatsapp',
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  tracker,
}));
app.use(express.json()); // AFTER bluetick: it needs the raw bytes Meta signed
app.listen(3000);

tracker.on('transition', ({ before, after }) => {
  // Once per real change of a message's delivery state, whatever the order or duplication
  // of the webhooks: pending → sent → delivered → read, or failed.
  console.log(after.messageId, before?.status ?? '(new)', '→', after.status);
});

tracker.on('message', (message) => {
  // Inbound messages, already normalized (and deduplicated).
  if (message.interaction) console.log(message.from, 'tapped', message.interaction.title);
  else console.log(message.from, message.type, message.text);
});

tracker.on('providerError', (event) => console.warn('account-level error', event.errors));
tracker.on('notification', (event) => console.log('notification', event.topic));

declare const response: { messages: [{ id: string }] };
declare const WABA_ID: string;

export async function afterSend(): Promise<void> {
  // right after POST /{phone-number-id}/messages answered { messages: [{ id: 'wamid.…' }] }
  await tracker.track({
    messageId: response.messages[0].id,
    recipientId: '+1 631 555 1234',   // reduced to digits, like the webhooks
    provider: 'cloud',
    accountId: WABA_ID,                // the entry[].id your webhooks carry
    campaign: 'spring-sale',           // optional: analytics by campaign
  });
}

export async function read(): Promise<void> {
  const state = await tracker.getState('wamid.…');
  // { status: 'read', sentAt, deliveredAt, readAt, errors: [], failedAfterDelivery: false, pricing, … }

  const group = await tracker.getGroupSummary('wamid.…'); // per-participant states and counts
  const stuck = await tracker.findStale({ olderThanMs: 15 * 60_000, status: 'sent' }); // sent, not delivered after 15 min
  const report = await tracker.funnel({ from: new Date(Date.now() - 86_400_000), to: new Date() }); // delivery funnel
  console.log(state, group, stuck, report);
}
