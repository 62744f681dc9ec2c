/**
 * docs/sinks.md: verifying bluetick's HTTP sink signature on the receiving side.
 *
 * @sample run
 */
import { signHttpSinkPayload } from 'bluetick/sinks/http';

// What your receiving endpoint has: the bytes as received and their headers (here, signed as
// httpSink signs them).
const rawBody = '[{"id":"cloud:status:wamid.X:16505551234:read"}]';
const sentAt = Math.floor(Date.now() / 1000);
const req = { headers: { 'x-bluetick-signature': signHttpSinkPayload(rawBody, sentAt, process.env.SINK_SECRET!), 'x-bluetick-timestamp': String(sentAt) } };

import { verifyHttpSinkSignature } from 'bluetick/sinks/http';

const ok = verifyHttpSinkSignature({
  rawBody,                                   // the bytes as received, not re-serialized JSON
  signature: req.headers['x-bluetick-signature'],
  timestamp: req.headers['x-bluetick-timestamp'],
  secret: process.env.SINK_SECRET!,          // or [newSecret, oldSecret] while rotating
  toleranceSeconds: 300,                     // rejects replays of old requests
});

if (!ok) throw new Error('the signature made by signHttpSinkPayload does not verify');
