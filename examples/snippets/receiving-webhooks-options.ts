/**
 * docs/receiving-webhooks.md, "Options": every option of createWebhookHandler() (the handler is
 * created with all three providers, which checks the options; the other samples exercise it).
 *
 * @sample run
 */
import { createTracker, createWebhookHandler } from 'bluetick';

const tracker = createTracker();
declare const queue: { send(events: unknown[]): Promise<unknown> };

createWebhookHandler({
  cloud: { appSecret: process.env.META_APP_SECRET!, verifyToken: process.env.META_VERIFY_TOKEN! },
  // or appSecrets: [current, previous] during a rotation, or for several apps on one WABA
  wasender: { secret: process.env.WASENDER_WEBHOOK_SECRET! },
  onprem: { token: process.env.ONPREM_TOKEN!, queryParam: 'token' }, // or header: 'x-my-token'
  tracker,                 // createTracker(...) — anything with ingest(result): Promise
  onEvents: async (result) => queue.send(result.events), // optional, awaited (see "Acknowledgement")
  maxBodyBytes: 4 * 1024 * 1024, // default 4 MiB; Meta sends up to 3 MB
  ack: 'stored',           // or 'immediate'
  ingestTimeoutMs: 10_000, // then 503 so the provider retries
  logger: console,         // warn(message), error(message, err)
  debugSignatures: false,  // true while integrating: 401 hints that explain a mismatch (costly, see Troubleshooting)
});
