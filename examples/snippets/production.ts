/**
 * The production setup of docs/getting-started.md, type-checked with the rest of the repository:
 * a shared PostgreSQL store, an HTTP sink with a dead-letter file, Prometheus metrics, secrets
 * from the environment (two app secrets during a rotation), tracking of sends and a clean
 * shutdown. test/docs/run-samples.test.ts runs it against a throwaway database with fake secrets.
 *
 * @sample run
 * @sample-needs postgres
 */
import express from 'express';
import * as promClient from 'prom-client';
import { createTracker } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';
import { prometheusMetrics } from 'bluetick/metrics';
import { postgresStore } from 'bluetick/postgres';
import { httpSink } from 'bluetick/sinks/http';
import { ndjsonSink } from 'bluetick/sinks/ndjson';

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const metrics = prometheusMetrics({ client: promClient });

// One store shared by every instance behind the load balancer: claims (dedupe) and states.
const store = postgresStore({ connectionString: required('DATABASE_URL'), max: 10 });

const tracker = createTracker({
  store,
  metrics,
  // Every accepted event also goes to your own service, batched and retried; what finally
  // fails is kept in a dead-letter file instead of being lost.
  sinks: [httpSink({ url: required('EVENTS_URL'), secret: required('EVENTS_SECRET') })],
  dispatch: { deadLetter: ndjsonSink({ path: './bluetick-dead-letter.ndjson' }) },
});

tracker.on('transition', async ({ after }) => {
  // Your side effect, once per real change: update your messages table, notify a user, …
  console.log(after.messageId, after.recipientId, after.status, after.errors.map((e) => e.code));
});

const app = express();
app.use(
  bluetickExpress({
    path: '/webhooks/whatsapp',
    cloud: {
      // During a rotation give both: the result says which one verified.
      appSecrets: [required('META_APP_SECRET'), ...(process.env.META_APP_SECRET_OLD ? [process.env.META_APP_SECRET_OLD] : [])],
      verifyToken: required('META_VERIFY_TOKEN'),
    },
    tracker,
    metrics,
  }),
);
app.use(express.json()); // after bluetick, for the rest of your app

/** What your own code calls right after the Cloud API accepted a send. */
export async function recordSend(response: { messages: { id: string }[] }, to: string, campaign?: string): Promise<void> {
  const messageId = response.messages[0]?.id;
  if (messageId === undefined) return;
  await tracker.track({ messageId, recipientId: to, provider: 'cloud', accountId: required('WABA_ID'), campaign });
}

app.get('/messages/:id', async (req, res) => {
  res.json((await tracker.getState(req.params.id)) ?? { status: 'unknown' });
});
app.get('/metrics', async (_req, res) => {
  res.type(promClient.register.contentType).send(await promClient.register.metrics());
});

const server = app.listen(Number(process.env.PORT ?? 3000));

process.once('SIGTERM', () => {
  // Stop taking requests, then flush the sinks and close the store.
  server.close(async () => {
    await tracker.close();
    await store.close();
  });
});
