/**
 * Next.js App Router route handler: `app/api/whatsapp/route.ts`. Route handlers receive the
 * untouched Web `Request`, so there is no body parser to disable. (No `next` import is needed.)
 *
 * On serverless deployments keep the default `ack: 'stored'`: the answer is sent after the
 * tracker stored the events, and work left after the response may be frozen.
 */
import { createTracker } from 'bluetick';
import { createFetchHandler } from 'bluetick/web';

// One tracker per server instance. Use postgresStore()/redisStore() when several instances run.
export const tracker = createTracker();

const handler = createFetchHandler({
  cloud: { appSecret: process.env.META_APP_SECRET ?? '', verifyToken: process.env.META_VERIFY_TOKEN ?? '' },
  tracker,
});

/** Meta's subscription handshake (`hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`). */
export async function GET(request: Request): Promise<Response> {
  return handler(request);
}

/** Webhook deliveries. */
export async function POST(request: Request): Promise<Response> {
  return handler(request);
}
