/**
 * `callbackSink`: the smallest sink, a function.
 *
 * @packageDocumentation
 */
import type { CanonicalEvent } from '../event/types.js';
import type { CloudEvent, CloudEventsOptions, SinkFormat } from './cloudevents.js';
import { PartialBatchError } from './errors.js';
import { createFormatter } from './format.js';
import type { Sink, WriteContext } from './types.js';

/**
 * Options of {@link callbackSink}.
 *
 * @example
 * ```ts
 * const options: CallbackSinkOptions = { name: 'kafka', close: () => producer.disconnect() };
 * ```
 */
export interface CallbackSinkOptions {
  name?: string;
  close?: () => Promise<void>;
  /** Settings for `format: 'cloudevents'`. */
  cloudEvents?: CloudEventsOptions;
}

/**
 * Wraps a function as a {@link Sink}. Throw (or reject) to fail the batch; throw a
 * `SinkError` with `retryable: false` to skip retries, or a `PartialBatchError` for per-event results.
 * With `format: 'cloudevents'` the function receives CloudEvents; a `PartialBatchError` may then
 * name them (they are matched back to their events by id).
 *
 * @example
 * ```ts
 * const sink = callbackSink(async (batch) => { await kafka.send({ topic: 'wa', messages: batch.map(toMessage) }); }, { name: 'kafka' });
 * const ce = callbackSink(async (events) => { await bus.publish(events); }, { format: 'cloudevents' });
 * ```
 */
export function callbackSink(
  fn: (batch: CanonicalEvent[], context: WriteContext) => void | Promise<void>,
  options?: CallbackSinkOptions & { format?: 'canonical' },
): Sink;
export function callbackSink(
  fn: (batch: CloudEvent[], context: WriteContext) => void | Promise<void>,
  options: CallbackSinkOptions & { format: 'cloudevents' },
): Sink;
export function callbackSink(
  fn: (batch: Array<CanonicalEvent | CloudEvent>, context: WriteContext) => void | Promise<void>,
  options: CallbackSinkOptions & { format?: SinkFormat },
): Sink;
export function callbackSink(
  fn:
    | ((batch: CanonicalEvent[], context: WriteContext) => void | Promise<void>)
    | ((batch: CloudEvent[], context: WriteContext) => void | Promise<void>)
    | ((batch: Array<CanonicalEvent | CloudEvent>, context: WriteContext) => void | Promise<void>),
  options: CallbackSinkOptions & { format?: SinkFormat } = {},
): Sink {
  const formatter = createFormatter(options, 'callbackSink');
  const call = fn as (batch: unknown[], context: WriteContext) => void | Promise<void>;
  return {
    name: options.name ?? 'callback',
    async write(batch, context) {
      if (formatter.format === 'canonical') return call(batch, context);
      try {
        await call(batch.map(formatter.record), context);
      } catch (error) {
        if (!(error instanceof PartialBatchError)) throw error;
        // The function named CloudEvents; the dispatcher accounts for the canonical events.
        const byId = new Map(batch.map((event) => [event.id, event]));
        const back = (items: readonly { id: string }[]) => items.map((item) => byId.get(item.id)).filter((e): e is CanonicalEvent => e !== undefined);
        throw new PartialBatchError({ failed: back(error.failed), rejected: back(error.rejected), message: error.message, cause: error });
      }
    },
    ...(options.close ? { close: options.close } : {}),
  };
}
