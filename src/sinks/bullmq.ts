/**
 * `bullmqSink`: each event becomes a BullMQ job, with the event id as job id so BullMQ itself
 * dedupes re-deliveries. bullmq is an optional peer: pass your `Queue`, or a queue name and a
 * connection and the module is imported lazily on the first write.
 *
 * @packageDocumentation
 */
import type { ConnectionOptions, JobsOptions, Queue } from 'bullmq';
import { importOptionalPeer } from '../internal/optional-peer.js';
import type { SinkFormatOptions } from './cloudevents.js';
import { createFormatter } from './format.js';
import type { Sink } from './types.js';

/**
 * Options of {@link bullmqSink}: your own `queue` (left open by `close()`), or a `queueName` and
 * `connection` (the sink creates the queue and closes it). With `format: 'cloudevents'` the job
 * data is the structured CloudEvent instead of the canonical event.
 *
 * @example
 * ```ts
 * const options: BullmqSinkOptions = { queueName: 'wa-events', connection: { host: '127.0.0.1', port: 6379 } };
 * ```
 */
export type BullmqSinkOptions = {
  /** Job name. Default: the event kind (`message`, `status`, …). */
  jobName?: string;
  /** Options for every job (attempts, removeOnComplete, …); `jobId` is always set from the event id. */
  jobOptions?: Omit<JobsOptions, 'jobId'>;
  name?: string;
} & SinkFormatOptions & ({ queue: Queue } | { queueName: string; connection: ConnectionOptions });

/**
 * The BullMQ job id for an event id. BullMQ rejects custom ids that contain `:` or that read as
 * an integer, so `%` becomes `%25` and `:` becomes `%3A` (reversible, collision-free), and an id
 * that would parse as an integer gets a `%N` prefix (which no escaped id can start with).
 *
 * @example
 * ```ts
 * bullmqJobId('wamid.X:sent:5511'); // 'wamid.X%3Asent%3A5511'
 * ```
 */
export function bullmqJobId(eventId: string): string {
  const escaped = eventId.replace(/%/g, '%25').replace(/:/g, '%3A');
  return `${parseInt(escaped, 10)}` === escaped ? `%N${escaped}` : escaped;
}

/**
 * Adds each batch with one `addBulk` call (one Redis round trip). Job data is the canonical event
 * (or its CloudEvent with `format: 'cloudevents'`).
 * Dedupe is BullMQ's: an add whose job id still exists in the queue is ignored, so a batch retried
 * after a timeout does not create duplicate jobs; once a job is removed (`removeOnComplete`), the
 * same id can be added again.
 *
 * @example
 * ```ts
 * import { Queue } from 'bullmq';
 * const sink = bullmqSink({ queue: new Queue('wa-events', { connection }), jobOptions: { removeOnComplete: 1000 } });
 * ```
 */
export function bullmqSink(options: BullmqSinkOptions): Sink {
  const formatter = createFormatter(options, 'bullmqSink');
  let queue: Queue | undefined = 'queue' in options ? options.queue : undefined;
  let opening: Promise<Queue> | undefined;
  const getQueue = async (): Promise<Queue> => {
    if (queue) return queue;
    if (!('queueName' in options)) throw new Error('unreachable');
    const { queueName, connection } = options;
    opening ??= importOptionalPeer('bluetick/sinks/bullmq', 'bullmq', () => import('bullmq')).then(({ Queue: QueueClass }) => (queue = new QueueClass(queueName, { connection })));
    return opening;
  };
  const owned = !('queue' in options);
  return {
    name: options.name ?? `bullmq:${'queue' in options ? options.queue.name : options.queueName}`,
    async write(batch, context) {
      const target = await getQueue();
      // BullMQ's own place for a propagated context (read by bullmq-otel on the worker's side).
      const telemetry = context?.trace === undefined ? undefined : { ...options.jobOptions?.telemetry, metadata: JSON.stringify(context.trace.headers) };
      await target.addBulk(
        batch.map((event) => ({
          name: options.jobName ?? event.kind,
          data: formatter.record(event),
          opts: telemetry === undefined ? { ...options.jobOptions, jobId: bullmqJobId(event.id) } : { ...options.jobOptions, jobId: bullmqJobId(event.id), telemetry },
        })),
      );
    },
    async close() {
      if (owned && queue) await queue.close();
    },
  };
}
