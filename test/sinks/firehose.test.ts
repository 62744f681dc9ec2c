// Before the SDK loads: its Node-version notice is silenced for tests (see the helper).
import '../helpers/aws-sdk.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FirehoseClient } from '@aws-sdk/client-firehose';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { FIREHOSE_LIMITS, firehoseSink } from '../../src/sinks/firehose.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';

interface Call {
  target: string | undefined;
  contentType: string | undefined;
  stream: string;
  ids: string[];
  bytes: number;
}

type Reply = { status: number; body: unknown } | { perRecord: (id: string) => { ErrorCode: string; ErrorMessage: string } | undefined };

/**
 * A local endpoint speaking the Firehose JSON 1.1 protocol (`x-amz-target:
 * Firehose_20150804.PutRecordBatch`, base64 `Data`), scripted per call.
 */
async function fakeFirehose(script: (call: number) => Reply) {
  const calls: Call[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { DeliveryStreamName: string; Records: { Data: string }[] };
      const datas = body.Records.map((r) => Buffer.from(r.Data, 'base64'));
      const ids = datas.map((d) => {
        const text = d.toString('utf8');
        expect(text.endsWith('\n')).toBe(true);
        return (JSON.parse(text) as CanonicalEvent).id;
      });
      calls.push({
        target: req.headers['x-amz-target'] as string | undefined,
        contentType: req.headers['content-type'],
        stream: body.DeliveryStreamName,
        ids,
        bytes: datas.reduce((n, d) => n + d.byteLength, 0),
      });
      const reply = script(calls.length);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if ('status' in reply) {
        res.statusCode = reply.status;
        res.end(JSON.stringify(reply.body));
        return;
      }
      const responses = ids.map((id, i) => reply.perRecord(id) ?? { RecordId: `rec-${calls.length}-${i}` });
      res.end(JSON.stringify({ FailedPutCount: responses.filter((r) => 'ErrorCode' in r).length, Encrypted: false, RequestResponses: responses }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const client = new FirehoseClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
    maxAttempts: 1,
  });
  clients.push(client);
  return { client, calls };
}

const servers: Server[] = [];
const clients: FirehoseClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const fastRetry = { retries: 3, minTimeout: 5, maxTimeout: 10 };

describe('firehoseSink with the real FirehoseClient against a local Firehose endpoint', () => {
  it('re-sends only the records Firehose reported as failed', async () => {
    const failOnce = new Set(['e:3', 'e:7']);
    const { client, calls } = await fakeFirehose(() => ({
      perRecord: (id) => (failOnce.delete(id) ? { ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'Slow down.' } : undefined),
    }));
    const d = createDispatcher({ sinks: [firehoseSink({ client, deliveryStreamName: 'wa-events' })], retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(10));
    await d.close();
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ target: 'Firehose_20150804.PutRecordBatch', contentType: 'application/x-amz-json-1.1', stream: 'wa-events' });
    expect(calls[0]!.ids).toHaveLength(10);
    expect(calls[1]!.ids).toEqual(['e:3', 'e:7']);
    expect(d.stats().sinks['firehose:wa-events']).toMatchObject({ delivered: 10, retried: 2, failed: 0, queued: 0 });
  });

  it('splits at 500 records per call', async () => {
    const { client, calls } = await fakeFirehose(() => ({ perRecord: () => undefined }));
    const d = createDispatcher({ sinks: [firehoseSink({ client, deliveryStreamName: 's' })], batchSize: 1200 });
    d.enqueue(makeEvents(1200));
    await d.close();
    expect(calls.map((c) => c.ids.length)).toEqual([500, 500, 200]);
    expect(new Set(calls.flatMap((c) => c.ids)).size).toBe(1200);
  });

  it('splits at 4 MiB per call and dead-letters a record over 1000 KiB without sending it', async () => {
    const { client, calls } = await fakeFirehose(() => ({ perRecord: () => undefined }));
    const dlq = collectingDeadLetter();
    const big = makeEvents(10, 'big', 900 * 1024);
    const huge = makeEvents(1, 'huge', 1001 * 1024);
    const d = createDispatcher({ sinks: [firehoseSink({ client, deliveryStreamName: 's' })], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue([...big, ...huge]);
    await d.close();
    for (const call of calls) expect(call.bytes).toBeLessThanOrEqual(FIREHOSE_LIMITS.maxBatchBytes);
    expect(calls.map((c) => c.ids.length)).toEqual([4, 4, 2]);
    expect(calls.flatMap((c) => c.ids)).not.toContain('huge:0');
    expect(dlq.ids()).toEqual(['huge:0']);
    expect(dlq.records[0]!.info.reason).toBe('non_retryable');
    expect(d.stats().sinks['firehose:s']).toMatchObject({ delivered: 10, failed: 1, deadLettered: 1 });
  });

  it('retries a call-level 500 and dead-letters a ResourceNotFoundException at once', async () => {
    const flaky = await fakeFirehose((n) => (n === 1 ? { status: 500, body: { __type: 'ServiceUnavailableException', message: 'try later' } } : { perRecord: () => undefined }));
    const d1 = createDispatcher({ sinks: [firehoseSink({ client: flaky.client, deliveryStreamName: 's' })], retry: fastRetry, onError: () => {} });
    d1.enqueue(makeEvents(3));
    await d1.close();
    expect(flaky.calls).toHaveLength(2);
    expect(d1.stats().totals).toMatchObject({ delivered: 3, retried: 3 });

    const missing = await fakeFirehose(() => ({ status: 400, body: { __type: 'ResourceNotFoundException', message: 'Stream nope not found' } }));
    const dlq = collectingDeadLetter();
    const d2 = createDispatcher({ sinks: [firehoseSink({ client: missing.client, deliveryStreamName: 'nope' })], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d2.enqueue(makeEvents(3));
    await d2.close();
    expect(missing.calls).toHaveLength(1);
    expect(dlq.ids()).toEqual(['e:0', 'e:1', 'e:2']);
    expect(dlq.records[0]!.info.reason).toBe('non_retryable');
    expect(dlq.records[0]!.info.message).toContain('ResourceNotFoundException');
  });
});
