import { expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { CanonicalEvent } from '../../src/index.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { startConsumer, startReceiver } from '../../examples/bullmq-consumer.js';
import { APP_SECRET, metaHeaders, statusesBody } from './helpers.js';
import { normalize } from '../../src/index.js';

const up = await redisAvailable();

describeIf(up, SKIP_REASONS.redis, 'examples/bullmq-consumer (real Redis at 127.0.0.1:6379)', () => {
  it('a signed webhook reaches the worker as validated canonical events, once each', async () => {
    const queue = { queueName: `bluetick-example-${process.pid}-${Date.now()}`, connection: { host: '127.0.0.1', port: 6379 } };
    const received: CanonicalEvent[] = [];
    const worker = startConsumer(queue, (event) => void received.push(event));
    const receiver = await startReceiver(queue, APP_SECRET);
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(receiver.url, { method: 'POST', body: statusesBody, headers: metaHeaders(statusesBody) });
        expect(res.status).toBe(200);
      }
      await receiver.stop(); // flushes the sink
      const expected = normalize(statusesBody).events.map((e) => e.id).sort();
      const deadline = Date.now() + 15_000;
      while (received.length < expected.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 200)); // a duplicate job would arrive now
      expect(received.map((e) => e.id).sort()).toEqual(expected);
    } finally {
      await worker.close();
      const q = new Queue(queue.queueName, { connection: queue.connection });
      await q.obliterate({ force: true });
      await q.close();
    }
  });
});
