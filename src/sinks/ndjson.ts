/**
 * `ndjsonSink`: newline-delimited JSON to a file or any writable stream.
 *
 * @packageDocumentation
 */
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import type { CanonicalEvent } from '../event/types.js';
import type { SinkFormatOptions } from './cloudevents.js';
import { SinkError } from './errors.js';
import { createFormatter, type Formatter } from './format.js';
import type { Sink } from './types.js';

/**
 * Options of {@link ndjsonSink}: a `path` (opened lazily in append mode, closed by `close()`) or a
 * `stream` you own (left open unless `end: true`). With `format: 'cloudevents'` each line is one
 * structured CloudEvent.
 *
 * @example
 * ```ts
 * const options: NdjsonSinkOptions = { path: '/var/log/bluetick/events.ndjson', format: 'cloudevents' };
 * ```
 */
export type NdjsonSinkOptions = { name?: string } & SinkFormatOptions & ({ path: string } | { stream: Writable; end?: boolean });

/** One JSON document per line: `JSON.stringify` escapes newlines inside strings, so lines never break. */
function toLines(batch: readonly CanonicalEvent[], formatter: Formatter): string {
  let out = '';
  for (const event of batch) out += formatter.serialize(event) + '\n';
  return out;
}

/** Resolves on `drain`, rejects if the stream errors or closes first. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      stream.off('drain', onDrain);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onDrain = () => {
      cleanup();
      resolve();
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => {
      cleanup();
      reject(new SinkError('stream_closed', 'ndjson sink: stream closed before drain', { retryable: false }));
    };
    stream.on('drain', onDrain);
    stream.on('error', onError);
    stream.on('close', onClose);
  });
}

/**
 * Appends each event as one JSON line. `write` resolves once the stream has accepted the batch
 * (its write callback ran) and, when the stream signalled backpressure, once it emitted `drain`,
 * so a slow disk or consumer slows the dispatcher instead of growing memory.
 *
 * @example
 * ```ts
 * createDispatcher({ sinks: [ndjsonSink({ path: './events.ndjson' })] });
 * createDispatcher({ sinks: [ndjsonSink({ stream: process.stdout })] });
 * ```
 */
export function ndjsonSink(options: NdjsonSinkOptions): Sink {
  const formatter = createFormatter(options, 'ndjsonSink');
  let stream: Writable | undefined = 'stream' in options ? options.stream : undefined;
  const owned = 'path' in options;
  const getStream = (): Writable => {
    if (!stream && 'path' in options) {
      stream = createWriteStream(options.path, { flags: 'a' });
      // Errors surface through write callbacks; this keeps an idle-time error from crashing the host.
      stream.on('error', () => {});
    }
    return stream as Writable;
  };
  return {
    name: options.name ?? 'ndjson',
    async write(batch) {
      if (batch.length === 0) return;
      const target = getStream();
      if (target.destroyed || target.writableEnded) {
        throw new SinkError('stream_closed', 'ndjson sink: the stream is closed', { retryable: false });
      }
      let ok = true;
      const written = new Promise<void>((resolve, reject) => {
        ok = target.write(toLines(batch, formatter), (error) => {
          if (error) reject(new SinkError('stream_write_failed', `ndjson sink: ${error.message}`, { retryable: true, cause: error }));
          else resolve();
        });
      });
      // Listen for drain right away: it may fire before the write callback settles.
      await Promise.all([written, ok ? undefined : drained(target)]);
    },
    async close() {
      const target = stream;
      if (!target || (!owned && !('end' in options && options.end))) return;
      if (target.writableEnded || target.destroyed) return;
      await new Promise<void>((resolve) => target.end(() => resolve()));
    },
  };
}
