import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { SinkError } from '../../src/sinks/errors.js';
import { httpSink } from '../../src/sinks/http.js';
import { signHttpSinkPayload, verifyHttpSinkSignature } from '../../src/sinks/http.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';

const SECRET = 'sink-secret';

interface Received {
  verified: boolean;
  ids: string[];
  headers: IncomingHttpHeaders;
}

/** A real receiver on 127.0.0.1 that verifies the HMAC and answers with the scripted statuses. */
async function receiver(statuses: number[]) {
  const received: Received[] = [];
  let call = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const verified = verifyHttpSinkSignature({
        rawBody,
        secret: SECRET,
        signature: req.headers['x-bluetick-signature'],
        timestamp: req.headers['x-bluetick-timestamp'],
      });
      const body = JSON.parse(rawBody.toString('utf8')) as { events: { id: string }[] };
      received.push({ verified, ids: body.events.map((e) => e.id), headers: req.headers });
      const status = verified ? (statuses[call++] ?? 200) : 401;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : `status ${status}`);
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

describe('httpSink against a real node:http receiver', () => {
  it('POSTs {events} signed; the receiver verifies; 500 is retried then 200 delivers', async () => {
    const { url, received } = await receiver([500, 200]);
    const d = createDispatcher({ sinks: [httpSink({ url, secret: SECRET, headers: { 'x-tenant': 't1' } })], retry: { retries: 3, minTimeout: 5, maxTimeout: 10 }, onError: () => {} });
    d.enqueue(makeEvents(3));
    await d.close();
    expect(received).toHaveLength(2);
    expect(received.every((r) => r.verified)).toBe(true);
    expect(received[1]!.ids).toEqual(['e:0', 'e:1', 'e:2']);
    expect(received[1]!.headers['content-type']).toBe('application/json');
    expect(received[1]!.headers['x-tenant']).toBe('t1');
    expect(received[1]!.headers['x-bluetick-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    // Same batch, same idempotency key across the retry.
    expect(received[0]!.headers['idempotency-key']).toBe(received[1]!.headers['idempotency-key']);
    expect(d.stats().sinks[`http:${new URL(url).host}`]).toMatchObject({ delivered: 3, retried: 3 });
  });

  it('429 is retryable; 400 is not and goes to the dead-letter sink after one call', async () => {
    const { url, received } = await receiver([429, 400]);
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [httpSink({ url, secret: SECRET })], deadLetter: dlq, retry: { retries: 5, minTimeout: 5, maxTimeout: 10 }, onError: () => {} });
    d.enqueue(makeEvents(2));
    await d.close();
    expect(received).toHaveLength(2);
    expect(dlq.records).toHaveLength(1);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'non_retryable', attempts: 2 });
    expect((dlq.records[0]!.info.error as SinkError).code).toBe('http_400');
  });

  it('a wrong secret is refused by the receiver (401, not retried)', async () => {
    const { url, received } = await receiver([]);
    const sink = httpSink({ url, secret: 'not-the-secret' });
    await expect(sink.write(makeEvents(1), { signal: new AbortController().signal, attempt: 1 })).rejects.toMatchObject({ code: 'http_401', retryable: false });
    expect(received[0]!.verified).toBe(false);
  });

  it('a refused connection is a retryable network error', async () => {
    const { url } = await receiver([]);
    await new Promise((r) => servers.pop()!.close(r));
    const sink = httpSink({ url });
    await expect(sink.write(makeEvents(1), { signal: new AbortController().signal, attempt: 1 })).rejects.toMatchObject({ code: 'http_network', retryable: true });
  });

  it('a receiver slower than timeoutMs fails retryably', async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const sink = httpSink({ url, timeoutMs: 50 });
    await expect(sink.write(makeEvents(1), { signal: new AbortController().signal, attempt: 1 })).rejects.toMatchObject({ retryable: true });
    server.closeAllConnections();
  });
});

describe('verifyHttpSinkSignature', () => {
  const body = '{"events":[]}';
  const now = 1_700_000_000_000;
  const ts = now / 1000;
  const good = signHttpSinkPayload(body, ts, SECRET);

  it('accepts the right signature, also among rotated secrets', () => {
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: String(ts), secret: SECRET, now })).toBe(true);
    expect(verifyHttpSinkSignature({ rawBody: Buffer.from(body), signature: [good], timestamp: [String(ts)], secret: ['old', SECRET], now })).toBe(true);
  });

  it('rejects a tampered body, a replayed (old) timestamp, a moved timestamp and missing headers', () => {
    expect(verifyHttpSinkSignature({ rawBody: body + ' ', signature: good, timestamp: String(ts), secret: SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: String(ts), secret: SECRET, now: now + 301_000 })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: String(ts + 1), secret: SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: undefined, timestamp: String(ts), secret: SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: good, timestamp: 'abc', secret: SECRET, now })).toBe(false);
    expect(verifyHttpSinkSignature({ rawBody: body, signature: 'sha256=00', timestamp: String(ts), secret: SECRET, now })).toBe(false);
  });
});
