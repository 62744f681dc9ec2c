/**
 * rabbitmqSink against the real RabbitMQ on 127.0.0.1:5672: persistent messages, publisher
 * confirms (real nacks from a queue that rejects publishes), mandatory returns, reconnection after
 * the connection is cut (through a TCP relay), routing keys and the CloudEvents format.
 */
import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type GetMessage } from 'amqplib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CanonicalEvent, MessageEvent, NotificationEvent, StatusEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError, type SinkError } from '../../src/sinks/errors.js';
import { rabbitmqSink } from '../../src/sinks/rabbitmq.js';
import { RABBITMQ_URL, rabbitmqAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';
import { tcpProxy } from './tcp-proxy.js';

const up = await rabbitmqAvailable();
const ctx = () => ({ signal: new AbortController().signal, attempt: 1 });
const fastRetry = { retries: 3, minTimeout: 5, maxTimeout: 20 };

/** Statuses of every kind, a message, a notification and an error: one of each route family. */
function mixedEvents(): CanonicalEvent[] {
  const statuses = makeEvents(6, 'mix');
  const order: StatusEvent['status'][] = ['sent', 'delivered', 'read', 'failed', 'delivered', 'failed'];
  statuses.forEach((s, i) => (s.status = order[i] as StatusEvent['status']));
  const base = { schemaVersion: 1 as const, provider: 'cloud' as const, accountId: 'waba-1', phoneNumberId: 'pn-1', occurredAt: '2024-05-01T10:00:00.000Z', receivedAt: '2024-05-01T10:00:01.000Z' };
  const message: MessageEvent = { ...base, id: 'cloud:message:wamid.in1', kind: 'message', messageId: 'wamid.in1', direction: 'inbound', from: '5511', to: null, contact: {}, type: 'text', providerType: 'text', text: 'hi' };
  const notification: NotificationEvent = { ...base, id: 'cloud:notification:1', kind: 'notification', topic: 'account_update', data: { event: 'VERIFIED_ACCOUNT' } };
  return [...statuses, message, notification, { ...base, id: 'cloud:error:1', kind: 'error', errors: [{ code: '131000', class: 'unknown' }] }];
}

describeIf(up, SKIP_REASONS.rabbitmq, 'rabbitmqSink on the real RabbitMQ at 127.0.0.1:5672', () => {
  let connection: ChannelModel;
  let channel: Channel;
  const exchanges: string[] = [];
  const queues: string[] = [];

  beforeAll(async () => {
    connection = await amqp.connect(RABBITMQ_URL);
    channel = await connection.createChannel();
  });
  afterAll(async () => {
    for (const q of queues) await channel.deleteQueue(q).catch(() => {});
    for (const x of exchanges) await channel.deleteExchange(x).catch(() => {});
    await connection.close();
  });

  /** A fresh topic exchange and queues bound to it with the given patterns. */
  async function topology(bindings: Record<string, string>, queueArgs: Record<string, unknown> = {}) {
    const exchange = `bluetick-test-${randomUUID()}`;
    exchanges.push(exchange);
    await channel.assertExchange(exchange, 'topic', { durable: false, autoDelete: false });
    const names: Record<string, string> = {};
    for (const [label, pattern] of Object.entries(bindings)) {
      const { queue } = await channel.assertQueue(`${exchange}-${label}`, { durable: true, arguments: queueArgs });
      queues.push(queue);
      await channel.bindQueue(queue, exchange, pattern);
      names[label] = queue;
    }
    return { exchange, queues: names };
  }

  async function drain(queue: string): Promise<GetMessage[]> {
    const out: GetMessage[] = [];
    for (;;) {
      const message = await channel.get(queue, { noAck: true });
      if (!message) return out;
      out.push(message);
    }
  }

  it('persistent messages routed by kind and status, messageId = event id; write resolves once the broker confirmed them all', async () => {
    const { exchange, queues: q } = await topology({ all: '#', failed: 'status.failed', messages: 'message.*' });
    const events = mixedEvents();
    const sink = rabbitmqSink({ url: RABBITMQ_URL, exchange, assertExchange: false });
    await sink.write(events, ctx());
    // Confirmed means enqueued: the counts are right the moment write resolves, without waiting.
    expect((await channel.checkQueue(q.all!)).messageCount).toBe(events.length);
    expect((await channel.checkQueue(q.failed!)).messageCount).toBe(2);
    expect((await channel.checkQueue(q.messages!)).messageCount).toBe(1);
    const got = await drain(q.all!);
    expect(got.map((m) => m.fields.routingKey)).toEqual([
      'status.sent',
      'status.delivered',
      'status.read',
      'status.failed',
      'status.delivered',
      'status.failed',
      'message.text',
      'notification.account_update',
      'error',
    ]);
    got.forEach((m, i) => {
      const event = events[i]!;
      expect(m.properties).toMatchObject({
        deliveryMode: 2,
        messageId: event.id,
        contentType: 'application/json',
        appId: 'bluetick',
        timestamp: Date.parse(event.occurredAt) / 1000,
      });
      expect(m.properties.type).toBe(`com.bluetick.${m.fields.routingKey}`);
      expect(JSON.parse(m.content.toString('utf8'))).toEqual(event);
    });
    await drain(q.failed!);
    await drain(q.messages!);
    await sink.close?.();
  });

  it('declares its durable topic exchange itself and works through the dispatcher', async () => {
    const exchange = `bluetick-test-${randomUUID()}`;
    exchanges.push(exchange);
    const sink = rabbitmqSink({ url: RABBITMQ_URL, exchange });
    await sink.write([], ctx()); // nothing to send: no connection needed
    const d = createDispatcher({ sinks: [sink], batchSize: 7 });
    // The first write declares the exchange; bind a queue before the real traffic.
    d.enqueue(makeEvents(1, 'warmup'));
    await d.flush();
    const { queue } = await channel.assertQueue(`${exchange}-q`, { durable: true });
    queues.push(queue);
    await channel.bindQueue(queue, exchange, 'status.#');
    d.enqueue(makeEvents(20));
    await d.close();
    expect((await channel.checkQueue(queue)).messageCount).toBe(20);
    expect(d.stats().sinks[`rabbitmq:${exchange}`]).toMatchObject({ delivered: 21, failed: 0 });
    await drain(queue);
  });

  it('nacked messages (a queue that rejects publishes past 5) are the only ones retried, then dead-lettered', async () => {
    const { exchange, queues: q } = await topology({ capped: '#' }, { 'x-max-length': 5, 'x-overflow': 'reject-publish' });
    const sink = rabbitmqSink({ url: RABBITMQ_URL, exchange, assertExchange: false });
    const error = (await sink.write(makeEvents(8), ctx()).catch((e: unknown) => e)) as PartialBatchError;
    expect(error).toBeInstanceOf(PartialBatchError);
    expect(error.failed.map((e) => e.id)).toEqual(['e:5', 'e:6', 'e:7']);
    expect(error.rejected).toEqual([]);
    expect((await channel.checkQueue(q.capped!)).messageCount).toBe(5);

    // Room again: the retried events go through.
    await channel.purgeQueue(q.capped!);
    await sink.write(error.failed, { ...ctx(), attempt: 2 });
    expect((await drain(q.capped!)).map((m) => m.properties.messageId)).toEqual(['e:5', 'e:6', 'e:7']);

    // Through the dispatcher, with the queue staying full: 5 delivered, 3 retried then dead-lettered.
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(8, 'f'));
    await d.close();
    expect(dlq.ids().sort()).toEqual(['f:5', 'f:6', 'f:7']);
    expect(dlq.records[0]!.info.reason).toBe('retries_exhausted');
    expect(d.stats().sinks[`rabbitmq:${exchange}`]).toMatchObject({ delivered: 5, retried: 9, deadLettered: 3 });
    await drain(q.capped!);
  });

  it('mandatory: an event no queue is bound for is dead-lettered as non_retryable instead of vanishing', async () => {
    const { exchange, queues: q } = await topology({ statuses: 'status.*' });
    const dlq = collectingDeadLetter();
    const events = mixedEvents();
    const d = createDispatcher({ sinks: [rabbitmqSink({ url: RABBITMQ_URL, exchange, assertExchange: false, mandatory: true })], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(events);
    await d.close();
    expect(dlq.ids().sort()).toEqual(['cloud:error:1', 'cloud:message:wamid.in1', 'cloud:notification:1']);
    expect(dlq.records.every((r) => r.info.reason === 'non_retryable' && r.info.attempts === 1)).toBe(true);
    expect(dlq.records[0]!.info.message).toContain('unroutable');
    expect((await channel.checkQueue(q.statuses!)).messageCount).toBe(6);
    await drain(q.statuses!);
  });

  it('reconnects after the connection is cut, between batches and in the middle of one: every event arrives at least once', async () => {
    const { exchange, queues: q } = await topology({ all: '#' });
    const proxy = await tcpProxy(5672);
    try {
      const sink = rabbitmqSink({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, exchange, assertExchange: false });
      const d = createDispatcher({ sinks: [sink], batchSize: 50, retry: { retries: 20, minTimeout: 20, maxTimeout: 100 }, onError: () => {} });
      const first = makeEvents(10, 'a');
      d.enqueue(first);
      await d.flush();
      proxy.cut(); // the broker is fine; the connection is gone
      const second = makeEvents(10, 'b');
      d.enqueue(second);
      await d.flush();
      const third = makeEvents(400, 'c');
      d.enqueue(third);
      setTimeout(() => proxy.cut(), 5); // while the batches are being published and confirmed
      await d.close();
      expect(proxy.accepted()).toBeGreaterThanOrEqual(3); // the first connection and one per cut
      const stats = d.stats().sinks[`rabbitmq:${exchange}`]!;
      expect(stats).toMatchObject({ delivered: 420, deadLettered: 0 });
      const ids = new Set((await drain(q.all!)).map((m) => m.properties.messageId as string));
      for (const e of [...first, ...second, ...third]) expect(ids.has(e.id)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('backpressure: while the broker does not answer, writes stay pending and the dispatcher stops taking events', async () => {
    const { exchange, queues: q } = await topology({ all: '#' });
    const proxy = await tcpProxy(5672);
    try {
      const name = `rabbitmq:${exchange}`;
      const d = createDispatcher({ sinks: [rabbitmqSink({ url: `amqp://guest:guest@127.0.0.1:${proxy.port}`, exchange, assertExchange: false })], batchSize: 10, maxQueue: 20, flushIntervalMs: 1 });
      d.enqueue(makeEvents(10, 'warm'));
      await d.flush(); // connected and confirmed
      proxy.pause();
      let enqueued = 0;
      for (let i = 0; i < 200; i++) {
        enqueued++;
        if (!d.enqueue(makeEvents(1, `p${i}`))) break;
      }
      expect(enqueued).toBeLessThanOrEqual(31); // 20 waiting + one batch of 10 in flight, then "stop"
      await new Promise((r) => setTimeout(r, 200));
      expect(d.stats().sinks[name]!.delivered).toBe(10); // nothing confirmed while the broker is silent
      proxy.resume();
      await d.waitForCapacity();
      await d.close();
      expect(d.stats().sinks[name]).toMatchObject({ delivered: 10 + enqueued, deadLettered: 0, shed: 0 });
      expect((await channel.checkQueue(q.all!)).messageCount).toBe(10 + enqueued);
      await drain(q.all!);
    } finally {
      await proxy.close();
    }
  });

  it("format: 'cloudevents': body the structured CloudEvent, content-type and cloudEvents_* headers per the AMQP binding", async () => {
    const { exchange, queues: q } = await topology({ all: '#' });
    const event = makeEvents(1)[0]!;
    const sink = rabbitmqSink({ url: RABBITMQ_URL, exchange, assertExchange: false, format: 'cloudevents', cloudEvents: { source: 'https://wa.example.com' } });
    await sink.write([event], ctx());
    await sink.close?.();
    const [m] = await drain(q.all!);
    expect(m!.properties.contentType).toBe('application/cloudevents+json; charset=utf-8');
    expect(m!.properties.messageId).toBe(event.id);
    expect(m!.properties.headers).toMatchObject({
      cloudEvents_specversion: '1.0',
      cloudEvents_id: event.id,
      cloudEvents_type: 'com.bluetick.status.delivered',
      cloudEvents_source: 'https://wa.example.com',
      cloudEvents_subject: event.messageId,
    });
    expect(JSON.parse(m!.content.toString('utf8'))).toMatchObject({ specversion: '1.0', id: event.id, type: 'com.bluetick.status.delivered', data: event });
  });

  it('a missing exchange (404) and bad credentials (403) are not retried', async () => {
    const dlq = collectingDeadLetter();
    const d = createDispatcher({
      sinks: [rabbitmqSink({ url: RABBITMQ_URL, exchange: `bluetick-missing-${randomUUID()}`, assertExchange: false })],
      deadLetter: dlq,
      retry: fastRetry,
      onError: () => {},
    });
    d.enqueue(makeEvents(3));
    await d.close();
    expect(dlq.ids()).toEqual(['e:0', 'e:1', 'e:2']);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'non_retryable', attempts: 1 });
    expect(dlq.records[0]!.info.message).toContain('404');

    const denied = rabbitmqSink({ url: 'amqp://guest:wrong-password@127.0.0.1:5672', exchange: 'x' });
    const error = (await denied.write(makeEvents(1), ctx()).catch((e: unknown) => e)) as SinkError;
    expect(error).toMatchObject({ code: 'amqp_connect_failed', retryable: false });
    expect(error.message).toContain('ACCESS-REFUSED');
  });

  it('a closed sink refuses writes', async () => {
    const { exchange } = await topology({});
    const sink = rabbitmqSink({ url: RABBITMQ_URL, exchange, assertExchange: false });
    await sink.write(makeEvents(1), ctx()).catch(() => {}); // no queue: confirmed and dropped by the broker
    await sink.close?.();
    await expect(sink.write(makeEvents(1), ctx())).rejects.toMatchObject({ code: 'sink_closed', retryable: false });
  });
});
