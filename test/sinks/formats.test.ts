/**
 * `format: 'cloudevents'` on the sinks that existed before it (ndjson, callback, firehose, bullmq):
 * each sends the structured CloudEvent of the one shared formatter, and still works through the
 * dispatcher. (HTTP, RabbitMQ, NATS and SQS test their format in their own files.)
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { Queue } from 'bullmq';
import { CloudEvent as SdkCloudEvent } from 'cloudevents';
import { afterAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/event/types.js';
import { bullmqSink } from '../../src/sinks/bullmq.js';
import { callbackSink } from '../../src/sinks/callback.js';
import { toCloudEvent, type CloudEvent, type SinkFormat } from '../../src/sinks/cloudevents.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError } from '../../src/sinks/errors.js';
import { firehoseSink } from '../../src/sinks/firehose.js';
import { ndjsonSink } from '../../src/sinks/ndjson.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';

const redisUp = await redisAvailable();
const source = 'https://wa.example.com/bluetick';
const fastRetry = { retries: 3, minTimeout: 1, maxTimeout: 5 };

function expectCloudEventOf(value: unknown, event: CanonicalEvent): void {
  expect(value).toEqual(JSON.parse(JSON.stringify(toCloudEvent(event, { source }))));
  expect(new SdkCloudEvent({ ...(value as Record<string, unknown>) }, true).validate()).toBe(true);
}

describe("format: 'cloudevents' on the existing sinks", () => {
  it('ndjsonSink: one structured CloudEvent per line', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const events = makeEvents(5);
    const d = createDispatcher({ sinks: [ndjsonSink({ stream, format: 'cloudevents', cloudEvents: { source } })], batchSize: 2 });
    d.enqueue(events);
    await d.close();
    const lines = chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(5);
    lines.forEach((line, i) => expectCloudEventOf(JSON.parse(line), events[i]!));
  });

  it('callbackSink: the function receives CloudEvents; a PartialBatchError naming them maps back to the events', async () => {
    const seen: CloudEvent[][] = [];
    let calls = 0;
    const sink = callbackSink(
      async (batch: CloudEvent[]) => {
        calls++;
        seen.push(batch);
        if (calls === 1) throw new PartialBatchError({ failed: [batch[1]!.data], rejected: [batch[2]!.data] });
      },
      { format: 'cloudevents', cloudEvents: { source } },
    );
    const dlq = collectingDeadLetter();
    const events = makeEvents(3);
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(events);
    await d.close();
    seen[0]!.forEach((ce, i) => expectCloudEventOf(ce, events[i]!));
    expect(seen.map((b) => b.map((ce) => ce.id))).toEqual([['e:0', 'e:1', 'e:2'], ['e:1']]);
    expect(dlq.ids()).toEqual(['e:2']);
    expect(d.stats().sinks['callback']).toMatchObject({ delivered: 2, deadLettered: 1 });
  });

  it('callbackSink: a format chosen at run time is honoured', async () => {
    for (const format of ['canonical', 'cloudevents'] as SinkFormat[]) {
      const seen: Array<CanonicalEvent | CloudEvent> = [];
      const events = makeEvents(1);
      await callbackSink((batch) => void seen.push(...batch), { format }).write(events, { signal: new AbortController().signal, attempt: 1 });
      expect('specversion' in seen[0]!).toBe(format === 'cloudevents');
    }
  });

  it('callbackSink: a PartialBatchError built from the CloudEvents themselves is matched by id', async () => {
    const sink = callbackSink(
      (batch: CloudEvent[]) => {
        throw new PartialBatchError({ failed: [batch[0] as unknown as CanonicalEvent] });
      },
      { format: 'cloudevents' },
    );
    const events = makeEvents(2);
    const error = (await sink.write(events, { signal: new AbortController().signal, attempt: 1 }).catch((e: unknown) => e)) as PartialBatchError;
    expect(error.failed).toEqual([events[0]]);
  });

  it('firehoseSink: each record is a CloudEvent plus a newline', async () => {
    const records: string[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Records: { Data: string }[] };
        records.push(...body.Records.map((r) => Buffer.from(r.Data, 'base64').toString('utf8')));
        res.setHeader('content-type', 'application/x-amz-json-1.1');
        res.end(JSON.stringify({ FailedPutCount: 0, Encrypted: false, RequestResponses: body.Records.map((_, i) => ({ RecordId: `r${i}` })) }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new FirehoseClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
      maxAttempts: 1,
    });
    try {
      const events = makeEvents(4);
      const d = createDispatcher({ sinks: [firehoseSink({ client, deliveryStreamName: 's', format: 'cloudevents', cloudEvents: { source } })] });
      d.enqueue(events);
      await d.close();
      expect(records).toHaveLength(4);
      records.forEach((r, i) => {
        expect(r.endsWith('\n')).toBe(true);
        expectCloudEventOf(JSON.parse(r), events[i]!);
      });
    } finally {
      client.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  describeIf(redisUp, SKIP_REASONS.redis, 'bullmqSink (real Redis at 127.0.0.1:6379)', () => {
    const queues: Queue[] = [];
    afterAll(async () => {
      for (const q of queues) {
        await q.obliterate({ force: true });
        await q.close();
      }
    });

    it('job data is the CloudEvent; the job id stays derived from the event id', async () => {
      const queue = new Queue(`bluetick-test-${randomUUID()}`, { connection: { host: '127.0.0.1', port: 6379 } });
      queues.push(queue);
      const events = makeEvents(3);
      const d = createDispatcher({ sinks: [bullmqSink({ queue, format: 'cloudevents', cloudEvents: { source } })] });
      d.enqueue(events);
      await d.close();
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs).toHaveLength(3);
      for (const event of events) {
        const job = jobs.find((j) => (j.data as CloudEvent).id === event.id)!;
        expectCloudEventOf(job.data, event);
        expect(job.name).toBe('status');
      }
    });
  });
});
