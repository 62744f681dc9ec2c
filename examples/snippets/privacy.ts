/**
 * docs/privacy.md: redacting events before they leave, per sink, and in your own logs.
 *
 * @sample run
 */
import type { CanonicalEvent, Sink } from 'bluetick';

// What the page assumes you already have: a sink of your own, a logger, an event.
declare const myInternalQueueSink: Sink;
declare const logger: { info(value: unknown): void };
declare const event: CanonicalEvent;

import { createTracker } from 'bluetick';
import { createRedactor, redactedSink } from 'bluetick/privacy';
import { httpSink } from 'bluetick/sinks/http';

const policy = { phone: 'hash', hashSecret: process.env.PII_HMAC_KEY, text: 'drop', media: 'drop', names: 'drop' } as const;

createTracker({
  sinks: [
    redactedSink(httpSink({ url: 'https://analytics.internal/ingest' }), policy), // hashed, no text
    myInternalQueueSink, // whole events
  ],
});

const redact = createRedactor({ phone: 'mask' });
logger.info(redact(event)); // 5511*******02
