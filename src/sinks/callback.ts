/**
 * `callbackSink`: the smallest sink, a function.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent } from '../event/types.js';
import type { Sink, WriteContext } from './types.js';

/**
 * Wraps a function as a {@link Sink}. Throw (or reject) to fail the batch; throw a
 * `SinkError` with `retryable: false` to skip retries, or a `PartialBatchError` for per-event results.
 *
 * @example
 * ```ts
 * const sink = callbackSink(async (batch) => { await kafka.send({ topic: 'wa', messages: batch.map(toMessage) }); }, { name: 'kafka' });
 * ```
 */
export function callbackSink(
  fn: (batch: CanonicalEvent[], context: WriteContext) => void | Promise<void>,
  options: { name?: string; close?: () => Promise<void> } = {},
): Sink {
  return {
    name: options.name ?? 'callback',
    async write(batch, context) {
      await fn(batch, context);
    },
    ...(options.close ? { close: options.close } : {}),
  };
}
