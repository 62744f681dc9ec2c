/**
 * `sqsSink`: Amazon SQS `SendMessageBatch`, one message per event, standard or FIFO queues. The
 * AWS SDK is an optional peer: you pass your own `SQSClient`, and the command class is imported
 * lazily on the first write.
 *
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import type { SendMessageBatchCommandOutput, SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import type { CanonicalEvent } from '../event/types.js';
import { ConfigError } from '../errors.js';
import { importOptionalPeer } from '../internal/optional-peer.js';
import { describeError } from './attempt.js';
import { retryableAwsCallError } from './aws-errors.js';
import type { SinkFormatOptions } from './cloudevents.js';
import { PartialBatchError, SinkError } from './errors.js';
import { createFormatter } from './format.js';
import type { Sink } from './types.js';

/**
 * SQS limits: 10 entries per `SendMessageBatch`; the bodies of one call (and so each message) at
 * most 256 KiB by default, the limit every queue accepts. Queues whose `MaximumMessageSize` is
 * raised accept up to 1 MiB: set `maxBatchBytes` to match.
 */
export const SQS_LIMITS = { maxEntries: 10, defaultBatchBytes: 256 * 1024, maxBatchBytes: 1024 * 1024, maxIdLength: 128 } as const;

/**
 * Options of {@link sqsSink}.
 *
 * @example
 * ```ts
 * const options: SqsSinkOptions = { client: new SQSClient({ region: 'eu-west-1' }), queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/wa-events.fifo' };
 * ```
 */
export interface SqsSinkOptions extends SinkFormatOptions {
  client: SQSClient;
  queueUrl: string;
  /** A FIFO queue gets deduplication and group ids. Default: the queue URL ends with `.fifo`. */
  fifo?: boolean;
  /** FIFO `MessageGroupId` of an event. Default {@link defaultSqsMessageGroupId}. */
  messageGroupId?: (event: CanonicalEvent) => string;
  /** Most body bytes per call (and per message). Default 256 KiB; at most 1 MiB. */
  maxBatchBytes?: number;
  name?: string;
}

/** Call-level errors retrying cannot fix (wrong queue, malformed batch, KMS or permission problems). */
const PERMANENT = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'InvalidAddress',
  'InvalidSecurity',
  'AccessDenied',
  'AccessDeniedException',
  'UnsupportedOperation',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ValidationException',
  'KmsAccessDenied',
  'KmsDisabled',
  'KmsInvalidKeyUsage',
  'KmsInvalidState',
  'KmsNotFound',
  'KmsOptInRequired',
  'BatchEntryIdsNotDistinct',
  'BatchRequestTooLong',
  'EmptyBatchRequest',
  'InvalidBatchEntryId',
  'TooManyEntriesInBatchRequest',
]);

/** Characters SQS accepts in deduplication and group ids: alphanumerics and ASCII punctuation. */
const FIFO_ID = /^[A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]{1,128}$/;

/** `value` when SQS accepts it as a FIFO id, else a stable digest of it (same input, same id). */
export function sqsFifoId(value: string): string {
  return FIFO_ID.test(value) ? value : `sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/**
 * The default FIFO group of an event: its message id (so each message's statuses stay in order
 * while different messages flow in parallel), or `<provider>:<accountId>` for account-level events.
 *
 * @example
 * ```ts
 * defaultSqsMessageGroupId(statusEvent); // 'wamid.HBgL…'
 * ```
 */
export function defaultSqsMessageGroupId(event: CanonicalEvent): string {
  if ((event.kind === 'message' || event.kind === 'status') && event.messageId) return event.messageId;
  return `${event.provider}:${event.accountId ?? '-'}`;
}

interface Encoded {
  event: CanonicalEvent;
  body: string;
  bytes: number;
}

/** Splits messages into calls of at most 10 entries and `maxBytes` of bodies. */
export function chunkSqsMessages<T extends { bytes: number }>(messages: readonly T[], maxBytes: number = SQS_LIMITS.defaultBatchBytes): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    if (chunk.length > 0 && (chunk.length >= SQS_LIMITS.maxEntries || bytes + message.bytes > maxBytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += message.bytes;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

let commandModule: Promise<typeof import('@aws-sdk/client-sqs')> | undefined;

/** Trace headers as SQS message attributes (`traceparent`, `tracestate`). */
function traceAttributes(headers: Readonly<Record<string, string>>): NonNullable<SendMessageBatchRequestEntry['MessageAttributes']> {
  const out: NonNullable<SendMessageBatchRequestEntry['MessageAttributes']> = {};
  for (const [key, value] of Object.entries(headers)) out[key] = { DataType: 'String', StringValue: value };
  return out;
}

/**
 * Sends each batch with `SendMessageBatch`, split to respect 10 entries and `maxBatchBytes` per
 * call. The body is the event as JSON (or its CloudEvent). On a FIFO queue every entry carries
 * `MessageDeduplicationId` = the event id (SQS drops a re-send inside its 5-minute window) and
 * `MessageGroupId` = the message id. A message larger than `maxBatchBytes` can never be sent: it
 * is dead-lettered at once. When SQS reports `Failed` entries, only those are retried; an entry
 * marked `SenderFault` is dead-lettered instead (retrying cannot change the answer). The SDK
 * client's own retries run inside each dispatcher attempt; `maxAttempts: 1` leaves them to the dispatcher.
 *
 * @example
 * ```ts
 * import { SQSClient } from '@aws-sdk/client-sqs';
 * const sink = sqsSink({ client: new SQSClient({ region: 'eu-west-1', maxAttempts: 1 }), queueUrl: process.env.QUEUE_URL! });
 * ```
 */
export function sqsSink(options: SqsSinkOptions): Sink {
  const formatter = createFormatter(options, 'sqsSink');
  if (typeof options.queueUrl !== 'string' || options.queueUrl.length === 0) throw new ConfigError('invalid_option', 'sqsSink: queueUrl is required');
  const maxBytes = options.maxBatchBytes ?? SQS_LIMITS.defaultBatchBytes;
  if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > SQS_LIMITS.maxBatchBytes) {
    throw new ConfigError('invalid_option', `sqsSink: maxBatchBytes must be an integer from 1024 to ${SQS_LIMITS.maxBatchBytes}`);
  }
  const fifo = options.fifo ?? options.queueUrl.endsWith('.fifo');
  const groupOf = options.messageGroupId ?? defaultSqsMessageGroupId;
  const queueName = options.queueUrl.split('/').pop() || options.queueUrl;

  const entry = (message: Encoded, i: number, attributes: SendMessageBatchRequestEntry['MessageAttributes']): SendMessageBatchRequestEntry => {
    const out: SendMessageBatchRequestEntry = {
      Id: `e${i}`,
      MessageBody: message.body,
      ...(fifo ? { MessageDeduplicationId: sqsFifoId(message.event.id), MessageGroupId: sqsFifoId(groupOf(message.event)) } : {}),
    };
    if (attributes !== undefined) out.MessageAttributes = attributes;
    return out;
  };

  return {
    name: options.name ?? `sqs:${queueName}`,
    async write(batch, context) {
      commandModule ??= importOptionalPeer('bluetick/sinks/sqs', '@aws-sdk/client-sqs', () => import('@aws-sdk/client-sqs'));
      const { SendMessageBatchCommand } = await commandModule;
      const failed: CanonicalEvent[] = [];
      const rejected: CanonicalEvent[] = [];
      const reasons: string[] = [];
      const messages: Encoded[] = [];
      // The delivery span's trace headers as String attributes (they count toward the message's size).
      const attributes = context.trace === undefined ? undefined : traceAttributes(context.trace.headers);
      const extraBytes = attributes === undefined ? 0 : Buffer.byteLength(JSON.stringify(attributes), 'utf8');
      for (const event of batch) {
        const body = formatter.serialize(event);
        const bytes = Buffer.byteLength(body, 'utf8') + extraBytes;
        if (bytes > maxBytes) {
          rejected.push(event);
          if (reasons.length < 3) reasons.push(`${event.id}: ${bytes} bytes, over ${maxBytes}`);
        } else messages.push({ event, body, bytes });
      }
      for (const chunk of chunkSqsMessages(messages, maxBytes)) {
        let output: SendMessageBatchCommandOutput;
        try {
          output = await options.client.send(new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: chunk.map((m, i) => entry(m, i, attributes)) }), {
            abortSignal: context.signal,
          });
        } catch (error) {
          if (context.signal.aborted) throw error;
          if (reasons.length < 3) reasons.push(describeError(error));
          (retryableAwsCallError(error, PERMANENT) ? failed : rejected).push(...chunk.map((m) => m.event));
          continue;
        }
        const succeeded = new Set((output.Successful ?? []).map((s) => s.Id));
        const failures = new Map((output.Failed ?? []).map((f) => [f.Id, f]));
        chunk.forEach((message, i) => {
          const id = `e${i}`;
          const failure = failures.get(id);
          if (!failure && succeeded.has(id)) return;
          // An entry in neither list is treated as failed: never count unknown as delivered.
          (failure?.SenderFault ? rejected : failed).push(message.event);
          if (reasons.length < 3) reasons.push(failure ? `${message.event.id}: ${failure.Code ?? 'error'} ${failure.Message ?? ''}`.trim() : `${message.event.id}: no result`);
        });
      }
      if (failed.length === 0 && rejected.length === 0) return;
      if (failed.length === batch.length) {
        throw new SinkError('sqs_failed', `sqs sink: all ${batch.length} message(s) failed: ${reasons[0] ?? ''}`, { retryable: true });
      }
      throw new PartialBatchError({ failed, rejected, message: `sqs sink: ${failed.length} failed, ${rejected.length} rejected: ${reasons.join('; ')}` });
    },
  };
}
