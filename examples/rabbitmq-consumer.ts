/**
 * WhatsApp events through RabbitMQ: the receiver acknowledges webhooks once the tracker stored
 * them and publishes every accepted event to a topic exchange (persistent, publisher confirms,
 * routing key = the event's route); a worker binds a durable queue to the routes it wants
 * (`status.*`, `message.#`, or `#` for everything) and validates each message with `eventSchema`.
 *
 *   AMQP_URL=amqp://guest:guest@127.0.0.1:5672 META_APP_SECRET=… node --import tsx examples/rabbitmq-consumer.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import amqp from 'amqplib';
import { createTracker, eventSchema, type CanonicalEvent } from 'bluetick';
import { createNodeListener } from 'bluetick/node';
import { rabbitmqSink } from 'bluetick/sinks/rabbitmq';

/** Where the events go. */
export interface ExchangeSettings {
  url: string;
  exchange: string;
}

/** The receiving side: webhooks in, events onto the exchange. */
export async function startReceiver(settings: ExchangeSettings, appSecret = process.env.META_APP_SECRET ?? '') {
  const tracker = createTracker({ sinks: [rabbitmqSink({ url: settings.url, exchange: settings.exchange })] });
  const server = createServer(createNodeListener({ cloud: { appSecret }, tracker }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tracker.close(); // flushes the sink: every event is confirmed by the broker before it resolves
    },
  };
}

/**
 * The consuming side: a durable queue bound to `patterns` (topic patterns over routes), one
 * canonical event per message. Delivery is at least once: `properties.messageId` is the event id,
 * the key to dedupe on when processing is not idempotent.
 */
export async function startConsumer(
  settings: ExchangeSettings & { queue: string; patterns: string[] },
  handle: (event: CanonicalEvent, routingKey: string) => Promise<void> | void,
) {
  const connection = await amqp.connect(settings.url);
  const channel = await connection.createChannel();
  await channel.assertExchange(settings.exchange, 'topic', { durable: true });
  await channel.assertQueue(settings.queue, { durable: true });
  for (const pattern of settings.patterns) await channel.bindQueue(settings.queue, settings.exchange, pattern);
  await channel.prefetch(16);
  await channel.consume(settings.queue, (message) => {
    if (!message) return;
    void (async () => {
      try {
        // The queue is a trust boundary: validate before use.
        const event = eventSchema.parse(JSON.parse(message.content.toString('utf8'))) as CanonicalEvent;
        await handle(event, message.fields.routingKey);
        channel.ack(message);
      } catch {
        // Not requeued: a message that failed validation or handling goes to the queue's
        // dead-letter exchange when one is configured (x-dead-letter-exchange), else it is dropped.
        channel.nack(message, false, false);
      }
    })();
  });
  return { close: () => connection.close() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const settings = { url: process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', exchange: 'whatsapp' };
  await startConsumer({ ...settings, queue: 'whatsapp-statuses', patterns: ['status.*'] }, (event, key) => console.log(key, event.id));
  const receiver = await startReceiver(settings);
  console.log(`receiving on ${receiver.url}, consuming status.* from ${settings.exchange}`);
}
