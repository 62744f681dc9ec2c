/**
 * The queue consumer examples end to end: signed webhooks into the example's receiver, through
 * the real broker (RabbitMQ, NATS JetStream) or a local SQS endpoint, out of the example's
 * consumer as validated canonical events, each exactly once.
 */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { connect } from 'nats';
import { describe, expect, it } from 'vitest';
import { normalize, type CanonicalEvent } from '../../src/index.js';
import { cloudEventType } from '../../src/sinks/cloudevents.js';
import * as natsExample from '../../examples/nats-consumer.js';
import * as rabbitExample from '../../examples/rabbitmq-consumer.js';
import * as sqsExample from '../../examples/sqs-consumer.js';
import { NATS_SERVERS, natsAvailable, RABBITMQ_URL, rabbitmqAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { APP_SECRET, metaHeaders, statusesBody } from './helpers.js';
import { localSqs } from './local-sqs.js';

const rabbitUp = await rabbitmqAvailable();
const natsUp = await natsAvailable();
const expected = normalize(statusesBody).events;

/** POSTs the statuses webhook twice (a provider retry), then stops the receiver (flushing its sink). */
async function deliverTwice(receiver: { url: string; stop(): Promise<void> }): Promise<void> {
  for (let i = 0; i < 2; i++) {
    const res = await fetch(receiver.url, { method: 'POST', body: statusesBody, headers: metaHeaders(statusesBody) });
    expect(res.status).toBe(200);
  }
  await receiver.stop();
}

async function until(received: unknown[], n: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 200)); // a duplicate would arrive now
}

describeIf(rabbitUp, SKIP_REASONS.postgres, 'examples/rabbitmq-consumer (real RabbitMQ at 127.0.0.1:5672)', () => {
  it('statuses reach a queue bound to status.* as validated events, once each, with their routing keys', async () => {
    const settings = { url: RABBITMQ_URL, exchange: `bluetick-example-${randomUUID()}` };
    const queue = `${settings.exchange}-statuses`;
    const received: { event: CanonicalEvent; key: string }[] = [];
    const consumer = await rabbitExample.startConsumer({ ...settings, queue, patterns: ['status.*'] }, (event, key) => void received.push({ event, key }));
    try {
      await deliverTwice(await rabbitExample.startReceiver(settings, APP_SECRET));
      const statuses = expected.filter((e) => e.kind === 'status');
      await until(received, statuses.length);
      expect(received.map((r) => r.event.id).sort()).toEqual(statuses.map((e) => e.id).sort());
      for (const r of received) expect(r.key).toBe(`status.${(r.event as { status: string }).status}`);
    } finally {
      await consumer.close();
      const connection = await amqp.connect(RABBITMQ_URL);
      const channel = await connection.createChannel();
      await channel.deleteQueue(queue);
      await channel.deleteExchange(settings.exchange);
      await connection.close();
    }
  });
});

describeIf(natsUp, SKIP_REASONS.postgres, 'examples/nats-consumer (real NATS JetStream at 127.0.0.1:4222)', () => {
  it('CloudEvents reach the durable consumer as validated events, once each', async () => {
    const id = randomUUID().replace(/-/g, '');
    const settings = { servers: NATS_SERVERS, stream: `BLUETICK_EXAMPLE_${id}`, subjectPrefix: `bt-example-${id}` };
    const received: { event: CanonicalEvent; type: string }[] = [];
    const consumer = await natsExample.startConsumer({ ...settings, durable: 'worker' }, (event, type) => void received.push({ event, type }));
    try {
      await deliverTwice(await natsExample.startReceiver(settings, APP_SECRET));
      await until(received, expected.length);
      expect(received.map((r) => r.event.id).sort()).toEqual(expected.map((e) => e.id).sort());
      for (const r of received) expect(r.type).toBe(cloudEventType(r.event));
      expect(received.some((r) => r.type === 'com.bluetick.status.read')).toBe(true);
    } finally {
      await consumer.close();
      const nc = await connect({ servers: NATS_SERVERS });
      await (await nc.jetstreamManager()).streams.delete(settings.stream);
      await nc.drain();
    }
  });
});

describe('examples/sqs-consumer (real SQSClient, local SQS endpoint)', () => {
  it('events reach the long-polling consumer through a FIFO queue, once each, and are deleted', async () => {
    const sqs = await localSqs('whatsapp.fifo');
    const received: CanonicalEvent[] = [];
    const consumer = sqsExample.startConsumer({ client: sqs.client, queueUrl: sqs.queueUrl, waitTimeSeconds: 1 }, (event) => void received.push(event));
    try {
      await deliverTwice(await sqsExample.startReceiver({ client: sqs.client, queueUrl: sqs.queueUrl }, APP_SECRET));
      await until(received, expected.length);
      expect(received.map((e) => e.id).sort()).toEqual(expected.map((e) => e.id).sort());
    } finally {
      await consumer.stop();
      expect(sqs.remaining()).toBe(0);
      await sqs.close();
    }
  });
});
