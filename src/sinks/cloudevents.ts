/**
 * `bluetick/cloudevents`: canonical events as CloudEvents 1.0 (JSON event format), the one
 * formatter every sink's `format: 'cloudevents'` uses, and the attribute mappings of the HTTP
 * (`ce-*` headers) and AMQP (`cloudEvents_*` properties) protocol bindings.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent } from '../event/types.js';
import { ConfigError } from '../errors.js';
import { eventRoute } from './event-route.js';

/** The CloudEvents specification version bluetick emits. */
export const CLOUDEVENTS_SPECVERSION = '1.0';
/** Prefix of every `type` bluetick emits (reverse-DNS, as the specification recommends). */
export const CLOUDEVENTS_TYPE_PREFIX = 'com.bluetick.';
/** Media type of one structured-mode event (JSON event format). */
export const CLOUDEVENTS_JSON = 'application/cloudevents+json; charset=utf-8';
/** Media type of a JSON batch of structured events (HTTP batched mode only). */
export const CLOUDEVENTS_BATCH_JSON = 'application/cloudevents-batch+json; charset=utf-8';

/**
 * A canonical event as a CloudEvent (structured mode, JSON event format). `data` is the
 * canonical event itself, unchanged, so `eventSchema.parse(ce.data)` validates it.
 *
 * @example
 * ```ts
 * const ce: CloudEvent = {
 *   specversion: '1.0', id: 'wamid.X:read:1555', source: 'bluetick://cloud/1234', type: 'com.bluetick.status.read',
 *   time: '2024-05-01T10:00:00.000Z', subject: 'wamid.X', datacontenttype: 'application/json', data: event,
 * };
 * ```
 */
export interface CloudEvent<T = CanonicalEvent> {
  specversion: '1.0';
  /** The event id: the same provider item always gets the same id, so `source` + `id` dedupe. */
  id: string;
  source: string;
  /** `com.bluetick.<route>`: `com.bluetick.status.delivered`, `com.bluetick.message.text`, … */
  type: string;
  /** `occurredAt` of the event (RFC 3339). */
  time: string;
  /** The WhatsApp message id, for message and status events. */
  subject?: string;
  datacontenttype: 'application/json';
  data: T;
}

/**
 * CloudEvents settings of a sink.
 *
 * @example
 * ```ts
 * const options: CloudEventsOptions = { source: (event) => `https://wa.example.com/${event.provider}` };
 * ```
 */
export interface CloudEventsOptions {
  /**
   * The `source` attribute (a URI-reference): a fixed string or a function of the event.
   * Default `bluetick://<provider>/<accountId>` (`bluetick://<provider>` when the account is unknown).
   */
  source?: string | ((event: CanonicalEvent) => string);
}

/**
 * What a sink sends: the canonical event as JSON (default), or a CloudEvent.
 *
 * @example
 * ```ts
 * const format: SinkFormat = 'cloudevents';
 * ```
 */
export type SinkFormat = 'canonical' | 'cloudevents';

/**
 * The format options every built-in sink accepts.
 *
 * @example
 * ```ts
 * const options: SinkFormatOptions = { format: 'cloudevents', cloudEvents: { source: 'https://wa.example.com' } };
 * ```
 */
export interface SinkFormatOptions {
  /** `canonical` (default): the event as JSON. `cloudevents`: a CloudEvents 1.0 structured JSON event. */
  format?: SinkFormat;
  /** Settings for `format: 'cloudevents'`. */
  cloudEvents?: CloudEventsOptions;
}

/**
 * The CloudEvents `type` of an event: `com.bluetick.` + its route (see `eventRoute`).
 *
 * | kind | type |
 * |---|---|
 * | status | `com.bluetick.status.<status>`: `…status.sent`, `…status.delivered`, `…status.read`, `…status.played`, `…status.failed`, `…status.deleted`, `…status.warning`, `…status.unknown` |
 * | message | `com.bluetick.message.<type>`: `…message.text`, `…message.image`, `…message.interactive`, `…message.button`, `…message.reaction`, … |
 * | error | `com.bluetick.error` |
 * | notification | `com.bluetick.notification.<topic>`: `…notification.account_update`, `…notification.session.status`, … |
 *
 * @example
 * ```ts
 * cloudEventType(statusEvent); // 'com.bluetick.status.delivered'
 * ```
 */
export function cloudEventType(event: CanonicalEvent): string {
  return CLOUDEVENTS_TYPE_PREFIX + eventRoute(event);
}

/**
 * The default `source`: `bluetick://<provider>/<accountId>`, or `bluetick://<provider>` without
 * an account. The account id is percent-encoded, so the result is always a valid URI.
 *
 * @example
 * ```ts
 * defaultCloudEventSource(event); // 'bluetick://cloud/102290129340398'
 * ```
 */
export function defaultCloudEventSource(event: CanonicalEvent): string {
  return event.accountId ? `bluetick://${event.provider}/${encodeURIComponent(event.accountId)}` : `bluetick://${event.provider}`;
}

/**
 * Wraps a canonical event as a CloudEvent. `time` is `occurredAt`, `subject` the message id of
 * message and status events (absent otherwise), `data` the event itself.
 *
 * @example
 * ```ts
 * const ce = toCloudEvent(event, { source: 'https://wa.example.com' });
 * ce.type; // 'com.bluetick.message.text'
 * ```
 */
export function toCloudEvent(event: CanonicalEvent, options: CloudEventsOptions = {}): CloudEvent {
  const source = typeof options.source === 'function' ? options.source(event) : options.source ?? defaultCloudEventSource(event);
  if (typeof source !== 'string' || source.length === 0) {
    throw new ConfigError('invalid_option', 'cloudEvents.source must be a non-empty URI-reference');
  }
  const ce: CloudEvent = {
    specversion: CLOUDEVENTS_SPECVERSION,
    id: event.id,
    source,
    type: cloudEventType(event),
    time: event.occurredAt,
    datacontenttype: 'application/json',
    data: event,
  };
  if ((event.kind === 'message' || event.kind === 'status') && event.messageId) ce.subject = event.messageId;
  return ce;
}

/** The context attributes of a CloudEvent as strings (their canonical string forms), `data` excluded. */
function attributes(ce: CloudEvent<unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(ce)) {
    if (name === 'data' || name === 'data_base64' || value === undefined || value === null) continue;
    out.push([name, String(value)]);
  }
  return out;
}

/**
 * Percent-encodes a header value as the HTTP binding (3.1.3.2) requires: space, `"`, `%` and
 * every character outside printable ASCII (U+0021–U+007E) become `%XY` of their UTF-8 bytes.
 *
 * @example
 * ```ts
 * percentEncodeHeaderValue('Euro € 😀'); // 'Euro%20%E2%82%AC%20%F0%9F%98%80'
 * ```
 */
export function percentEncodeHeaderValue(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) as number;
    if (code >= 0x21 && code <= 0x7e && char !== '"' && char !== '%') {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * The HTTP binary-mode headers of a CloudEvent: one `ce-<attribute>` header per context attribute,
 * percent-encoded, and `content-type` from `datacontenttype` (which therefore gets no `ce-` header).
 *
 * @example
 * ```ts
 * cloudEventHttpHeaders(ce); // { 'ce-specversion': '1.0', 'ce-id': '…', 'ce-type': 'com.bluetick.status.read', …, 'content-type': 'application/json' }
 * ```
 */
export function cloudEventHttpHeaders(ce: CloudEvent<unknown>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of attributes(ce)) {
    if (name === 'datacontenttype') headers['content-type'] = value;
    else headers[`ce-${name}`] = percentEncodeHeaderValue(value);
  }
  return headers;
}

/**
 * The AMQP binding's application properties of a CloudEvent (`cloudEvents_<attribute>`, string
 * values), `datacontenttype` excluded: it is the message's `content-type` property.
 *
 * @example
 * ```ts
 * cloudEventAmqpProperties(ce); // { cloudEvents_specversion: '1.0', cloudEvents_id: '…', cloudEvents_type: '…', … }
 * ```
 */
export function cloudEventAmqpProperties(ce: CloudEvent<unknown>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [name, value] of attributes(ce)) if (name !== 'datacontenttype') properties[`cloudEvents_${name}`] = value;
  return properties;
}

export { eventRoute } from './event-route.js';
