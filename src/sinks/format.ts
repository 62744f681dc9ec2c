/**
 * The one place a sink turns a canonical event into what it sends (`format` option): the event
 * itself, or a CloudEvent. Internal: sinks call {@link createFormatter} once, at creation, so a
 * bad option fails there and not on the first delivery.
 */
import type { CanonicalEvent } from '../event/types.js';
import { ConfigError } from '../errors.js';
import { CLOUDEVENTS_JSON, toCloudEvent, type CloudEvent, type SinkFormat, type SinkFormatOptions } from './cloudevents.js';

/** A sink's resolved format. */
export interface Formatter {
  format: SinkFormat;
  /** Media type of one serialized record: `application/json` or `application/cloudevents+json; charset=utf-8`. */
  contentType: string;
  /** The value to send: the event itself, or its CloudEvent. */
  record(event: CanonicalEvent): CanonicalEvent | CloudEvent;
  /** `JSON.stringify(record(event))`. */
  serialize(event: CanonicalEvent): string;
}

/**
 * Resolves `{ format, cloudEvents }`. Throws a `ConfigError` (`invalid_option`) for an unknown
 * format or an empty fixed `source`.
 */
export function createFormatter(options: SinkFormatOptions, sink: string): Formatter {
  const format = options.format ?? 'canonical';
  if (format !== 'canonical' && format !== 'cloudevents') {
    throw new ConfigError('invalid_option', `${sink}: format must be 'canonical' or 'cloudevents', got ${JSON.stringify(format)}`);
  }
  const source = options.cloudEvents?.source;
  if (source !== undefined && typeof source !== 'function' && (typeof source !== 'string' || source.length === 0)) {
    throw new ConfigError('invalid_option', `${sink}: cloudEvents.source must be a non-empty URI-reference or a function`);
  }
  if (format === 'canonical') {
    return { format, contentType: 'application/json', record: (event) => event, serialize: (event) => JSON.stringify(event) };
  }
  const ce = options.cloudEvents ?? {};
  return {
    format,
    contentType: CLOUDEVENTS_JSON,
    record: (event) => toCloudEvent(event, ce),
    serialize: (event) => JSON.stringify(toCloudEvent(event, ce)),
  };
}
