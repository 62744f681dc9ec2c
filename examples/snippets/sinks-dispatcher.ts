/**
 * docs/sinks.md: a dispatcher of your own with retries, a dead-letter file and signal handling,
 * fed by the tracker's forward hook, then closed.
 *
 * @sample run
 */
import { createTracker } from 'bluetick';
import { createDispatcher } from 'bluetick';
import { httpSink } from 'bluetick/sinks/http';
import { ndjsonSink } from 'bluetick/sinks/ndjson';

const dispatcher = createDispatcher({
  sinks: [httpSink({ url: 'https://hooks.example.com/wa', secret: process.env.SINK_SECRET })],
  deadLetter: ndjsonSink({ path: './dead-letter.ndjson' }),
  retry: { retries: 6, minTimeout: 200, maxTimeout: 30_000 },
  handleSignals: true,
});
const tracker = createTracker({ forward: (events) => dispatcher.enqueue(events) });
// on shutdown:
await tracker.close();
await dispatcher.close();
