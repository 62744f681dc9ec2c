/**
 * The delivery span's trace context in queue messages: RabbitMQ headers and NATS headers (real
 * services on 127.0.0.1), BullMQ's telemetry metadata (real Redis), SQS message attributes; and
 * none of it without the tracing option.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { Queue } from 'bullmq';
import { connect } from 'nats';
import { beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { bullmqJobId, bullmqSink } from '../../src/sinks/bullmq.js';
import { natsSink } from '../../src/sinks/nats.js';
import { rabbitmqSink } from '../../src/sinks/rabbitmq.js';
import { sqsSink } from '../../src/sinks/sqs.js';
import type { Sink } from '../../src/sinks/types.js';
import { NATS_SERVERS, RABBITMQ_URL, describeIf, natsAvailable, rabbitmqAvailable, redisAvailable, SKIP_REASONS } from '../helpers/services.js';
import { makeEvents } from '../sinks/helpers.js';
import { exporter, onlySpan, otel, traceparentOf } from './otel.js';

const [rabbitUp, natsUp, redisUp] = await Promise.all([rabbitmqAvailable(), natsAvailable(), redisAvailable()]);

beforeEach(() => exporter.reset());

/** Delivers `n` events through a dispatcher over `sink`, traced or not, and closes it. */
async function deliver(sink: Sink, traced: boolean, n = 2) {
  const dispatcher = createDispatcher({ sinks: [sink], flushIntervalMs: 0, ...(traced ? { tracing: otel } : {}) });
  const events = makeEvents(n, `q-${randomUUID()}`);
  dispatcher.enqueue(events);
  await dispatcher.flush();
  await dispatcher.close();
  return events;
}

describeIf(rabbitUp, SKIP_REASONS.rabbitmq, 'rabbitmqSink trace headers (real RabbitMQ)', () => {
  async function roundTrip(traced: boolean) {
    const connection = await amqp.connect(RABBITMQ_URL);
    const channel = await connection.createChannel();
    const exchange = `bluetick-trace-${randomUUID()}`;
    try {
      await channel.assertExchange(exchange, 'topic', { durable: false });
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, exchange, '#');
      await deliver(rabbitmqSink({ url: RABBITMQ_URL, exchange, assertExchange: false }), traced);
      const messages = [];
      for (let m = await channel.get(queue, { noAck: true }); m; m = await channel.get(queue, { noAck: true })) messages.push(m);
      return messages;
    } finally {
      await channel.deleteExchange(exchange).catch(() => {});
      await connection.close();
    }
  }

  it('carries the delivery span’s traceparent in every message’s headers', async () => {
    const messages = await roundTrip(true);
    expect(messages).toHaveLength(2);
    const span = onlySpan('bluetick.sink.deliver');
    expect(span.attributes).toMatchObject({ 'bluetick.sink.outcome': 'delivered', 'bluetick.sink.batch_size': 2 });
    for (const m of messages) expect(m.properties.headers?.traceparent).toBe(traceparentOf(span));
  });

  it('carries none without the tracing option', async () => {
    const messages = await roundTrip(false);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m.properties.headers?.traceparent).toBeUndefined();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});

describeIf(natsUp, SKIP_REASONS.nats, 'natsSink trace headers (real NATS JetStream)', () => {
  async function roundTrip(traced: boolean) {
    const nc = await connect({ servers: NATS_SERVERS });
    const jsm = await nc.jetstreamManager();
    const id = randomUUID().replace(/-/g, '');
    const name = `BLUETICK_TRACE_${id}`;
    try {
      await jsm.streams.add({ name, subjects: [`bt-${id}.>`] });
      await deliver(natsSink({ connection: nc, subjectPrefix: `bt-${id}` }), traced);
      return [await jsm.streams.getMessage(name, { seq: 1 }), await jsm.streams.getMessage(name, { seq: 2 })];
    } finally {
      await jsm.streams.delete(name).catch(() => {});
      await nc.drain();
    }
  }

  it('carries the delivery span’s traceparent in every message’s headers', async () => {
    const stored = await roundTrip(true);
    const span = onlySpan('bluetick.sink.deliver');
    for (const m of stored) expect(m.header.get('traceparent')).toBe(traceparentOf(span));
  });

  it('carries none without the tracing option', async () => {
    const stored = await roundTrip(false);
    for (const m of stored) expect(m.header.get('traceparent')).toBe('');
  });
});

describeIf(redisUp, SKIP_REASONS.redis, 'bullmqSink trace context (real Redis)', () => {
  async function roundTrip(traced: boolean) {
    const queue = new Queue(`bluetick-trace-${randomUUID()}`, { connection: { host: '127.0.0.1', port: 6379 } });
    try {
      const events = await deliver(bullmqSink({ queue }), traced);
      return await Promise.all(events.map((e) => queue.getJob(bullmqJobId(e.id))));
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }

  it('puts the delivery span’s trace headers in each job’s telemetry metadata (what bullmq-otel reads)', async () => {
    const jobs = await roundTrip(true);
    const span = onlySpan('bluetick.sink.deliver');
    for (const job of jobs) expect(JSON.parse(job?.opts.telemetry?.metadata ?? '{}')).toEqual({ traceparent: traceparentOf(span) });
  });

  it('leaves it out without the tracing option', async () => {
    const jobs = await roundTrip(false);
    for (const job of jobs) expect(job?.opts.telemetry?.metadata).toBeUndefined();
  });
});

describe('sqsSink trace attributes', () => {
  /** An SQS client that records the entries it is sent and answers every one as sent. */
  function recordingClient() {
    const entries: Array<{ Id: string; MessageAttributes?: Record<string, { DataType: string; StringValue?: string }> }> = [];
    const client = {
      async send(command: { input: { Entries: typeof entries } }) {
        entries.push(...command.input.Entries);
        return { Successful: command.input.Entries.map((e) => ({ Id: e.Id })), Failed: [] };
      },
    };
    return { entries, client: client as never };
  }

  it('sends traceparent as a String message attribute of every message', async () => {
    const { entries, client } = recordingClient();
    await deliver(sqsSink({ client, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q' }), true);
    const span = onlySpan('bluetick.sink.deliver');
    expect(entries).toHaveLength(2);
    for (const e of entries) expect(e.MessageAttributes).toEqual({ traceparent: { DataType: 'String', StringValue: traceparentOf(span) } });
  });

  it('sends no message attributes without the tracing option', async () => {
    const { entries, client } = recordingClient();
    await deliver(sqsSink({ client, queueUrl: 'https://sqs.eu-west-1.amazonaws.com/1/q' }), false);
    for (const e of entries) expect(e.MessageAttributes).toBeUndefined();
  });
});
