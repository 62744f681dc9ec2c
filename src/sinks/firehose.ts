/**
 * `firehoseSink`: Amazon Data Firehose `PutRecordBatch`, one newline-terminated JSON record per
 * event. The AWS SDK is an optional peer: you pass your own `FirehoseClient`, and the command
 * class is imported lazily on the first write, so nothing in bluetick's core loads it.
 *
 * @packageDocumentation
 */
import type { FirehoseClient, PutRecordBatchCommandOutput } from '@aws-sdk/client-firehose';
import type { CanonicalEvent } from '../event/types.js';
import { importOptionalPeer } from '../internal/optional-peer.js';
import { describeError } from './attempt.js';
import { retryableAwsCallError } from './aws-errors.js';
import type { SinkFormatOptions } from './cloudevents.js';
import { PartialBatchError, SinkError } from './errors.js';
import { createFormatter } from './format.js';
import type { Sink } from './types.js';

/** Firehose limits per `PutRecordBatch` call and per record (data before base64). */
export const FIREHOSE_LIMITS = { maxRecords: 500, maxBatchBytes: 4 * 1024 * 1024, maxRecordBytes: 1000 * 1024 } as const;

/**
 * Options of {@link firehoseSink}. With `format: 'cloudevents'` each record is one structured
 * CloudEvent (plus `\n`).
 *
 * @example
 * ```ts
 * const options: FirehoseSinkOptions = { client: new FirehoseClient({ region: 'eu-west-1' }), deliveryStreamName: 'wa-events' };
 * ```
 */
export interface FirehoseSinkOptions extends SinkFormatOptions {
  client: FirehoseClient;
  deliveryStreamName: string;
  name?: string;
}

/** Call-level errors retrying cannot fix (wrong stream, bad request, KMS or permission problems). */
const PERMANENT = new Set([
  'ResourceNotFoundException',
  'InvalidArgumentException',
  'InvalidKMSResourceException',
  'InvalidSourceException',
  'AccessDeniedException',
  'UnrecognizedClientException',
  'ValidationException',
]);

interface Encoded {
  event: CanonicalEvent;
  data: Uint8Array;
}

/** Splits records into calls of at most 500 records and 4 MiB of data. */
export function chunkFirehoseRecords<T extends { data: Uint8Array }>(records: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const record of records) {
    if (chunk.length > 0 && (chunk.length >= FIREHOSE_LIMITS.maxRecords || bytes + record.data.byteLength > FIREHOSE_LIMITS.maxBatchBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(record);
    bytes += record.data.byteLength;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

let commandModule: Promise<typeof import('@aws-sdk/client-firehose')> | undefined;

/**
 * Sends each batch with `PutRecordBatch`, split to respect 500 records and 4 MiB per call. A
 * record over 1000 KiB can never be accepted: it is rejected to the dead-letter sink at once.
 * When Firehose reports `FailedPutCount`, only the records with an `ErrorCode` are retried (via
 * {@link PartialBatchError}); the others count as delivered. The SDK client's own retries
 * (`maxAttempts`) run inside each dispatcher attempt; `maxAttempts: 1` leaves retrying to the
 * dispatcher alone.
 *
 * @example
 * ```ts
 * import { FirehoseClient } from '@aws-sdk/client-firehose';
 * const sink = firehoseSink({ client: new FirehoseClient({ region: 'eu-west-1', maxAttempts: 1 }), deliveryStreamName: 'wa-events' });
 * ```
 */
export function firehoseSink(options: FirehoseSinkOptions): Sink {
  const encoder = new TextEncoder();
  const formatter = createFormatter(options, 'firehoseSink');
  return {
    name: options.name ?? `firehose:${options.deliveryStreamName}`,
    async write(batch, context) {
      commandModule ??= importOptionalPeer('bluetick/sinks/firehose', '@aws-sdk/client-firehose', () => import('@aws-sdk/client-firehose'));
      const { PutRecordBatchCommand } = await commandModule;
      const rejected: CanonicalEvent[] = [];
      const failed: CanonicalEvent[] = [];
      const records: Encoded[] = [];
      for (const event of batch) {
        const data = encoder.encode(formatter.serialize(event) + '\n');
        if (data.byteLength > FIREHOSE_LIMITS.maxRecordBytes) rejected.push(event);
        else records.push({ event, data });
      }
      const errors: string[] = [];
      for (const chunk of chunkFirehoseRecords(records)) {
        let output: PutRecordBatchCommandOutput;
        try {
          output = await options.client.send(
            new PutRecordBatchCommand({ DeliveryStreamName: options.deliveryStreamName, Records: chunk.map((r) => ({ Data: r.data })) }),
            { abortSignal: context.signal },
          );
        } catch (error) {
          if (context.signal.aborted) throw error;
          errors.push(describeError(error));
          (retryableAwsCallError(error, PERMANENT) ? failed : rejected).push(...chunk.map((r) => r.event));
          continue;
        }
        if (!output.FailedPutCount) continue;
        const responses = output.RequestResponses ?? [];
        chunk.forEach((record, i) => {
          const response = responses[i];
          // A missing per-record entry is treated as a failure: never count unknown as delivered.
          if (!response || response.ErrorCode || !response.RecordId) {
            failed.push(record.event);
            if (response?.ErrorCode) errors.push(`${response.ErrorCode}: ${response.ErrorMessage ?? ''}`);
          }
        });
      }
      if (failed.length === 0 && rejected.length === 0) return;
      if (failed.length === batch.length) {
        throw new SinkError('firehose_failed', `firehose sink: all ${batch.length} record(s) failed: ${errors[0] ?? ''}`, { retryable: true });
      }
      throw new PartialBatchError({
        failed,
        rejected,
        message: `firehose sink: ${failed.length} failed, ${rejected.length} rejected (over 1000 KiB or non-retryable call)${errors.length > 0 ? `: ${errors.slice(0, 3).join('; ')}` : ''}`,
      });
    },
  };
}
