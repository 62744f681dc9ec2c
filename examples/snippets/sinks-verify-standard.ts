/**
 * A receiver-side sample of docs/standards.md and docs/sinks.md: what goes in the handler of the
 * endpoint an httpSink posts to. `rawBody`, `req` and `res` are that handler's.
 *
 * @sample compile-only the body of a request handler: rawBody, req and res come from the receiver's server
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

declare const rawBody: Buffer;
declare const req: IncomingMessage;
declare const res: ServerResponse;
void res;

import { verifyStandardWebhook } from 'bluetick/sinks/http';

const ok = verifyStandardWebhook({
  rawBody,                         // the bytes as received, not re-serialized JSON
  headers: req.headers,            // Node headers, a Fetch Headers, or a plain record
  secret: process.env.SINK_SECRET!, // 'whsec_…', or [newSecret, oldSecret] while rotating
  toleranceSeconds: 300,           // rejects replays of old requests
});
void ok;
