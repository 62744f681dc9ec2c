/**
 * sqsSink with the real SQSClient against a local endpoint on 127.0.0.1 that speaks SQS's JSON
 * protocol (awsJson1_0, `x-amz-target: AmazonSQS.SendMessageBatch`) and enforces its batch rules
 * (10 entries, 256 KiB, distinct entry ids, FIFO parameters), with a FIFO queue's deduplication.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalEvent, NotificationEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError } from '../../src/sinks/errors.js';
import { chunkSqsMessages, SQS_LIMITS, sqsFifoId, sqsSink } from '../../src/sinks/sqs.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';

interface Entry {
  Id: string;
  MessageBody: string;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

interface Call {
  target: string | undefined;
  contentType: string | undefined;
  queueUrl: string;
  entries: Entry[];
}

type EntryFailure = { SenderFault: boolean; Code: string; Message: string };
type Script = (call: number) => { status: number; type: string; message: string; queryError?: string } | { perEntry: (event: CanonicalEvent) => EntryFailure | undefined };

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

/** What SQS would refuse in a SendMessageBatch request, as its documented error types. */
function batchError(entries: Entry[], fifo: boolean, maxBytes: number): { type: string; message: string } | undefined {
  if (entries.length === 0) return { type: 'EmptyBatchRequest', message: 'no entries' };
  if (entries.length > SQS_LIMITS.maxEntries) return { type: 'TooManyEntriesInBatchRequest', message: `${entries.length} entries` };
  if (new Set(entries.map((e) => e.Id)).size !== entries.length) return { type: 'BatchEntryIdsNotDistinct', message: 'duplicate ids' };
  if (entries.some((e) => !/^[A-Za-z0-9_-]{1,80}$/.test(e.Id))) return { type: 'InvalidBatchEntryId', message: 'bad id' };
  const bytes = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody, 'utf8'), 0);
  if (bytes > maxBytes) return { type: 'BatchRequestTooLong', message: `${bytes} bytes` };
  for (const e of entries) {
    if (fifo && !e.MessageGroupId) return { type: 'MissingParameter', message: 'MessageGroupId is required for FIFO queues' };
    if (!fifo && e.MessageDeduplicationId) return { type: 'InvalidParameterValue', message: 'MessageDeduplicationId is only for FIFO queues' };
    for (const id of [e.MessageDeduplicationId, e.MessageGroupId]) if (id !== undefined && !/^[\x21-\x7e]{1,128}$/.test(id)) return { type: 'InvalidParameterValue', message: `bad FIFO id ${id}` };
  }
  return undefined;
}

const servers: Server[] = [];
const clients: SQSClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/**
 * A local SQS endpoint; `stored` holds accepted messages (a FIFO queue keeps one per deduplication
 * id). `maxBytes` is the queue's limit: 256 KiB, or up to 1 MiB for a queue configured so.
 */
async function fakeSqs(script: Script = () => ({ perEntry: () => undefined }), maxBytes: number = SQS_LIMITS.defaultBatchBytes, gate: { held?: Promise<void> } = {}) {
  const calls: Call[] = [];
  const stored: Entry[] = [];
  const seenDedupe = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      await gate.held; // a slow SQS: answers only once the test releases it
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { QueueUrl: string; Entries: Entry[] };
      calls.push({ target: req.headers['x-amz-target'] as string | undefined, contentType: req.headers['content-type'], queueUrl: body.QueueUrl, entries: body.Entries });
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      const fifo = body.QueueUrl.endsWith('.fifo');
      const reply = script(calls.length);
      const invalid = batchError(body.Entries, fifo, maxBytes);
      if (invalid || 'status' in reply) {
        const error = invalid ? { status: 400, ...invalid } : (reply as Extract<ReturnType<Script>, { status: number }>);
        res.statusCode = error.status;
        if ('queryError' in error && error.queryError) res.setHeader('x-amzn-query-error', error.queryError);
        res.end(JSON.stringify({ __type: `com.amazonaws.sqs#${error.type}`, message: error.message }));
        return;
      }
      const Successful: unknown[] = [];
      const Failed: unknown[] = [];
      for (const entry of body.Entries) {
        const failure = reply.perEntry(JSON.parse(entry.MessageBody) as CanonicalEvent);
        if (failure) {
          Failed.push({ Id: entry.Id, ...failure });
          continue;
        }
        if (!fifo || !seenDedupe.has(entry.MessageDeduplicationId as string)) stored.push(entry);
        if (fifo) seenDedupe.add(entry.MessageDeduplicationId as string);
        Successful.push({ Id: entry.Id, MessageId: `m-${stored.length}`, MD5OfMessageBody: md5(entry.MessageBody) });
      }
      res.end(JSON.stringify({ Successful, Failed }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' }, maxAttempts: 1 });
  clients.push(client);
  return { client, calls, stored, queueUrl: (name: string) => `${endpoint}/000000000000/${name}` };
}

const fastRetry = { retries: 3, minTimeout: 5, maxTimeout: 10 };
const ids = (entries: Entry[]) => entries.map((e) => (JSON.parse(e.MessageBody) as CanonicalEvent).id);

describe('sqsSink with the real SQSClient against a local SQS JSON endpoint', () => {
  it('SendMessageBatch of at most 10 entries; a standard queue gets bodies only', async () => {
    const sqs = await fakeSqs();
    const events = makeEvents(25);
    const d = createDispatcher({ sinks: [sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('wa-events') })] });
    d.enqueue(events);
    await d.close();
    expect(sqs.calls.map((c) => c.entries.length)).toEqual([10, 10, 5]);
    expect(sqs.calls[0]).toMatchObject({ target: 'AmazonSQS.SendMessageBatch', contentType: 'application/x-amz-json-1.0', queueUrl: sqs.queueUrl('wa-events') });
    expect(sqs.calls[0]!.entries[0]).toEqual({ Id: 'e0', MessageBody: JSON.stringify(events[0]) });
    expect(sqs.stored.map((e) => JSON.parse(e.MessageBody))).toEqual(events);
    expect(d.stats().sinks['sqs:wa-events']).toMatchObject({ delivered: 25, failed: 0 });
  });

  it('splits at 256 KiB per call and dead-letters a message over the limit without sending it; maxBatchBytes raises it', async () => {
    const sqs = await fakeSqs();
    const dlq = collectingDeadLetter();
    const big = makeEvents(5, 'big', 100 * 1024);
    const huge = makeEvents(1, 'huge', 300 * 1024);
    const d = createDispatcher({ sinks: [sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('q') })], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue([...big, ...huge]);
    await d.close();
    expect(sqs.calls.map((c) => c.entries.length)).toEqual([2, 2, 1]);
    for (const call of sqs.calls) expect(call.entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody), 0)).toBeLessThanOrEqual(256 * 1024);
    expect(dlq.ids()).toEqual(['huge:0']);
    expect(dlq.records[0]!.info.reason).toBe('non_retryable');
    expect(() => sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('q'), maxBatchBytes: 2 * 1024 * 1024 })).toThrow(expect.objectContaining({ code: 'invalid_option' }));

    // A queue whose MaximumMessageSize was raised to 1 MiB: the same traffic goes in one call.
    const raised = await fakeSqs(undefined, SQS_LIMITS.maxBatchBytes);
    const d2 = createDispatcher({ sinks: [sqsSink({ client: raised.client, queueUrl: raised.queueUrl('q'), maxBatchBytes: SQS_LIMITS.maxBatchBytes })] });
    d2.enqueue([...big, ...huge]);
    await d2.close();
    expect(raised.calls.map((c) => c.entries.length)).toEqual([6]);
    expect(chunkSqsMessages([{ bytes: 700_000 }, { bytes: 400_000 }, { bytes: 10 }], SQS_LIMITS.maxBatchBytes).map((c) => c.length)).toEqual([1, 2]);
  });

  it('FIFO: MessageDeduplicationId = event id, MessageGroupId = message id; a replayed batch is stored once', async () => {
    const sqs = await fakeSqs();
    const events = makeEvents(12);
    const notification: NotificationEvent = { ...events[0]!, id: 'cloud:notification:n1', kind: 'notification', topic: 'account_update', data: {} } as unknown as NotificationEvent;
    const long = { ...events[1]!, id: `cloud:status:${'x'.repeat(200)}` };
    const all = [...events, notification, long];
    const d = createDispatcher({ sinks: [sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('wa-events.fifo') })] });
    d.enqueue(all);
    d.enqueue(all.slice(0, 6)); // a provider retry replayed: same deduplication ids
    await d.close();
    const first = sqs.calls[0]!.entries[0]!;
    expect(first.MessageDeduplicationId).toBe(events[0]!.id);
    expect(first.MessageGroupId).toBe(events[0]!.messageId);
    const byId = new Map(sqs.calls.flatMap((c) => c.entries).map((e) => [(JSON.parse(e.MessageBody) as CanonicalEvent).id, e]));
    expect(byId.get('cloud:notification:n1')!.MessageGroupId).toBe('cloud:waba-1');
    expect(byId.get(long.id)!.MessageDeduplicationId).toBe(sqsFifoId(long.id));
    expect(sqsFifoId(long.id)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(sqs.stored).toHaveLength(all.length);
    expect(d.stats().sinks['sqs:wa-events.fifo']).toMatchObject({ delivered: all.length + 6 });
  });

  it('partial failure: only the failed entries are retried; SenderFault entries are dead-lettered', async () => {
    const retryOnce = new Set(['e:2', 'e:7']);
    const sqs = await fakeSqs(() => ({
      perEntry: (event) => {
        if (event.id === 'e:5') return { SenderFault: true, Code: 'InvalidMessageContents', Message: 'bad characters' };
        if (retryOnce.delete(event.id)) return { SenderFault: false, Code: 'InternalError', Message: 'try again' };
        return undefined;
      },
    }));
    const sink = sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('q') });
    const error = (await sink.write(makeEvents(10), { signal: new AbortController().signal, attempt: 1 }).catch((e: unknown) => e)) as PartialBatchError;
    expect(error).toBeInstanceOf(PartialBatchError);
    expect(error.failed.map((e) => e.id)).toEqual(['e:2', 'e:7']);
    expect(error.rejected.map((e) => e.id)).toEqual(['e:5']);
    expect(error.message).toContain('InvalidMessageContents');

    retryOnce.add('f:2').add('f:7');
    const dlq = collectingDeadLetter();
    const calls = sqs.calls.length;
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    const events = makeEvents(10, 'f');
    d.enqueue(events);
    await d.close();
    expect(sqs.calls.slice(calls).map((c) => ids(c.entries))).toEqual([events.map((e) => e.id), ['f:2', 'f:7']]);
    expect(dlq.ids()).toEqual([]); // f:5 is not e:5: every f event is accepted in the end
    expect(d.stats().sinks['sqs:q']).toMatchObject({ delivered: 10, retried: 2 });
  });

  it('call errors: a 500 and throttling are retried; QueueDoesNotExist is dead-lettered after one call', async () => {
    const flaky = await fakeSqs((n) =>
      n === 1 ? { status: 500, type: 'InternalError', message: 'oops' } : n === 2 ? { status: 400, type: 'RequestThrottled', message: 'slow down' } : { perEntry: () => undefined },
    );
    const d1 = createDispatcher({ sinks: [sqsSink({ client: flaky.client, queueUrl: flaky.queueUrl('q') })], retry: fastRetry, onError: () => {} });
    d1.enqueue(makeEvents(3));
    await d1.close();
    expect(flaky.calls).toHaveLength(3);
    expect(d1.stats().totals).toMatchObject({ delivered: 3, retried: 6 });

    const missing = await fakeSqs(() => ({ status: 400, type: 'QueueDoesNotExist', message: 'The specified queue does not exist.', queryError: 'AWS.SimpleQueueService.NonExistentQueue;Sender' }));
    const dlq = collectingDeadLetter();
    const d2 = createDispatcher({ sinks: [sqsSink({ client: missing.client, queueUrl: missing.queueUrl('nope') })], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d2.enqueue(makeEvents(3));
    await d2.close();
    expect(missing.calls).toHaveLength(1);
    expect(dlq.ids()).toEqual(['e:0', 'e:1', 'e:2']);
    expect(dlq.records[0]!.info.reason).toBe('non_retryable');
  });

  it('backpressure: while SQS does not answer, writes stay pending and the dispatcher stops taking events', async () => {
    let release!: () => void;
    const gate: { held?: Promise<void> } = {};
    const sqs = await fakeSqs(undefined, undefined, gate);
    const d = createDispatcher({ sinks: [sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('q') })], batchSize: 10, maxQueue: 20, flushIntervalMs: 1 });
    gate.held = new Promise<void>((r) => (release = r));
    let enqueued = 0;
    for (let i = 0; i < 200; i++) {
      enqueued++;
      if (!d.enqueue(makeEvents(1, `p${i}`))) break;
    }
    expect(enqueued).toBeLessThanOrEqual(31);
    await new Promise((r) => setTimeout(r, 100));
    expect(d.stats().sinks['sqs:q']!.delivered).toBe(0);
    release();
    await d.waitForCapacity();
    await d.close();
    expect(d.stats().sinks['sqs:q']).toMatchObject({ delivered: enqueued, deadLettered: 0, shed: 0 });
    expect(sqs.stored).toHaveLength(enqueued);
  });

  it("format: 'cloudevents': each body is a structured CloudEvent", async () => {
    const sqs = await fakeSqs();
    const events = makeEvents(3);
    await sqsSink({ client: sqs.client, queueUrl: sqs.queueUrl('q'), format: 'cloudevents' }).write(events, { signal: new AbortController().signal, attempt: 1 });
    expect(sqs.stored.map((e) => JSON.parse(e.MessageBody) as { id: string; type: string; data: unknown })).toEqual(
      events.map((e) => expect.objectContaining({ specversion: '1.0', id: e.id, type: 'com.bluetick.status.delivered', data: e })),
    );
  });
});
