import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { bullmqJobId, bullmqSink } from '../../src/sinks/bullmq.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { makeEvents } from './helpers.js';

const connection = { host: '127.0.0.1', port: 6379 };
const redisUp = await redisAvailable();

describe('bullmqJobId', () => {
  it('escapes : and % reversibly and never yields an integer-looking id', () => {
    expect(bullmqJobId('wamid.X:sent:5511')).toBe('wamid.X%3Asent%3A5511');
    expect(bullmqJobId('a%3Ab')).toBe('a%253Ab');
    expect(bullmqJobId('a:b')).not.toBe(bullmqJobId('a%3Ab'));
    expect(bullmqJobId('12345')).toBe('%N12345');
    expect(bullmqJobId('12345x')).toBe('12345x');
  });
});

describeIf(redisUp, SKIP_REASONS.redis, 'bullmqSink on the real Redis at 127.0.0.1:6379', () => {
  const queues: Queue[] = [];
  const newQueue = () => {
    const q = new Queue(`bluetick-test-${randomUUID()}`, { connection });
    queues.push(q);
    return q;
  };
  afterAll(async () => {
    for (const q of queues) {
      await q.obliterate({ force: true });
      await q.close();
    }
  });

  it('adds one job per event, job id from the event id, data the event; duplicates are deduped by BullMQ', async () => {
    const queue = newQueue();
    const events = makeEvents(30, 'wamid.X:read');
    const d = createDispatcher({ sinks: [bullmqSink({ queue, jobOptions: { attempts: 2 } })], batchSize: 10 });
    d.enqueue(events);
    d.enqueue(events.slice(0, 15)); // the same events again (a provider retry replayed)
    await d.close();
    expect(await queue.count()).toBe(30);
    const job = await queue.getJob(bullmqJobId(events[7]!.id));
    expect(job?.id).toBe('wamid.X%3Aread%3A7');
    expect(job?.name).toBe('status');
    expect(job?.data).toEqual(events[7]);
    expect(job?.opts.attempts).toBe(2);
    expect(d.stats().sinks[`bullmq:${queue.name}`]).toMatchObject({ enqueued: 45, delivered: 45, failed: 0 });
    // The caller's queue stays open after the dispatcher closes.
    expect(await queue.count()).toBe(30);
  });

  it('creates its own queue from queueName + connection (bullmq imported lazily) and closes it', async () => {
    const name = `bluetick-test-${randomUUID()}`;
    const sink = bullmqSink({ queueName: name, connection, jobName: 'wa' });
    await sink.write(makeEvents(5), { signal: new AbortController().signal, attempt: 1 });
    await sink.write(makeEvents(5), { signal: new AbortController().signal, attempt: 2 });
    await sink.close?.();
    const check = new Queue(name, { connection });
    queues.push(check);
    expect(await check.count()).toBe(5);
    const jobs = await check.getJobs(['waiting']);
    expect(new Set(jobs.map((j) => j.name))).toEqual(new Set(['wa']));
  });
});
