import type { Sink } from '../sinks/types.js';
import { createRedactor, type RedactionPolicy } from './redact.js';

/**
 * Wraps a sink so that every event it receives is redacted first: the redaction policy is per
 * sink, so an analytics stream can get hashed numbers while an internal queue gets them whole.
 *
 * @example
 * ```ts
 * createTracker({
 *   sinks: [redactedSink(httpSink({ url }), { phone: 'hash', hashSecret: process.env.PII_KEY, text: 'drop' })],
 * });
 * ```
 */
export function redactedSink(sink: Sink, policy: RedactionPolicy): Sink {
  const redact = createRedactor(policy);
  const wrapped: Sink = {
    name: sink.name ?? 'redacted',
    write: (batch, context) => sink.write(batch.map(redact), context),
  };
  if (sink.close) wrapped.close = () => (sink.close as () => Promise<void>)();
  return wrapped;
}
