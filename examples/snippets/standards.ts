/**
 * The receiver samples of docs/standards.md and docs/sinks.md, type-checked with the rest of the
 * repository: verifying an httpSink delivery with the standardwebhooks package and with
 * verifyStandardWebhook (one secret, or two during a rotation). Compiled, not run.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { verifyStandardWebhook } from 'bluetick/sinks/http';

export function withTheStandardLibrary(rawBody: Buffer, req: IncomingMessage): unknown {
  const payload = new Webhook(process.env.SINK_SECRET!).verify(rawBody, req.headers as Record<string, string>); // throws when invalid
  return payload;
}

export function withBluetick(rawBody: Buffer, req: IncomingMessage, res: ServerResponse): boolean {
  const ok = verifyStandardWebhook({
    rawBody,                         // the bytes as received, not re-serialized JSON
    headers: req.headers,            // Node headers, a Fetch Headers, or a plain record
    secret: process.env.SINK_SECRET!, // 'whsec_…', or [newSecret, oldSecret] while rotating
    toleranceSeconds: 300,           // rejects replays of old requests
  });
  if (!verifyStandardWebhook({ rawBody, headers: req.headers, secret: [process.env.SINK_SECRET!, process.env.OLD_SINK_SECRET!] })) {
    res.statusCode = 401;
  }
  return ok;
}
