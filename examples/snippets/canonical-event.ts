/**
 * docs/canonical-event.md: validating an event read back from storage (one NDJSON line).
 *
 * @sample run
 */
import { normalize } from 'bluetick';

const body = '{"statuses":[{"id":"gBG1","status":"read","timestamp":"1602535356","recipient_id":"16315553601"}]}';
const line = JSON.stringify(normalize(body, { provider: 'onprem' }).events[0]);

import { eventSchema } from 'bluetick';
const event = eventSchema.parse(JSON.parse(line)); // throws on an invalid event

if (event.kind !== 'status') throw new Error(`expected the status event back, got ${event.kind}`);
