/**
 * docs/sinks.md: a tracker whose sinks drain its store's outbox (an HTTP endpoint, with a
 * dead-letter file as a copy), closed cleanly.
 *
 * @sample run
 * @sample-needs postgres
 */
import { createTracker } from 'bluetick';
import { postgresStore } from 'bluetick/postgres';
import { httpSink } from 'bluetick/sinks/http';
import { ndjsonSink } from 'bluetick/sinks/ndjson';

const tracker = createTracker({
  store: postgresStore({ connectionString: process.env.DATABASE_URL! }),
  sinks: [httpSink({ name: 'crm', url: 'https://hooks.example.com/wa', secret: process.env.SINK_SECRET! })], // 'whsec_…'
  dispatch: {
    deadLetter: ndjsonSink({ path: './dead-letter.ndjson' }), // a copy; the outbox keeps the record
    retry: { retries: 6, minTimeout: 200, maxTimeout: 30_000 },
    handleSignals: true,
  },
});
// on shutdown: stop the server, then
await tracker.close(); // delivers what it can, hands the rest back to the outbox
