/**
 * `natsSink`: publish each event to NATS JetStream (the `nats` package, an optional peer imported
 * lazily) with `Nats-Msg-Id` = event id, so the stream drops re-deliveries inside its duplicate
 * window; a batch is delivered once JetStream acknowledged every message.
 *
 * @packageDocumentation
 */
import type { JetStreamClient, NatsConnection, PubAck } from 'nats';
import type { CanonicalEvent } from '../event/types.js';
import { ConfigError } from '../errors.js';
import { importOptionalPeer } from '../internal/optional-peer.js';
import { describeError } from './attempt.js';
import type { SinkFormatOptions } from './cloudevents.js';
import { PartialBatchError, SinkError } from './errors.js';
import { eventRoute } from './event-route.js';
import { createFormatter } from './format.js';
import { mapLimit } from './map-limit.js';
import type { Sink } from './types.js';
import { describeValue } from '../internal/describe.js';

/**
 * The part of a `NatsConnection` (from `connect()` of the `nats` package) the sink uses. Declared
 * here so bluetick's types do not pull in the peer's declarations.
 *
 * @example
 * ```ts
 * import { connect } from 'nats';
 * const connection: NatsConnectionLike = await connect({ servers: '127.0.0.1:4222' });
 * ```
 */
export interface NatsConnectionLike {
  jetstream(...args: never[]): unknown;
  isClosed(): boolean;
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Options of {@link natsSink}: your own `connection` (left open by `close()`), or `servers` (the
 * sink connects on the first write, lets the client reconnect, and drains the connection on `close()`).
 *
 * @example
 * ```ts
 * const options: NatsSinkOptions = { servers: '127.0.0.1:4222', subjectPrefix: 'whatsapp' };
 * ```
 */
export type NatsSinkOptions = SinkFormatOptions & {
  /** Subjects are `<subjectPrefix>.<route>`: `bluetick.status.delivered`, `bluetick.message.text`, … Default `bluetick`. */
  subjectPrefix?: string;
  /** The subject of an event, replacing `<subjectPrefix>.<route>`. */
  subject?: (event: CanonicalEvent) => string;
  /** When set, JetStream refuses (non-retryably) messages that a different stream would capture. */
  stream?: string;
  /** How long to wait for each JetStream ack. Default 5 s. */
  ackTimeoutMs?: number;
  /** Messages awaiting their ack at once. Default 256. */
  maxInFlight?: number;
  name?: string;
} & (
    | { connection: NatsConnectionLike }
    | {
        servers: string | string[];
        /** Other `ConnectionOptions` of the `nats` package (`user`, `pass`, `token`, `tls`, `reconnectTimeWait`, …). */
        connectOptions?: object;
      }
  );

/** JetStream API errors retrying cannot fix: wrong expected stream, message too large for the stream. */
const PERMANENT_API_CODES = new Set([10060, 10054]);
const PERMANENT_CLIENT_CODES = new Set(['MAX_PAYLOAD_EXCEEDED', 'BAD_SUBJECT', 'BAD_HEADER', 'PERMISSIONS_VIOLATION', 'AUTHORIZATION_VIOLATION']);

function retryable(error: unknown): boolean {
  const e = error as { code?: unknown; api_error?: { err_code?: number } } | null;
  if (e?.api_error?.err_code !== undefined && PERMANENT_API_CODES.has(e.api_error.err_code)) return false;
  return !(typeof e?.code === 'string' && PERMANENT_CLIENT_CODES.has(e.code));
}

let natsModule: Promise<typeof import('nats')> | undefined;
const loadNats = async (): Promise<typeof import('nats')> => {
  natsModule ??= importOptionalPeer('bluetick/sinks/nats', 'nats', () => import('nats'));
  const mod = await natsModule;
  return typeof mod.connect === 'function' ? mod : (mod as unknown as { default: typeof mod }).default;
};

/**
 * Publishes each event to JetStream and awaits every `PubAck`. The message id (`Nats-Msg-Id`
 * header) is the event id: a batch retried after a lost ack, or a webhook the provider sent twice,
 * is stored once while inside the stream's `duplicate_window` (default 2 minutes; the ack then says
 * `duplicate`, which counts as delivered). Headers: `Nats-Msg-Id` and `Content-Type`
 * (`application/json`, or `application/cloudevents+json; charset=utf-8` in CloudEvents format:
 * the NATS binding's structured mode). A stream must capture the subjects (`bluetick.>` by
 * default); without one, publishes fail retryably until it exists.
 *
 * Only the events whose publish failed (no ack in time, connection lost) are retried; a permanent
 * JetStream refusal dead-letters just that event.
 *
 * @example
 * ```ts
 * import { natsSink } from 'bluetick/sinks/nats';
 * createDispatcher({ sinks: [natsSink({ servers: process.env.NATS_URL!, subjectPrefix: 'whatsapp' })] });
 * ```
 */
export function natsSink(options: NatsSinkOptions): Sink {
  const formatter = createFormatter(options, 'natsSink');
  const prefix = options.subjectPrefix ?? 'bluetick';
  if (!/^[^\s*>]+$/.test(prefix)) throw new ConfigError('invalid_option', `natsSink: subjectPrefix ${JSON.stringify(prefix)} is not a valid subject prefix`);
  const subjectOf = options.subject ?? ((event: CanonicalEvent) => `${prefix}.${eventRoute(event)}`);
  const ackTimeoutMs = options.ackTimeoutMs ?? 5000;
  const maxInFlight = options.maxInFlight ?? 256;
  const owned = !('connection' in options);
  let connection = 'connection' in options ? (options.connection as NatsConnection) : undefined;
  let jetstream: JetStreamClient | undefined;
  let opening: Promise<NatsConnection> | undefined;
  let closing = false;
  const encoder = new TextEncoder();

  const getJetStream = async (): Promise<{ js: JetStreamClient; nats: typeof import('nats') }> => {
    const nats = await loadNats();
    if (connection && connection.isClosed() && owned) connection = undefined; // reconnect attempts ran out: start anew
    if (!connection) {
      if (!('servers' in options)) throw new Error('unreachable');
      const { servers, connectOptions } = options;
      opening ??= nats
        .connect({ ...connectOptions, servers })
        .catch((error: unknown) => {
          throw new SinkError('nats_connect_failed', `nats sink: cannot connect to ${String(servers)}: ${describeError(error)}`, { retryable: true, cause: error });
        })
        .finally(() => (opening = undefined));
      connection = await opening;
      jetstream = undefined;
    }
    jetstream ??= connection.jetstream();
    return { js: jetstream, nats };
  };

  return {
    name: options.name ?? `nats:${options.subject ? 'custom' : `${prefix}.>`}`,
    async write(batch, context) {
      if (closing) throw new SinkError('sink_closed', 'nats sink: the sink is closed', { retryable: false });
      if (batch.length === 0) return;
      const { js, nats } = await getJetStream();
      const results = await mapLimit(batch, maxInFlight, async (event): Promise<PubAck | Error> => {
        if (context.signal.aborted) return new Error('not published: the attempt was aborted');
        const headers = nats.headers();
        headers.set('Content-Type', formatter.contentType);
        if (context.trace !== undefined) for (const [key, value] of Object.entries(context.trace.headers)) headers.set(key, value);
        try {
          return await js.publish(subjectOf(event), encoder.encode(formatter.serialize(event)), {
            msgID: event.id,
            timeout: ackTimeoutMs,
            headers,
            ...(options.stream ? { expect: { streamName: options.stream } } : {}),
          });
        } catch (error) {
          return error instanceof Error ? error : new Error(describeValue(error));
        }
      });
      const failed: CanonicalEvent[] = [];
      const rejected: CanonicalEvent[] = [];
      const reasons: string[] = [];
      results.forEach((result, i) => {
        if (!(result instanceof Error)) return;
        (retryable(result) ? failed : rejected).push(batch[i] as CanonicalEvent);
        if (reasons.length < 3) reasons.push(describeError(result));
      });
      if (failed.length === 0 && rejected.length === 0) return;
      if (failed.length === batch.length) {
        throw new SinkError('nats_failed', `nats sink: none of ${batch.length} message(s) acknowledged: ${reasons[0] ?? ''}`, { retryable: true });
      }
      throw new PartialBatchError({ failed, rejected, message: `nats sink: ${failed.length} unacknowledged, ${rejected.length} rejected: ${reasons.join('; ')}` });
    },
    async close() {
      closing = true;
      const current = connection ?? (await opening?.catch(() => undefined));
      if (owned && current && !current.isClosed()) await current.drain().catch(() => current.close());
    },
  };
}
