import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudEvent as SdkCloudEvent, HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError, SinkError } from '../../src/sinks/errors.js';
import {
  generateWebhookSecret,
  httpSink,
  signHttpSinkPayload,
  signStandardWebhook,
  verifyHttpSinkSignature,
  verifyStandardWebhook,
} from '../../src/sinks/http.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';

const SECRET = generateWebhookSecret();
const LEGACY_SECRET = 'sink-secret';

interface Received {
  /** What the standardwebhooks package said of the request (its own verifier, not ours). */
  verified: boolean;
  rawBody: string;
  headers: IncomingHttpHeaders;
}

/**
 * A real receiver on 127.0.0.1. It verifies every request with the `standardwebhooks` package
 * (the reference implementation of the specification) and answers 401 when that fails; otherwise
 * it answers `status(request, call)`.
 */
async function receiver(status: (r: Received, call: number) => number = () => 200, secret = SECRET) {
  const received: Received[] = [];
  const webhook = new Webhook(secret);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let verified = false;
      try {
        webhook.verify(rawBody, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      const r = { verified, rawBody, headers: req.headers };
      received.push(r);
      const code = verified ? status(r, received.length) : 401;
      res.writeHead(code, { 'content-type': 'text/plain' }).end(code === 200 ? 'ok' : `status ${code}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, received };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const fastRetry = { retries: 3, minTimeout: 5, maxTimeout: 10 };
const ctx = () => ({ signal: new AbortController().signal, attempt: 1 });

describe('httpSink: Standard Webhooks signatures, checked by the standardwebhooks package', () => {
  it('POSTs {events} signed; the reference verifier accepts it; 500 is retried then 200 delivers', async () => {
    const { url, received } = await receiver((_, call) => (call === 1 ? 500 : 200));
    const d = createDispatcher({ sinks: [httpSink({ url, secret: SECRET, headers: { 'x-tenant': 't1' } })], retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(3));
    await d.close();
    expect(received).toHaveLength(2);
    expect(received.every((r) => r.verified)).toBe(true);
    const [first, second] = received as [Received, Received];
    expect((JSON.parse(second.rawBody) as { events: { id: string }[] }).events.map((e) => e.id)).toEqual(['e:0', 'e:1', 'e:2']);
    expect(second.headers['content-type']).toBe('application/json');
    expect(second.headers['x-tenant']).toBe('t1');
    expect(second.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(second.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(second.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // The deprecated headers are not sent unless asked for.
    expect(second.headers['x-bluetick-signature']).toBeUndefined();
    // Same events, same webhook-id and idempotency key across the retry.
    expect(first.headers['webhook-id']).toBe(second.headers['webhook-id']);
    expect(first.headers['idempotency-key']).toBe(second.headers['idempotency-key']);
    expect(d.stats().sinks[`http:${new URL(url).host}`]).toMatchObject({ delivered: 3, retried: 3 });
  });

  it('a wrong secret is refused by the reference verifier (401, not retried)', async () => {
    const { url, received } = await receiver();
    const sink = httpSink({ url, secret: generateWebhookSecret() });
    await expect(sink.write(makeEvents(1), ctx())).rejects.toMatchObject({ code: 'http_401', retryable: false });
    expect(received[0]!.verified).toBe(false);
  });

  it('rotation: with [new, old] secrets every request carries both signatures, and a receiver on either verifies', async () => {
    const old = generateWebhookSecret();
    const onOld = await receiver(() => 200, old);
    const onNew = await receiver(() => 200, SECRET);
    for (const { url } of [onOld, onNew]) await httpSink({ url, secret: [SECRET, old] }).write(makeEvents(2), ctx());
    for (const { received } of [onOld, onNew]) {
      expect(received[0]!.verified).toBe(true);
      expect(String(received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
    }
  });

  it('429 is retryable; 400 is not and goes to the dead-letter sink after one call', async () => {
    const { url, received } = await receiver((_, call) => (call === 1 ? 429 : 400));
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [httpSink({ url, secret: SECRET })], deadLetter: dlq, retry: { retries: 5, minTimeout: 5, maxTimeout: 10 }, onError: () => {} });
    d.enqueue(makeEvents(2));
    await d.close();
    expect(received).toHaveLength(2);
    expect(dlq.records).toHaveLength(1);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'non_retryable', attempts: 2 });
    expect((dlq.records[0]!.info.error as SinkError).code).toBe('http_400');
  });

  it('a refused connection is a retryable network error', async () => {
    const { url } = await receiver();
    await new Promise((r) => servers.pop()!.close(r));
    const sink = httpSink({ url });
    await expect(sink.write(makeEvents(1), ctx())).rejects.toMatchObject({ code: 'http_network', retryable: true });
  });

  it('a receiver slower than timeoutMs fails retryably', async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const sink = httpSink({ url, timeoutMs: 50 });
    await expect(sink.write(makeEvents(1), ctx())).rejects.toMatchObject({ retryable: true });
    server.closeAllConnections();
  });

  it('refuses a secret that is not whsec_<base64 of 24–64 bytes> at creation, naming the way out', () => {
    const url = 'http://127.0.0.1:9/';
    for (const secret of ['sink-secret', 'whsec_', 'whsec_not base64!', `whsec_${Buffer.alloc(16).toString('base64')}`, `whsec_${Buffer.alloc(65).toString('base64')}`]) {
      expect(() => httpSink({ url, secret })).toThrow(expect.objectContaining({ code: 'invalid_secret', message: expect.stringContaining('generateWebhookSecret') }));
    }
    expect(() => httpSink({ url, secret: `whsec_${Buffer.alloc(24, 1).toString('base64')}` })).not.toThrow();
    expect(() => httpSink({ url, cloudEventsMode: 'binary' })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => httpSink({ url, format: 'xml' as never })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });
});

describe('httpSink: the deprecated x-bluetick-signature, behind legacySignature', () => {
  it('sends both schemes when asked; verifyHttpSinkSignature still verifies the legacy one', async () => {
    const { url, received } = await receiver();
    await httpSink({ url, secret: SECRET, legacySignature: { secret: LEGACY_SECRET } }).write(makeEvents(2), ctx());
    const r = received[0]!;
    expect(r.verified).toBe(true);
    expect(r.headers['x-bluetick-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(r.headers['x-bluetick-timestamp']).toBe(r.headers['webhook-timestamp']);
    expect(verifyHttpSinkSignature({ rawBody: r.rawBody, secret: LEGACY_SECRET, signature: r.headers['x-bluetick-signature'], timestamp: r.headers['x-bluetick-timestamp'] })).toBe(true);
    expect(verifyHttpSinkSignature({ rawBody: r.rawBody, secret: 'other', signature: r.headers['x-bluetick-signature'], timestamp: r.headers['x-bluetick-timestamp'] })).toBe(false);
  });

  it('legacy only: a plain secret keeps working without Standard Webhooks signatures', async () => {
    const { url, received } = await receiver();
    await expect(httpSink({ url, legacySignature: { secret: LEGACY_SECRET } }).write(makeEvents(1), ctx())).rejects.toMatchObject({ code: 'http_401' });
    const r = received[0]!;
    expect(r.headers['webhook-signature']).toBeUndefined();
    expect(verifyHttpSinkSignature({ rawBody: r.rawBody, secret: LEGACY_SECRET, signature: r.headers['x-bluetick-signature'], timestamp: r.headers['x-bluetick-timestamp'] })).toBe(true);
  });
});

describe('httpSink: CloudEvents over HTTP', () => {
  const events = makeEvents(3);

  it('structured (default): one request per event, application/cloudevents+json, signed', async () => {
    const { url, received } = await receiver();
    await httpSink({ url, secret: SECRET, format: 'cloudevents', cloudEvents: { source: 'https://wa.example.com' }, concurrency: 1 }).write(events, ctx());
    expect(received).toHaveLength(3);
    received.forEach((r, i) => {
      expect(r.verified).toBe(true);
      expect(r.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
      const ce = JSON.parse(r.rawBody) as Record<string, unknown>;
      expect(ce).toEqual({
        specversion: '1.0',
        id: events[i]!.id,
        source: 'https://wa.example.com',
        type: 'com.bluetick.status.delivered',
        time: events[i]!.occurredAt,
        subject: events[i]!.messageId,
        datacontenttype: 'application/json',
        data: events[i],
      });
    });
    expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(3);
    // The official SDK reads the request as a structured-mode CloudEvent.
    const parsed = HTTP.toEvent({ headers: received[0]!.headers as Record<string, string>, body: received[0]!.rawBody }) as SdkCloudEvent<unknown>;
    expect(parsed.validate()).toBe(true);
    expect({ id: parsed.id, type: parsed.type, data: parsed.data }).toEqual({ id: events[0]!.id, type: 'com.bluetick.status.delivered', data: events[0] });
  });

  it('binary: ce-* headers percent-encoded, content-type from datacontenttype, body the canonical event', async () => {
    const { url, received } = await receiver();
    const event = { ...makeEvents(1)[0]!, accountId: 'wába 1' } as CanonicalEvent;
    await httpSink({ url, secret: SECRET, format: 'cloudevents', cloudEventsMode: 'binary' }).write([event], ctx());
    const r = received[0]!;
    expect(r.verified).toBe(true);
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.headers['ce-datacontenttype']).toBeUndefined();
    expect(r.headers).toMatchObject({
      'ce-specversion': '1.0',
      'ce-id': event.id,
      'ce-type': 'com.bluetick.status.delivered',
      'ce-source': 'bluetick://cloud/w%25C3%25A1ba%25201',
      'ce-time': event.occurredAt,
      'ce-subject': 'wamid.e0',
    });
    expect(eventSchema.parse(JSON.parse(r.rawBody))).toEqual(event);
    const parsed = HTTP.toEvent({ headers: r.headers as Record<string, string>, body: r.rawBody }) as SdkCloudEvent<unknown>;
    expect({ id: parsed.id, type: parsed.type, subject: parsed.subject, data: parsed.data }).toEqual({ id: event.id, type: 'com.bluetick.status.delivered', subject: 'wamid.e0', data: event });
  });

  it('batched: one request, a JSON array, application/cloudevents-batch+json', async () => {
    const { url, received } = await receiver();
    await httpSink({ url, secret: SECRET, format: 'cloudevents', cloudEventsMode: 'batched' }).write(events, ctx());
    expect(received).toHaveLength(1);
    expect(received[0]!.verified).toBe(true);
    expect(received[0]!.headers['content-type']).toBe('application/cloudevents-batch+json; charset=utf-8');
    const batch = JSON.parse(received[0]!.rawBody) as Array<{ id: string; specversion: string; data: unknown }>;
    expect(batch.map((ce) => ce.id)).toEqual(events.map((e) => e.id));
    expect(batch.every((ce) => ce.specversion === '1.0')).toBe(true);
    const parsed = HTTP.toEvent({ headers: received[0]!.headers as Record<string, string>, body: received[0]!.rawBody }) as SdkCloudEvent<unknown>[];
    expect(parsed.map((ce) => ce.id)).toEqual(events.map((e) => e.id));
  });

  it('one request per event: only the events whose request failed are retried; a 4xx one is dead-lettered', async () => {
    const calls = new Map<string, number>();
    const { url, received } = await receiver((r) => {
      const id = (JSON.parse(r.rawBody) as { id: string }).id;
      const n = (calls.get(id) ?? 0) + 1;
      calls.set(id, n);
      if (id === 'e:1' && n === 1) return 503;
      if (id === 'e:2') return 422;
      return 200;
    });
    const dlq = collectingDeadLetter();
    const sink = httpSink({ url, secret: SECRET, format: 'cloudevents' });
    const error = await sink.write(makeEvents(4), ctx()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialBatchError);
    expect((error as PartialBatchError).failed.map((e) => e.id)).toEqual(['e:1']);
    expect((error as PartialBatchError).rejected.map((e) => e.id)).toEqual(['e:2']);

    calls.clear();
    received.length = 0;
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(4));
    await d.close();
    expect(dlq.ids()).toEqual(['e:2']);
    expect([...calls.entries()].sort()).toEqual([['e:0', 1], ['e:1', 2], ['e:2', 1], ['e:3', 1]]);
    expect(d.stats().sinks[`http:${new URL(url).host}`]).toMatchObject({ delivered: 3, deadLettered: 1, retried: 1 });
  });
});

describe('verifyStandardWebhook', () => {
  const body = '{"events":[]}';
  const now = 1_700_000_000_000;
  const ts = now / 1000;
  const id = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';

  it('matches the standardwebhooks package in both directions', () => {
    const theirs = new Webhook(SECRET).sign(id, new Date(now), body);
    expect(signStandardWebhook({ id, timestamp: ts, body, secret: SECRET })).toBe(theirs);
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': theirs };
    expect(verifyStandardWebhook({ rawBody: body, headers, secret: SECRET, now })).toBe(true);
    expect(verifyStandardWebhook({ rawBody: Buffer.from(body), headers: new Headers(headers), secret: ['whsec_' + Buffer.alloc(32, 7).toString('base64'), SECRET], now })).toBe(true);
  });

  it('rejects a tampered body or id, an old or future timestamp, other versions, missing headers', () => {
    const signature = signStandardWebhook({ id, timestamp: ts, body, secret: SECRET });
    const h = (over: Record<string, string | undefined> = {}) => ({ 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': signature, ...over });
    const verify = (headers: Record<string, string | undefined>, at = now, rawBody = body) => verifyStandardWebhook({ rawBody, headers, secret: SECRET, now: at });
    expect(verify(h())).toBe(true);
    expect(verify(h(), now, body + ' ')).toBe(false);
    expect(verify(h({ 'webhook-id': 'msg_other' }))).toBe(false);
    expect(verify(h(), now + 301_000)).toBe(false);
    expect(verify(h(), now - 301_000)).toBe(false);
    expect(verify(h({ 'webhook-signature': signature.replace('v1,', 'v1a,') }))).toBe(false);
    expect(verify(h({ 'webhook-signature': undefined }))).toBe(false);
    expect(verify(h({ 'webhook-timestamp': 'abc' }))).toBe(false);
    // Several signatures: any v1 match verifies.
    expect(verify(h({ 'webhook-signature': `v1,AAAA ${signature}` }))).toBe(true);
  });
});

describe('verifyHttpSinkSignature (deprecated scheme)', () => {
  const body = '{"events":[]}';
  const now = 1_700_000_000_000;
  const ts = now / 1000;
  const good = signHttpSinkPayload(body, ts, LEGACY_SECRET);

  it('accepts the right signature, also among rotated secrets', () => {
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: String(ts), secret: LEGACY_SECRET, now })).toBe(true);
    expect(verifyHttpSinkSignature({ rawBody: Buffer.from(body), signature: [good], timestamp: [String(ts)], secret: ['old', LEGACY_SECRET], now })).toBe(true);
  });

  it('rejects a tampered body, a replayed (old) timestamp, a moved timestamp and missing headers', () => {
    expect(verifyHttpSinkSignature({ rawBody: body + ' ', signature: good, timestamp: String(ts), secret: LEGACY_SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: String(ts), secret: LEGACY_SECRET, now: now + 301_000 })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: String(ts + 1), secret: LEGACY_SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: undefined, timestamp: String(ts), secret: LEGACY_SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: 'abc', secret: LEGACY_SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: 'sha256=00', timestamp: String(ts), secret: LEGACY_SECRET, now })).toBe(false);
  });
});
