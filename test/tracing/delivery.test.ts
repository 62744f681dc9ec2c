/**
 * Delivery spans across retries: one span per attempt, each with its own traceparent, the failed
 * ones with the HTTP status and an error status; a partial batch; links to the spans that were
 * active when records were handed over.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError } from '../../src/sinks/errors.js';
import { httpSink } from '../../src/sinks/http.js';
import { close, listen } from '../http/helpers.js';
import { fastRetry, makeEvents, scriptedSink } from '../sinks/helpers.js';
import { exporter, otel, spansNamed, traceparentOf } from './otel.js';

beforeEach(() => exporter.reset());

describe('bluetick.sink.deliver across attempts', () => {
  it('one span per HTTP attempt: a 503 (error status, retried), then a 204; each request carries its own attempt’s traceparent', async () => {
    const requests: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests.push(req.headers);
        res.writeHead(requests.length === 1 ? 503 : 204).end();
      });
    });
    const base = await listen(server);
    const dispatcher = createDispatcher({ sinks: [httpSink({ url: `${base}/in`, name: 'hooks' })], flushIntervalMs: 0, retry: fastRetry, tracing: otel });
    try {
      dispatcher.enqueue(makeEvents(3, 'retry'));
      await dispatcher.flush();
    } finally {
      await dispatcher.close();
      await close(server);
    }
    const spans = spansNamed('bluetick.sink.deliver');
    expect(spans.map((s) => [s.attributes['bluetick.sink.attempt'], s.attributes['bluetick.sink.outcome'], s.attributes['http.response.status_code'], s.status.code])).toEqual([
      [1, 'failed', 503, otel.SpanStatusCode.ERROR],
      [2, 'delivered', 204, otel.SpanStatusCode.UNSET],
    ]);
    expect(spans[0]?.events.map((e) => e.name)).toEqual(['exception']);
    expect(requests.map((h) => h.traceparent)).toEqual(spans.map(traceparentOf));
  });

  it('marks a partial batch, and the retry carries only the failed events', async () => {
    const events = makeEvents(4, 'partial');
    const sink = scriptedSink('picky', (batch, _ctx, call) => {
      if (call === 1) throw new PartialBatchError({ failed: [batch[0]!] });
    });
    const dispatcher = createDispatcher({ sinks: [sink], flushIntervalMs: 0, retry: fastRetry, tracing: otel });
    dispatcher.enqueue(events);
    await dispatcher.flush();
    await dispatcher.close();
    expect(spansNamed('bluetick.sink.deliver').map((s) => [s.attributes['bluetick.sink.outcome'], s.attributes['bluetick.sink.batch_size']])).toEqual([
      ['partial', 4],
      ['delivered', 1],
    ]);
  });

  it('links a batch to each distinct span that was active when its records were handed over', async () => {
    const seen: Array<string | undefined> = [];
    const sink = scriptedSink('links', (_batch, ctx) => void seen.push(ctx.trace?.headers.traceparent));
    const dispatcher = createDispatcher({ sinks: [sink], flushIntervalMs: 1_000, batchSize: 10, tracing: otel });
    const tracer = otel.trace.getTracer('app');
    const origins = ['first', 'second'].map((name) =>
      tracer.startActiveSpan(name, (span) => {
        dispatcher.enqueue(makeEvents(2, name));
        span.end();
        return span.spanContext().spanId;
      }),
    );
    dispatcher.enqueue(makeEvents(1, 'outside')); // no active span: no link
    await dispatcher.flush();
    await dispatcher.close();
    const [deliver] = spansNamed('bluetick.sink.deliver');
    expect(deliver?.attributes['bluetick.sink.batch_size']).toBe(5);
    expect(deliver?.links.map((l) => l.context.spanId)).toEqual(origins);
    expect(seen).toEqual([traceparentOf(deliver!)]);
  });
});
