/**
 * `rabbitmqSink`: publish each event to a RabbitMQ exchange over AMQP 0-9-1 (amqplib, an
 * optional peer imported lazily), persistent, with publisher confirms: a batch is delivered only
 * once the broker confirmed every one of its messages.
 *
 * @packageDocumentation
 */
import type { Channel, ChannelModel, ConfirmChannel, Message } from 'amqplib';
import type { CanonicalEvent } from '../event/types.js';
import { ConfigError } from '../errors.js';
import { importOptionalPeer } from '../internal/optional-peer.js';
import { describeError } from './attempt.js';
import { cloudEventAmqpProperties, cloudEventType, toCloudEvent, type SinkFormatOptions } from './cloudevents.js';
import { PartialBatchError, SinkError } from './errors.js';
import { eventRoute } from './event-route.js';
import { createFormatter } from './format.js';
import type { Sink } from './types.js';
import { describeValue } from '../internal/describe.js';

/**
 * Options of {@link rabbitmqSink}.
 *
 * @example
 * ```ts
 * const options: RabbitmqSinkOptions = { url: 'amqp://guest:guest@127.0.0.1:5672', exchange: 'whatsapp' };
 * ```
 */
export interface RabbitmqSinkOptions extends SinkFormatOptions {
  /** `amqp://user:pass@host:5672/vhost` (or `amqps://`); amqplib's URL query options apply (`heartbeat`, `frameMax`, …). */
  url: string;
  /** The exchange every event is published to. */
  exchange: string;
  /** Declare the exchange (durable) on every (re)connection. Default `true`; `false` when your topology is declared elsewhere. */
  assertExchange?: boolean;
  /** Exchange type used when declaring. Default `topic`, which the routing keys are designed for. */
  exchangeType?: 'topic' | 'direct' | 'fanout' | 'headers';
  /** The routing key of an event. Default its route: `status.delivered`, `message.text`, `notification.account_update`, … */
  routingKey?: (event: CanonicalEvent) => string;
  /**
   * Publish with AMQP `mandatory`: a message no queue is bound for comes back (`basic.return`) and
   * its event is dead-lettered as `non_retryable`, instead of being dropped by the broker. Default `false`.
   */
  mandatory?: boolean;
  /** Socket options for amqplib's `connect` (TLS certificates, `timeout`, …). */
  socketOptions?: Record<string, unknown>;
  name?: string;
}

/** AMQP reply codes meaning "retrying cannot help": access refused, not found, precondition failed. */
const PERMANENT_REPLY = /\b(?:403 \(ACCESS-REFUSED\)|404 \(NOT-FOUND\)|406 \(PRECONDITION-FAILED\))/;

function permanent(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  return (typeof e?.code === 'number' && [403, 404, 406].includes(e.code)) || PERMANENT_REPLY.test(describeValue(e?.message ?? ''));
}

/** One open connection and its confirm channel; `closed` settles (with the reason) when either closes. */
interface Link {
  connection: ChannelModel;
  channel: ConfirmChannel;
  closed: Promise<Error>;
  isClosed: boolean;
  /** Message ids returned unroutable (`mandatory`), consumed when their confirm arrives. */
  returned: Set<string>;
  /** Why the broker closed the channel (a 404 for a missing exchange, …), once it did. */
  error?: Error;
}

type Outcome = 'ok' | 'returned' | Error;

let amqplibModule: Promise<typeof import('amqplib')> | undefined;

/** Resolves on the channel's `drain`, or as soon as the link closes. */
function drained(link: Link): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      link.channel.off('drain', done);
      resolve();
    };
    link.channel.on('drain', done);
    void link.closed.then(done);
  });
}

/**
 * Publishes each event as one persistent message (`deliveryMode` 2) on a confirm channel, and
 * resolves once the broker confirmed them all. Message properties: `messageId` = event id (dedupe
 * downstream by it), `type` = the CloudEvents type (`com.bluetick.status.read`), `timestamp` =
 * `occurredAt` (Unix seconds), `appId` `bluetick`, `contentType` `application/json` (or
 * `application/cloudevents+json; charset=utf-8`, with `cloudEvents_*` headers, in CloudEvents format).
 *
 * Routing keys are routes (`status.delivered`, `status.failed`, `message.text`, `message.interactive`,
 * `error`, `notification.<topic>`), so a topic exchange binds `status.*`, `message.#` or `#`.
 *
 * Failures: a nacked message, or one whose confirm never came because the connection or channel
 * closed, is retried (only that event, via `PartialBatchError`); an unroutable message with
 * `mandatory` is dead-lettered. After a connection or channel loss the next attempt reconnects
 * (and re-declares the exchange), so a broker restart costs retries, not events.
 *
 * @example
 * ```ts
 * import { rabbitmqSink } from 'bluetick/sinks/rabbitmq';
 * createDispatcher({ sinks: [rabbitmqSink({ url: process.env.AMQP_URL!, exchange: 'whatsapp' })] });
 * ```
 */
export function rabbitmqSink(options: RabbitmqSinkOptions): Sink {
  if (typeof options.url !== 'string' || options.url.length === 0) throw new ConfigError('invalid_option', 'rabbitmqSink: url is required');
  if (typeof options.exchange !== 'string') throw new ConfigError('invalid_option', 'rabbitmqSink: exchange is required');
  const formatter = createFormatter(options, 'rabbitmqSink');
  const routingKey = options.routingKey ?? eventRoute;
  const exchangeType = options.exchangeType ?? 'topic';
  const name = options.name ?? `rabbitmq:${options.exchange || '(default)'}`;
  let link: Link | undefined;
  let opening: Promise<Link> | undefined;
  let closing = false;

  const open = async (): Promise<Link> => {
    amqplibModule ??= importOptionalPeer('bluetick/sinks/rabbitmq', 'amqplib', () => import('amqplib'));
    const amqp = await amqplibModule;
    const connect = amqp.connect ?? (amqp as unknown as { default: typeof amqp }).default.connect;
    let connection: ChannelModel | undefined;
    try {
      connection = await connect(options.url, options.socketOptions);
      const channel = await connection.createConfirmChannel();
      let markClosed!: (reason: Error) => void;
      const next: Link = { connection, channel, isClosed: false, returned: new Set(), closed: new Promise<Error>((r) => (markClosed = r)) };
      const onClose = (reason?: Error) => {
        if (next.isClosed) return;
        next.isClosed = true;
        if (link === next) link = undefined;
        markClosed(reason ?? new Error('AMQP connection closed'));
        // The channel may close alone (a channel error); drop the connection with it.
        connection?.close().catch(() => {});
      };
      // 'error' is always followed by 'close'; a listener keeps Node from throwing it, and the
      // error (a 404 for a missing exchange, …) becomes the reason unconfirmed messages failed.
      connection.on('error', () => {});
      connection.on('close', onClose);
      (channel as Channel).on('error', (error: Error) => (next.error = error));
      channel.on('close', () => onClose(next.error ?? new Error('AMQP channel closed')));
      channel.on('return', (message: Message) => {
        const id = message.properties.messageId as string | undefined;
        if (id !== undefined) next.returned.add(id);
      });
      if (options.assertExchange !== false && options.exchange !== '') {
        await channel.assertExchange(options.exchange, exchangeType, { durable: true });
      }
      return next;
    } catch (error) {
      connection?.close().catch(() => {});
      throw new SinkError('amqp_connect_failed', `rabbitmq sink: cannot open ${options.exchange} on the broker: ${describeError(error)}`, {
        retryable: !permanent(error),
        cause: error,
      });
    }
  };

  const getLink = async (): Promise<Link> => {
    if (link && !link.isClosed) return link;
    opening ??= open().finally(() => (opening = undefined));
    link = await opening;
    return link;
  };

  const publishOne = (target: Link, event: CanonicalEvent, traceHeaders: Readonly<Record<string, string>> | undefined): { written: boolean; outcome: Promise<Outcome> } => {
    const body = Buffer.from(formatter.serialize(event), 'utf8');
    const occurred = Date.parse(event.occurredAt);
    const ceHeaders = formatter.format === 'cloudevents' ? cloudEventAmqpProperties(toCloudEvent(event, options.cloudEvents)) : undefined;
    // The delivery span's traceparent, beside the CloudEvents headers when there are some.
    const headers = traceHeaders === undefined ? ceHeaders : { ...ceHeaders, ...traceHeaders };
    const properties = {
      persistent: true,
      mandatory: options.mandatory === true,
      messageId: event.id,
      type: cloudEventType(event),
      appId: 'bluetick',
      contentType: formatter.contentType,
      ...(Number.isFinite(occurred) ? { timestamp: Math.floor(occurred / 1000) } : {}),
      ...(headers === undefined ? {} : { headers }),
    };
    let settle!: (outcome: Outcome) => void;
    const confirmed = new Promise<Outcome>((resolve) => (settle = resolve));
    const written = target.channel.publish(options.exchange, routingKey(event), body, properties, (error: unknown) => {
      // A return precedes its ack: by now `returned` knows whether the message was routed.
      // amqplib fails unconfirmed messages with a bare "channel closed": prefer the broker's reason.
      if (error) settle(target.error ?? (error instanceof Error ? error : new Error('the broker nacked the message')));
      else settle(target.returned.delete(event.id) ? 'returned' : 'ok');
    });
    // Confirms of a closed channel may never be called back (older amqplib): the close decides.
    return { written, outcome: Promise.race([confirmed, target.closed]) };
  };

  return {
    name,
    async write(batch, context) {
      if (closing) throw new SinkError('sink_closed', `${name}: the sink is closed`, { retryable: false });
      if (batch.length === 0) return;
      const target = await getLink();
      const outcomes: Array<Promise<Outcome>> = [];
      const aborted = new Promise<Error>((resolve) => {
        if (context.signal.aborted) resolve(new Error('write aborted'));
        else context.signal.addEventListener('abort', () => resolve(new Error('write aborted')), { once: true });
      });
      for (const event of batch) {
        const key = routingKey(event);
        if (Buffer.byteLength(key) > 255) {
          outcomes.push(Promise.resolve(new SinkError('amqp_bad_routing_key', `routing key over 255 bytes: ${key.slice(0, 40)}…`, { retryable: false })));
          continue;
        }
        if (target.isClosed || context.signal.aborted) {
          outcomes.push(Promise.resolve(new Error('not published: the channel closed or the attempt was aborted')));
          continue;
        }
        try {
          const { written, outcome } = publishOne(target, event, context.trace?.headers);
          outcomes.push(Promise.race([outcome, aborted]));
          // Backpressure: wait for the socket buffer to drain before publishing more.
          if (!written) await Promise.race([drained(target), aborted]);
        } catch (error) {
          // publish() throws synchronously on a channel that has just closed.
          outcomes.push(Promise.resolve(error instanceof Error ? error : new Error(describeValue(error))));
        }
      }
      const results = await Promise.all(outcomes);
      const failed: CanonicalEvent[] = [];
      const rejected: CanonicalEvent[] = [];
      const reasons: string[] = [];
      results.forEach((result, i) => {
        if (result === 'ok') return;
        const event = batch[i] as CanonicalEvent;
        if (result === 'returned') {
          rejected.push(event);
          if (reasons.length < 3) reasons.push(`${event.id} unroutable (no queue bound for ${routingKey(event)})`);
          return;
        }
        // A broker refusal such as 404 (no such exchange) will be refused again: dead-letter it.
        ((result instanceof SinkError && !result.retryable) || permanent(result) ? rejected : failed).push(event);
        if (reasons.length < 3) reasons.push(describeError(result));
      });
      if (failed.length === 0 && rejected.length === 0) return;
      if (failed.length === batch.length) {
        throw new SinkError('amqp_failed', `rabbitmq sink: none of ${batch.length} message(s) confirmed: ${reasons[0] ?? ''}`, { retryable: true });
      }
      throw new PartialBatchError({ failed, rejected, message: `rabbitmq sink: ${failed.length} unconfirmed, ${rejected.length} rejected: ${reasons.join('; ')}` });
    },
    async close() {
      closing = true;
      const current = link ?? (await opening?.catch(() => undefined));
      link = undefined;
      if (!current || current.isClosed) return;
      await current.connection.close().catch(() => {});
    },
  };
}
