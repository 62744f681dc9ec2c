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

if (!verifyStandardWebhook({ rawBody, headers: req.headers, secret: [process.env.SINK_SECRET!, process.env.OLD_SINK_SECRET!] })) {
  res.statusCode = 401;
}
