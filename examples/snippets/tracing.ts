/**
 * docs/tracing.md: OpenTelemetry spans for the webhook handler, the tracker and the sinks.
 *
 * @sample run
 * @sample-handler handler
 */
import { memoryStore, type Sink } from 'bluetick';

// What the page assumes you already have.
const store = memoryStore();
const appSecret = process.env.META_APP_SECRET!;
const verifyToken = process.env.META_VERIFY_TOKEN!;
const auditLog = { async insert(_rows: unknown[]) {} };

// Your OpenTelemetry setup: NodeSDK does all three for you; these are the pieces it registers.
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

otel.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] }));
otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());

import { createTracker, createWebhookHandler } from 'bluetick';
import { httpSink } from 'bluetick/sinks/http';

const sinks = process.env.HOOKS_URL ? [httpSink({ url: process.env.HOOKS_URL })] : [];
const tracker = createTracker({ store, sinks, tracing: otel }); // bluetick.store, bluetick.sink.deliver
const handler = createWebhookHandler({ cloud: { appSecret, verifyToken }, tracker, tracing: otel }); // bluetick.webhook, .verify, .normalize

const audit: Sink = {
  name: 'audit',
  async write(batch, { trace }) {
    // trace is set only when the dispatcher is traced: the delivery span's headers and attributes.
    await auditLog.insert(batch.map((event) => ({ event, traceparent: trace?.headers.traceparent ?? null })));
    trace?.setAttribute('audit.rows', batch.length);
  },
};

export { handler, audit };
