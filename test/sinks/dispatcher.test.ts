import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError, SinkError } from '../../src/sinks/errors.js';
import { collectingDeadLetter, fastRetry, hangUntilAborted, makeEvents, scriptedSink } from './helpers.js';

describe('createDispatcher: batching', () => {
  it('splits by batchSize and sends a partial batch after flushIntervalMs', async () => {
    const sink = scriptedSink('s', () => {});
    const d = createDispatcher({ sinks: [sink], batchSize: 10, flushIntervalMs: 500 });
    const started = Date.now();
    d.enqueue(makeEvents(25));
    // 20 go at once (two full batches); the last 5 wait for the timer.
    await expect.poll(() => sink.batches.map((b) => b.length), { interval: 5 }).toEqual([10, 10]);
    expect(Date.now() - started).toBeLessThan(500);
    await expect.poll(() => sink.batches.map((b) => b.length), { interval: 20, timeout: 5_000 }).toEqual([10, 10, 5]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    await d.close();
  });

  it('flush() delivers what is queued without waiting for the timer', async () => {
    const sink = scriptedSink('s', () => {});
    const d = createDispatcher({ sinks: [sink], flushIntervalMs: 60_000 });
    d.enqueue(makeEvents(3));
    d.enqueue(makeEvents(1, 'single')[0]!);
    await d.flush();
    expect(sink.batches.flat().map((e) => e.id)).toEqual(['e:0', 'e:1', 'e:2', 'single:0']);
    expect(d.stats().sinks.s).toMatchObject({ enqueued: 4, delivered: 4, queued: 0 });
    await d.close();
  });

  it('enqueue is synchronous and never throws when a sink throws synchronously', async () => {
    const sink = { name: 'sync-thrower', write: (() => { throw new Error('boom'); }) as never };
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: { ...fastRetry, retries: 1 }, onError: () => {} });
    expect(d.enqueue(makeEvents(2))).toBe(true);
    await d.flush();
    expect(dlq.ids()).toEqual(['e:0', 'e:1']);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'retries_exhausted', sink: 'sync-thrower', attempts: 2 });
    await d.close();
  });
});

describe('createDispatcher: retries and failures', () => {
  it('retries a failing batch (p-retry) and counts the re-sends', async () => {
    const sink = scriptedSink('flaky', (_b, _c, call) => {
      if (call <= 2) throw new SinkError('down', 'down', { retryable: true });
    });
    const d = createDispatcher({ sinks: [sink], retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(4));
    await d.flush();
    expect(sink.calls).toBe(3);
    expect(d.stats().sinks.flaky).toMatchObject({ delivered: 4, retried: 8, failed: 0 });
    await d.close();
  });

  it('retries: 0 makes exactly one attempt', async () => {
    const sink = scriptedSink('once', () => { throw new Error('nope'); });
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: { retries: 0 }, onError: () => {} });
    d.enqueue(makeEvents(2));
    await d.flush();
    expect(sink.calls).toBe(1);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'retries_exhausted', attempts: 1 });
    await d.close();
  });

  it('a non-retryable SinkError goes straight to the dead-letter sink', async () => {
    const sink = scriptedSink('strict', () => { throw new SinkError('http_400', 'bad request', { retryable: false }); });
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(3));
    await d.flush();
    expect(sink.calls).toBe(1);
    expect(dlq.records).toHaveLength(1);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'non_retryable', sink: 'strict', attempts: 1 });
    expect(dlq.records[0]!.info.error).toBeInstanceOf(SinkError);
    expect(dlq.records[0]!.info.message).toContain('bad request');
    expect(d.stats().sinks.strict).toMatchObject({ failed: 3, deadLettered: 3, delivered: 0 });
    await d.close();
  });

  it('PartialBatchError: only the failed events are retried, rejected ones are dead-lettered', async () => {
    const events = makeEvents(5);
    const sent: string[][] = [];
    const sink = scriptedSink('partial', (batch, _c, call) => {
      sent.push(batch.map((e) => e.id));
      if (call === 1) throw new PartialBatchError({ failed: [batch[1]!, batch[3]!], rejected: [batch[4]!] });
    });
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, retry: fastRetry, onError: () => {} });
    d.enqueue(events);
    await d.flush();
    expect(sent).toEqual([['e:0', 'e:1', 'e:2', 'e:3', 'e:4'], ['e:1', 'e:3']]);
    expect(dlq.ids()).toEqual(['e:4']);
    expect(dlq.records[0]!.info.reason).toBe('non_retryable');
    expect(d.stats().sinks.partial).toMatchObject({ delivered: 4, retried: 2, failed: 1, deadLettered: 1, queued: 0 });
    await d.close();
  });

  it('cuts a hanging write with writeTimeoutMs, aborts its signal, and retries', async () => {
    const aborted: unknown[] = [];
    const sink = scriptedSink('hangs-once', async (_b, ctx, call) => {
      if (call === 1) {
        ctx.signal.addEventListener('abort', () => aborted.push(ctx.signal.reason));
        await hangUntilAborted(ctx);
      }
    });
    const d = createDispatcher({ sinks: [sink], writeTimeoutMs: 40, retry: fastRetry, onError: () => {} });
    d.enqueue(makeEvents(2));
    await d.flush();
    expect(aborted).toHaveLength(1);
    expect((aborted[0] as SinkError).code).toBe('sink_timeout');
    expect(d.stats().sinks['hangs-once']).toMatchObject({ delivered: 2, retried: 2 });
    await d.close();
  });

  it('isolates sinks: one down sink does not delay the healthy one', async () => {
    const healthy = scriptedSink('healthy', () => {});
    const down = scriptedSink('down', (_b, ctx) => hangUntilAborted(ctx));
    const d = createDispatcher({ sinks: [healthy, down], writeTimeoutMs: 5_000, retry: fastRetry, flushIntervalMs: 5, onError: () => {} });
    d.enqueue(makeEvents(3));
    await new Promise((r) => setTimeout(r, 100));
    expect(healthy.batches.flat()).toHaveLength(3);
    expect(d.stats().sinks.down).toMatchObject({ delivered: 0, inFlight: 3, queued: 3 });
    await d.close({ timeoutMs: 10 });
    // Nothing acknowledged is thrown away: the down sink's records go back to the outbox.
    expect(d.stats().sinks.down).toMatchObject({ failed: 0, released: 3, queued: 0 });
    expect((await d.outbox.stats()).pending).toEqual({ down: 3 });
  });

  it('reports dead-letter failures via onError and counts them, without throwing or unhandled rejections', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const errors: { phase: string; sink: string }[] = [];
      const sink = scriptedSink('bad', () => { throw new SinkError('x', 'x', { retryable: false }); });
      const d = createDispatcher({
        sinks: [sink],
        deadLetter: { name: 'broken-dlq', write: async () => { throw new Error('dlq down'); } },
        retry: { ...fastRetry, retries: 1 },
        onError: (_e, ctx) => errors.push(ctx),
      });
      d.enqueue(makeEvents(2));
      await d.flush();
      await new Promise((r) => setTimeout(r, 20));
      expect(errors.filter((e) => e.phase === 'dead-letter')).toEqual([{ phase: 'dead-letter', sink: 'bad' }]);
      expect(d.stats().deadLetter).toEqual({ written: 0, failed: 2, errors: 1 });
      // The outbox recorded them: the dead-letter sink is only a copy.
      expect(d.stats().sinks.bad).toMatchObject({ failed: 2, deadLettered: 2, queued: 0 });
      expect((await d.outbox.deadLetters()).map((r) => r.event.id)).toEqual(['e:0', 'e:1']);
      await d.close();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('calls onDeadLetter with the reason, and the outbox lists and replays the dead letters', async () => {
    const notices: { reason: string; n: number }[] = [];
    let healthy = false;
    const sink = scriptedSink('nope', () => {
      if (!healthy) throw new SinkError('x', 'x', { retryable: false });
    });
    const d = createDispatcher({ sinks: [sink], recoverEveryMs: 10, onDeadLetter: (events, info) => notices.push({ reason: info.reason, n: events.length }), onError: () => {} });
    d.enqueue(makeEvents(2));
    await d.flush();
    expect(notices).toEqual([{ reason: 'non_retryable', n: 2 }]);
    expect(d.stats().sinks.nope).toMatchObject({ deadLettered: 2 });
    expect((await d.outbox.stats()).deadLetters).toEqual({ nope: 2 });
    healthy = true;
    expect(await d.outbox.replay({ consumer: 'nope' })).toBe(2);
    for (let i = 0; i < 100 && sink.batches.flat().length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    await d.flush();
    expect(sink.batches.flat().map((e) => e.id).sort()).toEqual(['e:0', 'e:1']);
    expect(d.stats().sinks.nope).toMatchObject({ recovered: 2, delivered: 2 });
    await d.close();
  });
});

describe('createDispatcher: lifecycle', () => {
  it('close() flushes, closes every sink and the dead-letter sink, and is idempotent', async () => {
    const closed: string[] = [];
    const sink = { ...scriptedSink('a', () => {}), close: async () => { closed.push('a'); } };
    const delivered: string[] = [];
    sink.write = async (batch) => { delivered.push(...batch.map((e) => e.id)); };
    const dlq = { ...collectingDeadLetter(), close: async () => { closed.push('dlq'); } };
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, flushIntervalMs: 60_000 });
    d.enqueue(makeEvents(7));
    await Promise.all([d.close(), d.close()]);
    expect(delivered).toHaveLength(7);
    expect(closed.sort()).toEqual(['a', 'dlq']);
    expect(() => d.enqueue(makeEvents(1))).toThrow(SinkError);
  });

  it('close({ timeoutMs }) hands what is still undelivered back to the outbox, never to the dead letters', async () => {
    const sink = scriptedSink('stuck', (_b, ctx) => hangUntilAborted(ctx));
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, batchSize: 2, writeTimeoutMs: 0, onError: () => {} });
    d.enqueue(makeEvents(5));
    const started = Date.now();
    await d.close({ timeoutMs: 50 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(dlq.ids()).toEqual([]);
    expect(d.stats().sinks.stuck).toMatchObject({ enqueued: 5, released: 5, deadLettered: 0, queued: 0 });
    // Released, not leased: whoever drains this outbox next takes them at once.
    expect((await d.outbox.lease('stuck', 10, 1000)).map((r) => r.event.id)).toEqual(['e:0', 'e:1', 'e:2', 'e:3', 'e:4']);
  });

  it('rejects invalid options with a ConfigError', () => {
    expect(() => createDispatcher({ sinks: [] })).toThrow(ConfigError);
    expect(() => createDispatcher({ sinks: [scriptedSink('a', () => {})], batchSize: 0 })).toThrow(ConfigError);
    expect(() => createDispatcher({ sinks: [scriptedSink('a', () => {})], retry: { retries: -1 } })).toThrow(ConfigError);
  });

  it('names sinks without a name sink-<index> and de-duplicates equal names', async () => {
    const d = createDispatcher({ sinks: [{ write: async () => {} }, { name: 'x', write: async () => {} }, { name: 'x', write: async () => {} }] });
    expect(Object.keys(d.stats().sinks)).toEqual(['sink-0', 'x', 'x-2']);
    await d.close();
  });
});
