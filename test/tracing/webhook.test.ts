/**
 * Spans of one signed webhook through the real node:http adapter on 127.0.0.1, down to the HTTP
 * sink delivery to a real server: the tree, its attributes, and the traceparent the sink sends.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createHandlerCore } from '../../src/http/core.js';
import { nodeCrypto } from '../../src/http/crypto-node.js';
import { createNodeListener } from '../../src/http/node.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { httpSink } from '../../src/sinks/http.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { signMetaPayload } from '../../src/verify/meta.js';
import { close, listen, send, unavailableTracker } from '../http/helpers.js';
import { makeEvents } from '../sinks/helpers.js';
import { exporter, onlySpan, otel, spansNamed, traceparentOf, until } from './otel.js';

const APP_SECRET = 'tracing-app-secret';
const PATH = '/webhooks/whatsapp';

/** A Cloud API status webhook (sent, then delivered) for one message. */
function statusBody(messageId: string): string {
  const status = (s: string, ts: string) => ({ id: messageId, status: s, timestamp: ts, recipient_id: '5511999990000' });
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'waba-1',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550000000', phone_number_id: 'pn-1' },
              statuses: [status('sent', '1714557600'), status('delivered', '1714557601')],
            },
          },
        ],
      },
    ],
  });
}

/** A real HTTP server recording the headers of every request. */
async function receiver() {
  const requests: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests.push(req.headers);
      res.writeHead(204).end();
    });
  });
  const base = await listen(server);
  return { requests, url: `${base}/events`, close: () => close(server) };
}

beforeEach(() => exporter.reset());

describe('tracing a webhook through node:http, the tracker and an HTTP sink', () => {
  let cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup = [];
  });

  it('gives bluetick.webhook → verify, normalize, store, and a linked sink delivery whose traceparent the request carries', async () => {
    const sinkServer = await receiver();
    cleanup.push(sinkServer.close);
    const tracker = createTracker({ tracing: otel, sinks: [httpSink({ url: sinkServer.url, name: 'hooks' })], dispatch: { flushIntervalMs: 0 } });
    cleanup.push(() => tracker.close());
    const server = createServer(createNodeListener({ cloud: { appSecret: APP_SECRET }, tracker, tracing: otel }));
    const base = await listen(server);
    cleanup.push(() => close(server));

    const body = statusBody('wamid.traced-1');
    const response = await send(base, { method: 'POST', path: PATH, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(body, APP_SECRET) }, body });
    expect(response.status).toBe(200);
    await until(() => spansNamed('bluetick.sink.deliver').length === 1);

    const webhook = onlySpan('bluetick.webhook');
    expect(webhook.attributes).toMatchObject({ 'bluetick.provider': 'cloud', 'http.response.status_code': 200, 'bluetick.outcome': 'accepted' });
    expect(webhook.kind).toBe(otel.SpanKind.SERVER);
    const traceId = webhook.spanContext().traceId;
    for (const name of ['bluetick.verify', 'bluetick.normalize', 'bluetick.store']) {
      const child = onlySpan(name);
      expect(child.spanContext().traceId, name).toBe(traceId);
      expect(child.parentSpanContext?.spanId, name).toBe(webhook.spanContext().spanId);
    }
    expect(onlySpan('bluetick.verify').attributes).toMatchObject({ 'bluetick.provider': 'cloud', 'bluetick.outcome': 'verified' });
    expect(onlySpan('bluetick.normalize').attributes).toMatchObject({ 'bluetick.provider': 'cloud', 'bluetick.events': 2, 'bluetick.outcome': 'normalized' });
    const store = onlySpan('bluetick.store');
    expect(store.attributes).toMatchObject({ 'bluetick.events': 2, 'bluetick.claimed': 2, 'bluetick.duplicates': 0, 'bluetick.origin': 'ingest' });

    const deliver = onlySpan('bluetick.sink.deliver');
    expect(deliver.attributes).toMatchObject({
      'bluetick.sink.name': 'hooks',
      'bluetick.sink.batch_size': 2,
      'bluetick.sink.attempt': 1,
      'bluetick.sink.outcome': 'delivered',
      'http.response.status_code': 204,
    });
    expect(deliver.kind).toBe(otel.SpanKind.PRODUCER);
    // A root of its own (it runs after the response), linked to the step that committed its events.
    expect(deliver.parentSpanContext).toBeUndefined();
    expect(deliver.links.map((l) => l.context.spanId)).toEqual([store.spanContext().spanId]);
    expect(sinkServer.requests).toHaveLength(1);
    expect(sinkServer.requests[0]?.traceparent).toBe(traceparentOf(deliver));
  });

  it('marks a refused signature: verify rejected, webhook unauthorized, no store span', async () => {
    const tracker = createTracker({ tracing: otel });
    cleanup.push(() => tracker.close());
    const server = createServer(createNodeListener({ cloud: { appSecret: APP_SECRET }, tracker, tracing: otel }));
    const base = await listen(server);
    cleanup.push(() => close(server));
    const body = statusBody('wamid.forged');
    const response = await send(base, { method: 'POST', path: PATH, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMetaPayload(body, 'wrong') }, body });
    expect(response.status).toBe(401);
    expect(onlySpan('bluetick.verify').attributes).toMatchObject({ 'bluetick.outcome': 'rejected', 'http.response.status_code': 401 });
    expect(onlySpan('bluetick.webhook').attributes).toMatchObject({ 'bluetick.outcome': 'unauthorized', 'http.response.status_code': 401 });
    expect(spansNamed('bluetick.normalize')).toHaveLength(0);
    expect(spansNamed('bluetick.store')).toHaveLength(0);
  });

  it('marks a body that does not normalize (400), and a store that is down (503, error status)', async () => {
    const handle = createHandlerCore({ cloud: { appSecret: APP_SECRET }, tracker: unavailableTracker(), tracing: otel }, nodeCrypto);
    const junk = '{"object":"nothing-we-know"}';
    expect((await handle({ method: 'POST', url: PATH, headers: { 'x-hub-signature-256': signMetaPayload(junk, APP_SECRET) }, rawBody: junk })).status).toBe(400);
    expect(onlySpan('bluetick.normalize').attributes).toMatchObject({ 'bluetick.outcome': 'rejected', 'http.response.status_code': 400 });
    expect(onlySpan('bluetick.webhook').attributes).toMatchObject({ 'bluetick.outcome': 'bad_request' });
    exporter.reset();
    const body = statusBody('wamid.store-down');
    expect((await handle({ method: 'POST', url: PATH, headers: { 'x-hub-signature-256': signMetaPayload(body, APP_SECRET) }, rawBody: body })).status).toBe(503);
    const webhook = onlySpan('bluetick.webhook');
    expect(webhook.attributes).toMatchObject({ 'bluetick.outcome': 'unavailable', 'http.response.status_code': 503 });
    expect(webhook.status.code).toBe(otel.SpanStatusCode.ERROR);
  });

  it('counts duplicates on the store span of a redelivery', async () => {
    const tracker = createTracker({ tracing: otel });
    cleanup.push(() => tracker.close());
    const handle = createHandlerCore({ cloud: { appSecret: APP_SECRET }, tracker, tracing: otel }, nodeCrypto);
    const body = statusBody('wamid.twice');
    const request = { method: 'POST', url: PATH, headers: { 'x-hub-signature-256': signMetaPayload(body, APP_SECRET) }, rawBody: body };
    expect((await handle(request)).status).toBe(200);
    expect((await handle(request)).status).toBe(200);
    const stores = spansNamed('bluetick.store');
    expect(stores.map((s) => [s.attributes['bluetick.claimed'], s.attributes['bluetick.duplicates']])).toEqual([
      [2, 0],
      [0, 2],
    ]);
  });

  it('sends no traceparent and makes no span without the tracing option', async () => {
    const sinkServer = await receiver();
    cleanup.push(sinkServer.close);
    const dispatcher = createDispatcher({ sinks: [httpSink({ url: sinkServer.url })], flushIntervalMs: 0 });
    cleanup.push(() => dispatcher.close());
    const tracker = createTracker();
    cleanup.push(() => tracker.close());
    const handle = createHandlerCore({ cloud: { appSecret: APP_SECRET }, tracker }, nodeCrypto);
    const body = statusBody('wamid.untraced');
    const request = { method: 'POST', url: PATH, headers: { 'x-hub-signature-256': signMetaPayload(body, APP_SECRET) }, rawBody: body };
    // Even inside an application span, with a propagator registered: bluetick adds nothing of its own.
    await otel.trace.getTracer('app').startActiveSpan('app', async (span) => {
      expect((await handle(request)).status).toBe(200);
      dispatcher.enqueue(makeEvents(1, 'untraced'));
      span.end();
    });
    await dispatcher.flush();
    expect(sinkServer.requests).toHaveLength(1);
    expect(sinkServer.requests[0]?.traceparent).toBeUndefined();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['app']);
  });
});

describe('the tracing option', () => {
  it('refuses a Tracer alone, and anything that is not the API module, with a ConfigError', () => {
    const tracer = otel.trace.getTracer('bluetick');
    const make = [
      (tracing: unknown) => createTracker({ tracing: tracing as never }),
      (tracing: unknown) => createDispatcher({ sinks: [{ write: async () => {} }], tracing: tracing as never }),
      (tracing: unknown) => createHandlerCore({ cloud: { appSecret: APP_SECRET }, discardEvents: true, tracing: tracing as never }, nodeCrypto),
    ];
    for (const create of make) {
      expect(() => create(tracer)).toThrow(/not a Tracer/);
      for (const wrong of [null, 42, {}, { trace: otel.trace }, { ...otel, propagation: {} }]) {
        let caught: unknown;
        try {
          create(wrong);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConfigError);
        expect((caught as ConfigError).code).toBe('invalid_tracing');
      }
    }
  });
});
