// Type-checked (never run) by .ci/package-check against the packed tarball, as an ES module and
// as CommonJS under `moduleResolution: node16`, and under `moduleResolution: bundler`. It must
// compile with `strict`, the stricter flags users turn on (exactOptionalPropertyTypes,
// noUncheckedIndexedAccess, verbatimModuleSyntax under bundler) and `skipLibCheck: false`, so
// bluetick's declarations themselves are checked; the @ts-expect-error lines prove the types are
// real (an `any` would make them unused, which is an error).
import { BluetickError, createTracker, eventSchema, memoryStore, normalize } from 'bluetick';
import type { CanonicalEvent, DeliveryStatus, NormalizeResult, PresentedState, Sink, StatusEvent, StateStore, WebhookHandlerOptions } from 'bluetick';
import { bluetickExpress } from 'bluetick/express';
import { bluetickFastify } from 'bluetick/fastify';
import { createNodeListener } from 'bluetick/node';
import { createFetchHandler } from 'bluetick/web';
import { createLambdaHandler, type LambdaHttpEvent, type LambdaHttpResult } from 'bluetick/lambda';
import { postgresStore, type PostgresStore } from 'bluetick/postgres';
import { redisStore, type RedisStore } from 'bluetick/redis';
import { loadPrometheusMetrics, prometheusMetrics, type PromClientLike } from 'bluetick/metrics';
import { runStateStoreConformance } from 'bluetick/testing';
import { createReconciler, wasenderStatusSource, type ReconcileReport, type StatusSource } from 'bluetick/reconcile';
import { httpSink } from 'bluetick/sinks/http';
import { ndjsonSink } from 'bluetick/sinks/ndjson';
import { callbackSink } from 'bluetick/sinks/callback';
import { bullmqSink } from 'bluetick/sinks/bullmq';
import { firehoseSink } from 'bluetick/sinks/firehose';
import { rabbitmqSink } from 'bluetick/sinks/rabbitmq';
import { natsSink } from 'bluetick/sinks/nats';
import { sqsSink } from 'bluetick/sinks/sqs';
import { toCloudEvent, type CloudEvent } from 'bluetick/cloudevents';

const result: NormalizeResult = normalize('{"statuses":[]}', { provider: 'onprem' });
const statuses: StatusEvent[] = result.events.filter((e): e is StatusEvent => e.kind === 'status');
const first: DeliveryStatus | undefined = statuses[0]?.status;
// @ts-expect-error a status is one of the canonical literals
const wrong: DeliveryStatus = 'bogus';
const parsed: CanonicalEvent = eventSchema.parse(JSON.parse('{}'));
// @ts-expect-error narrowing on kind: a message event has no `status`
if (parsed.kind === 'message') console.log(parsed.status);

const store: StateStore = memoryStore();
const sinks: Sink[] = [
  callbackSink(async (batch: CanonicalEvent[]) => void batch.length),
  httpSink({ url: 'https://example.test/events' }),
  ndjsonSink({ path: '/tmp/events.ndjson' }),
  bullmqSink({ queueName: 'wa', connection: { host: '127.0.0.1' } }),
  firehoseSink({ client: {} as never, deliveryStreamName: 'wa' }),
  rabbitmqSink({ url: 'amqp://localhost', exchange: 'wa', format: 'cloudevents' }),
  natsSink({ servers: 'localhost:4222', subjectPrefix: 'wa' }),
  sqsSink({ client: {} as never, queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/wa.fifo' }),
  callbackSink(async (batch: CloudEvent[]) => void batch.length, { format: 'cloudevents' }),
  // @ts-expect-error the format is one of the two literals
  httpSink({ url: 'https://example.test/events', format: 'xml' }),
];
const ce: CloudEvent = toCloudEvent(parsed);
const tracker = createTracker({ store, sinks });
tracker.on('transition', ({ after }: { after: PresentedState }) => console.log(after.messageId, after.status));

const options: WebhookHandlerOptions = { cloud: { appSecret: 'secret', verifyToken: 'token' }, tracker };
const express = bluetickExpress(options);
const fastify = bluetickFastify;
const node = createNodeListener(options);
const web: (request: Request) => Promise<Response> = createFetchHandler(options);
const lambda: (event: LambdaHttpEvent) => Promise<LambdaHttpResult> = createLambdaHandler(options);

const pg: PostgresStore = postgresStore({ connectionString: 'postgres://localhost/db' });
const redis: RedisStore = redisStore({ url: 'redis://localhost:6379' });
const client = {} as PromClientLike;
const metrics = prometheusMetrics({ client });
const loaded = loadPrometheusMetrics({ prefix: 'wa_' });

const source: StatusSource = wasenderStatusSource({ apiKey: 'key', baseUrl: 'https://www.wasenderapi.com' });
const reconciler = createReconciler({ tracker, source, olderThan: 15 * 60_000, statuses: ['pending', 'sent'], limit: 10_000, concurrency: 4, ratePerSecond: 5 });
const reconciled: Promise<ReconcileReport> = reconciler.run();
// @ts-expect-error statuses are progress statuses
createReconciler({ tracker, statuses: ['played'] });

function isBluetick(error: unknown): string | undefined {
  return error instanceof BluetickError ? `${error.code} ${error.status}` : undefined;
}

export { ce, express, fastify, first, isBluetick, lambda, loaded, metrics, node, pg, reconciled, redis, runStateStoreConformance, web, wrong };
