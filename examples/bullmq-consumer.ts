/**
 * Queue the events, process them elsewhere: the receiver acknowledges webhooks as soon as the
 * tracker stored them and hands every accepted event to the BullMQ sink (job id = event id, so
 * BullMQ itself drops re-deliveries); a worker process consumes the queue and validates each
 * job with `eventSchema` before trusting it.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 META_APP_SECRET=… node --import tsx examples/bullmq-consumer.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker, type ConnectionOptions } from 'bullmq';
import { createTracker, eventSchema, type CanonicalEvent } from 'bluetick';
import { createNodeListener } from 'bluetick/node';
import { bullmqSink } from 'bluetick/sinks/bullmq';

/** Where the queue lives. */
export interface QueueSettings {
  queueName: string;
  connection: ConnectionOptions;
}

/** The receiving side: webhooks in, events onto the queue. */
export async function startReceiver(queue: QueueSettings, appSecret = process.env.META_APP_SECRET ?? '') {
  const tracker = createTracker({ sinks: [bullmqSink({ ...queue, jobOptions: { removeOnComplete: 1000, attempts: 5 } })] });
  const server = createServer(createNodeListener({ cloud: { appSecret }, tracker }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tracker.close(); // flushes the sink: queued events are written before it resolves
    },
  };
}

/** The consuming side: one job per canonical event. */
export function startConsumer(queue: QueueSettings, handle: (event: CanonicalEvent) => Promise<void> | void): Worker {
  return new Worker(
    queue.queueName,
    async (job) => {
      // The queue is a trust boundary: validate before use (throws, and BullMQ retries/fails the job).
      const event = eventSchema.parse(job.data) as CanonicalEvent;
      await handle(event);
    },
    { connection: queue.connection, concurrency: 4 },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const queue = { queueName: 'whatsapp-events', connection: { host: url.hostname, port: Number(url.port || 6379) } };
  startConsumer(queue, (event) => console.log(event.kind, event.id));
  const receiver = await startReceiver(queue);
  console.log(`receiving on ${receiver.url}, consuming ${queue.queueName}`);
}
