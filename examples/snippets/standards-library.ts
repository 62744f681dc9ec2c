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

import { Webhook } from 'standardwebhooks';

const payload = new Webhook(process.env.SINK_SECRET!).verify(rawBody, req.headers as Record<string, string>); // throws when invalid
void payload;
