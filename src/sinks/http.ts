/**
 * `httpSink`: POST events to a URL, signed per Standard Webhooks so any receiver library can
 * verify them; as bluetick's JSON batches or as CloudEvents (structured, binary or batched mode).
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import type { CanonicalEvent } from '../event/types.js';
import { contentHash } from '../event/ids.js';
import { ConfigError } from '../errors.js';
import { CLOUDEVENTS_BATCH_JSON, cloudEventHttpHeaders, toCloudEvent, type SinkFormatOptions } from './cloudevents.js';
import { PartialBatchError, SinkError } from './errors.js';
import { createFormatter } from './format.js';
import { mapLimit } from './map-limit.js';
import { HTTP_SINK_SIGNATURE_HEADER, HTTP_SINK_TIMESTAMP_HEADER, signHttpSinkPayload } from './http-signature.js';
import { signStandardWebhook, WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER, webhookSecretKey } from './standard-webhooks.js';
import type { Sink, WriteContext } from './types.js';
import { describeValue } from '../internal/describe.js';

/**
 * How `format: 'cloudevents'` travels over HTTP (CloudEvents HTTP binding):
 * - `structured` (default): one request per event, body the CloudEvent, `content-type: application/cloudevents+json`;
 * - `binary`: one request per event, attributes as `ce-*` headers, body the canonical event (`application/json`);
 * - `batched`: one request per batch, body a JSON array of CloudEvents (`application/cloudevents-batch+json`).
 *   The binding allows batches only when the receiver asked for them: choose it when yours does.
 *
 * @example
 * ```ts
 * const mode: CloudEventsHttpMode = 'binary';
 * ```
 */
export type CloudEventsHttpMode = 'structured' | 'binary' | 'batched';

/**
 * Options of {@link httpSink}.
 *
 * @example
 * ```ts
 * const options: HttpSinkOptions = { url: 'https://hooks.example.com/wa', secret: process.env.SINK_SECRET, timeoutMs: 5000 };
 * ```
 */
export interface HttpSinkOptions extends SinkFormatOptions {
  url: string | URL;
  /**
   * Standard Webhooks signing secret, `whsec_<base64>` (see `generateWebhookSecret`); several
   * while rotating, and every request then carries one `v1,…` signature per secret.
   */
  secret?: string | readonly string[];
  /**
   * @deprecated Sends bluetick's former `x-bluetick-signature` / `x-bluetick-timestamp` headers,
   * signed with this (plain) secret, beside or instead of the Standard Webhooks ones. Kept for one
   * minor version so receivers can move to `verifyStandardWebhook`; removed after that.
   */
  legacySignature?: { secret: string };
  /** How CloudEvents travel (`format: 'cloudevents'` only). Default `structured`. */
  cloudEventsMode?: CloudEventsHttpMode;
  /** Requests in flight at once when each event is its own request (structured and binary modes). Default 8. */
  concurrency?: number;
  headers?: Record<string, string>;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** A `fetch` implementation (undici with a custom agent, a test double). Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /**
   * The sink's name, which names its share of the store's outbox. Default `http:<host[:port]>` of
   * `url`: moving the endpoint to another host then leaves the records not yet delivered under
   * the old name, so give a stable name in production.
   */
  name?: string;
}

/** 408, 425, 429 and every 5xx are worth retrying; every other 4xx is the sender's fault. */
function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 425 || status === 429;
}

/** A stable message id for these events: the same events retried keep it, and it holds no `.`. */
function webhookId(events: readonly CanonicalEvent[]): string {
  return `msg_${createHash('sha256').update(events.map((e) => e.id).join('\n')).digest('hex').slice(0, 32)}`;
}

interface Request {
  events: CanonicalEvent[];
  body: string;
  headers: Record<string, string>;
}

/**
 * POSTs events to `url`. What a request carries depends on `format`:
 *
 * - `canonical` (default): one request per batch, `{"events":[…]}` as `application/json`;
 * - `cloudevents`: CloudEvents 1.0 per `cloudEventsMode` (see {@link CloudEventsHttpMode}).
 *
 * Every request has `webhook-id` (stable across retries of the same events: use it to dedupe),
 * `webhook-timestamp` (this attempt, Unix seconds) and `idempotency-key`; with a `secret`, a
 * Standard Webhooks `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. 2xx
 * delivers; 5xx, 408, 425, 429 and network errors are retryable; any other status is not. When
 * each event is its own request, only the events whose request failed are retried.
 *
 * @example
 * ```ts
 * createDispatcher({ sinks: [httpSink({ url: 'https://hooks.example.com/wa', secret: process.env.SINK_SECRET })] });
 * createDispatcher({ sinks: [httpSink({ url, secret, format: 'cloudevents', cloudEventsMode: 'binary' })] });
 * ```
 */
export function httpSink(options: HttpSinkOptions): Sink {
  const url = String(options.url);
  const name = options.name ?? `http:${new URL(url).host}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const concurrency = options.concurrency ?? 8;
  const formatter = createFormatter(options, 'httpSink');
  if (options.secret !== undefined) for (const s of typeof options.secret === 'string' ? [options.secret] : options.secret) webhookSecretKey(s);
  if (options.legacySignature !== undefined && !options.legacySignature.secret) {
    throw new ConfigError('invalid_option', 'httpSink: legacySignature.secret must be a non-empty string');
  }
  if (options.cloudEventsMode !== undefined && formatter.format !== 'cloudevents') {
    throw new ConfigError('invalid_option', "httpSink: cloudEventsMode needs format: 'cloudevents'");
  }
  const mode = options.cloudEventsMode ?? 'structured';
  if (!['structured', 'binary', 'batched'].includes(mode)) throw new ConfigError('invalid_option', `httpSink: unknown cloudEventsMode ${JSON.stringify(mode)}`);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError('invalid_option', 'httpSink: concurrency must be a positive integer');
  const ceOptions = options.cloudEvents ?? {};

  const build = (events: CanonicalEvent[]): Request => {
    let body: string;
    let typeHeaders: Record<string, string>;
    if (formatter.format === 'canonical') {
      body = JSON.stringify({ events });
      typeHeaders = { 'content-type': 'application/json' };
    } else if (mode === 'batched') {
      body = JSON.stringify(events.map((e) => toCloudEvent(e, ceOptions)));
      typeHeaders = { 'content-type': CLOUDEVENTS_BATCH_JSON };
    } else if (mode === 'binary') {
      const event = events[0] as CanonicalEvent;
      body = JSON.stringify(event);
      typeHeaders = cloudEventHttpHeaders(toCloudEvent(event, ceOptions));
    } else {
      body = formatter.serialize(events[0] as CanonicalEvent);
      typeHeaders = { 'content-type': formatter.contentType };
    }
    return {
      events,
      body,
      headers: { ...options.headers, ...typeHeaders, 'idempotency-key': contentHash(events.map((e) => e.id).join('\n')), [WEBHOOK_ID_HEADER]: webhookId(events) },
    };
  };

  const post = async (request: Request, context: WriteContext): Promise<void> => {
    const doFetch = options.fetch ?? globalThis.fetch;
    // Signed per attempt: the timestamp is this attempt's, as the specification asks.
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { ...request.headers, [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp) };
    if (options.secret !== undefined) {
      headers[WEBHOOK_SIGNATURE_HEADER] = signStandardWebhook({ id: headers[WEBHOOK_ID_HEADER] as string, timestamp, body: request.body, secret: options.secret });
    }
    if (options.legacySignature) {
      headers[HTTP_SINK_TIMESTAMP_HEADER] = String(timestamp);
      headers[HTTP_SINK_SIGNATURE_HEADER] = signHttpSinkPayload(request.body, timestamp, options.legacySignature.secret);
    }
    // The delivery span's traceparent, when the dispatcher is traced.
    if (context.trace !== undefined) Object.assign(headers, context.trace.headers);
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timeoutMs)]);
    let response: Response;
    try {
      response = await doFetch(url, { method: 'POST', headers, body: request.body, signal });
    } catch (error) {
      throw new SinkError('http_network', `http sink: POST ${url} failed: ${typeof (error as { message?: unknown } | null)?.message === 'string' ? (error as Error).message : describeValue(error)}`, { retryable: true, cause: error });
    }
    // Read the body so the connection goes back to the pool; its text also helps the error.
    const text = await response.text().catch(() => '');
    context.trace?.setAttribute('http.response.status_code', response.status);
    if (response.ok) return;
    throw new SinkError(`http_${response.status}`, `http sink: POST ${url} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, {
      retryable: retryableStatus(response.status),
    });
  };

  return {
    name,
    async write(batch, context) {
      if (batch.length === 0) return;
      if (formatter.format === 'canonical' || mode === 'batched') return post(build(batch), context);
      // One request per event: collect each outcome, so only the events that failed are retried.
      const errors = await mapLimit(batch, concurrency, (event) => post(build([event]), context).then(
        () => undefined,
        (error: unknown) => error,
      ));
      const failed: CanonicalEvent[] = [];
      const rejected: CanonicalEvent[] = [];
      const messages: string[] = [];
      errors.forEach((error, i) => {
        if (error === undefined) return;
        const retryable = !(error instanceof SinkError) || error.retryable;
        (retryable ? failed : rejected).push(batch[i] as CanonicalEvent);
        if (messages.length < 3) messages.push((error as Error).message);
      });
      if (failed.length + rejected.length === 0) return;
      if (batch.length === 1) throw errors[0];
      throw new PartialBatchError({ failed, rejected, message: `http sink: ${failed.length} failed, ${rejected.length} rejected of ${batch.length}: ${messages.join('; ')}` });
    },
  };
}

// Receivers of `httpSink` deliveries import the verifiers from the same subpath.
export {
  generateWebhookSecret,
  signStandardWebhook,
  verifyStandardWebhook,
  webhookSecretKey,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './standard-webhooks.js';
export type { HeaderSource, SignStandardWebhookInput, VerifyStandardWebhookInput } from './standard-webhooks.js';
export { HTTP_SINK_SIGNATURE_HEADER, HTTP_SINK_TIMESTAMP_HEADER, signHttpSinkPayload, verifyHttpSinkSignature } from './http-signature.js';
export type { VerifyHttpSinkSignatureInput } from './http-signature.js';
