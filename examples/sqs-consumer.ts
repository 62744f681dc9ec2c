/**
 * WhatsApp events through an Amazon SQS FIFO queue: the receiver sends every accepted event with
 * `SendMessageBatch` (deduplication id = event id, group id = message id, so each message's
 * statuses stay in order); a worker long-polls the queue, validates each body with `eventSchema`,
 * and deletes what it handled. What it could not handle reappears after the visibility timeout.
 *
 *   QUEUE_URL=https://sqs.eu-west-1.amazonaws.com/123456789012/whatsapp.fifo META_APP_SECRET=… node --import tsx examples/sqs-consumer.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createTracker, eventSchema, type CanonicalEvent } from 'bluetick';
import { createNodeListener } from 'bluetick/node';
import { sqsSink } from 'bluetick/sinks/sqs';

/** Where the events go. */
export interface QueueSettings {
  client: SQSClient;
  queueUrl: string;
}

/** The receiving side: webhooks in, events onto the queue. */
export async function startReceiver(settings: QueueSettings, appSecret = process.env.META_APP_SECRET ?? '') {
  const tracker = createTracker({ sinks: [sqsSink({ client: settings.client, queueUrl: settings.queueUrl })] });
  const server = createServer(createNodeListener({ cloud: { appSecret }, tracker }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tracker.close(); // flushes the sink: every event is accepted by SQS before it resolves
    },
  };
}

/** The consuming side: a long-polling loop; `stop()` ends it after the current poll. */
export function startConsumer(
  settings: QueueSettings & { waitTimeSeconds?: number },
  handle: (event: CanonicalEvent) => Promise<void> | void,
) {
  let running = true;
  const loop = (async () => {
    while (running) {
      const { Messages = [] } = await settings.client.send(
        new ReceiveMessageCommand({ QueueUrl: settings.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: settings.waitTimeSeconds ?? 20 }),
      );
      const done: { Id: string; ReceiptHandle: string }[] = [];
      for (const [i, message] of Messages.entries()) {
        try {
          // The queue is a trust boundary: validate before use.
          const event = eventSchema.parse(JSON.parse(message.Body ?? '')) as CanonicalEvent;
          await handle(event);
          done.push({ Id: String(i), ReceiptHandle: message.ReceiptHandle as string });
        } catch (error) {
          // Left in the queue: SQS delivers it again after the visibility timeout, and moves it to
          // the queue's dead-letter queue after maxReceiveCount attempts (redrive policy).
          console.error('sqs consumer:', error);
        }
      }
      if (done.length > 0) await settings.client.send(new DeleteMessageBatchCommand({ QueueUrl: settings.queueUrl, Entries: done }));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const settings = { client: new SQSClient({}), queueUrl: process.env.QUEUE_URL ?? '' };
  startConsumer(settings, (event) => console.log(event.kind, event.id));
  const receiver = await startReceiver(settings);
  console.log(`receiving on ${receiver.url}, consuming ${settings.queueUrl}`);
}
