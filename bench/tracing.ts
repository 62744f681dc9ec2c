/**
 * The price of tracing on the webhook path (handler → verify → normalize → memory-store tracker),
 * per POST, in interleaved rounds, as ratios to the untraced handler measured in the same run:
 *  - `tracing: otel` with no SDK registered (the API's no-op tracer);
 *  - `tracing` over the OpenTelemetry SDK (BasicTracerProvider, SimpleSpanProcessor, an exporter
 *    that drops spans): five spans per POST, the real cost of recording them.
 * Without the option the code paths are one `undefined` check each (see docs/tracing.md).
 * Bounded: about 20 s.
 *
 *   node --import tsx bench/tracing.ts
 */
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, SimpleSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { createHandlerCore } from '../src/http/core.js';
import { nodeCrypto } from '../src/http/crypto-node.js';
import type { WebhookHandlerOptions } from '../src/http/types.js';
import type { OpenTelemetryApiLike } from '../src/tracing/api.js';
import { createTracker } from '../src/tracking/tracker.js';
import { signMetaPayload } from '../src/verify/meta.js';
import { statusWithPricing, fiftyStatuses } from './payloads.js';
import { median } from './harness.js';

const SECRET = 'bench-app-secret';
otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
otel.propagation.setGlobalPropagator(new W3CTraceContextPropagator());

const dropping: SpanExporter = { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} };
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(dropping)] });
// The API module with this provider's tracers (so the no-op candidate keeps the global no-op one).
const withSdk: OpenTelemetryApiLike = {
  trace: {
    getTracer: (name: string) => provider.getTracer(name),
    setSpan: otel.trace.setSpan.bind(otel.trace),
    getSpanContext: otel.trace.getSpanContext.bind(otel.trace),
  } as OpenTelemetryApiLike['trace'],
  context: otel.context,
  propagation: otel.propagation,
};

function handlerWith(tracing: OpenTelemetryApiLike | undefined) {
  const options: WebhookHandlerOptions = { cloud: { appSecret: SECRET }, tracker: createTracker(), ...(tracing === undefined ? {} : { tracing }) };
  return createHandlerCore(options, nodeCrypto);
}

async function opsPerSec(fn: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 20; i++) await fn();
    n += 20;
  }
  return (n * 1000) / (performance.now() - start);
}


console.log(`Node ${process.version}; webhook POSTs per second (median of 7 interleaved rounds), higher is better\n`);
for (const [label, body] of [['one status', statusWithPricing], ['50 statuses', fiftyStatuses]] as const) {
  const request = { method: 'POST', url: '/webhook', headers: { 'x-hub-signature-256': signMetaPayload(body, SECRET) }, rawBody: body };
  const candidates = [
    ['no tracing option', handlerWith(undefined)],
    ['tracing: otel, no SDK (no-op tracer)', handlerWith(otel)],
    ['tracing over the SDK (5 spans recorded)', handlerWith(withSdk)],
  ] as const;
  for (const [, handle] of candidates) {
    const first = await handle(request);
    if (first.status !== 200) throw new Error(`bench request answered ${first.status}`);
  }
  const samples = candidates.map(() => [] as number[]);
  for (const [, handle] of candidates) await opsPerSec(() => handle(request), 300); // warm-up
  for (let r = 0; r < 7; r++) for (const [i, [, handle]] of candidates.entries()) samples[i]?.push(await opsPerSec(() => handle(request), 400));
  const base = median(samples[0] ?? []);
  console.log(label);
  candidates.forEach(([name], i) => {
    const ops = median(samples[i] ?? []);
    console.log(`  ${name.padEnd(42)} ${Math.round(ops).toLocaleString('en-US').padStart(8)}/s   ×${(ops / base).toFixed(2)} of no tracing option`);
  });
}
await provider.shutdown();
