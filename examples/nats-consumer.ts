/**
 * WhatsApp events as CloudEvents on NATS JetStream: the receiver publishes every accepted event
 * to `whatsapp.<route>` (`whatsapp.status.read`, `whatsapp.message.text`, …) with the event id as
 * `Nats-Msg-Id`, so the stream stores a re-sent event once; a durable consumer reads the
 * structured CloudEvents and validates their `data` with `eventSchema`.
 *
 *   NATS_URL=127.0.0.1:4222 META_APP_SECRET=… node --import tsx examples/nats-consumer.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AckPolicy, connect, type NatsConnection } from 'nats';
import { createTracker, eventSchema, type CanonicalEvent } from 'bluetick';
import type { CloudEvent } from 'bluetick/cloudevents';
import { createNodeListener } from 'bluetick/node';
import { natsSink } from 'bluetick/sinks/nats';

/** Where the events go: a server, a stream and the subject prefix it captures. */
export interface StreamSettings {
  servers: string;
  stream: string;
  subjectPrefix: string;
}

/** Creates the stream once (idempotent): it captures `<prefix>.>` and dedupes by Nats-Msg-Id for 2 minutes. */
export async function ensureStream(nc: NatsConnection, settings: StreamSettings): Promise<void> {
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: settings.stream, subjects: [`${settings.subjectPrefix}.>`], duplicate_window: 120 * 1_000_000_000 });
}

/** The receiving side: webhooks in, CloudEvents onto the stream. */
export async function startReceiver(settings: StreamSettings, appSecret = process.env.META_APP_SECRET ?? '') {
  const sink = natsSink({ servers: settings.servers, subjectPrefix: settings.subjectPrefix, stream: settings.stream, format: 'cloudevents' });
  const tracker = createTracker({ sinks: [sink] });
  const server = createServer(createNodeListener({ cloud: { appSecret }, tracker }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await tracker.close(); // flushes the sink: every event is acknowledged by JetStream before it resolves
    },
  };
}

/** The consuming side: a durable consumer, one CloudEvent per message, acknowledged once handled. */
export async function startConsumer(
  settings: StreamSettings & { durable: string },
  handle: (event: CanonicalEvent, type: string) => Promise<void> | void,
) {
  const nc = await connect({ servers: settings.servers });
  await ensureStream(nc, settings);
  const jsm = await nc.jetstreamManager();
  await jsm.consumers.add(settings.stream, { durable_name: settings.durable, ack_policy: AckPolicy.Explicit });
  const consumer = await nc.jetstream().consumers.get(settings.stream, settings.durable);
  const messages = await consumer.consume();
  void (async () => {
    for await (const message of messages) {
      try {
        const ce = message.json<CloudEvent<unknown>>();
        // The stream is a trust boundary: validate the event before use.
        const event = eventSchema.parse(ce.data) as CanonicalEvent;
        await handle(event, ce.type);
        message.ack();
      } catch {
        message.term(); // never redelivered: it would fail the same way
      }
    }
  })();
  return {
    close: async () => {
      await messages.close();
      await nc.drain();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const settings = { servers: process.env.NATS_URL ?? '127.0.0.1:4222', stream: 'WHATSAPP', subjectPrefix: 'whatsapp' };
  await startConsumer({ ...settings, durable: 'worker' }, (event, type) => console.log(type, event.id));
  const receiver = await startReceiver(settings);
  console.log(`receiving on ${receiver.url}, consuming ${settings.subjectPrefix}.> from ${settings.stream}`);
}
