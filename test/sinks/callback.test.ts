import { describe, expect, it } from 'vitest';
import { callbackSink } from '../../src/sinks/callback.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { SinkError } from '../../src/sinks/errors.js';
import { collectingDeadLetter, makeEvents } from './helpers.js';

describe('callbackSink', () => {
  it('passes batches and the attempt context to the function, and closes through the dispatcher', async () => {
    const seen: { ids: string[]; attempt: number; aborted: boolean }[] = [];
    let closed = false;
    const sink = callbackSink(
      (batch, ctx) => {
        seen.push({ ids: batch.map((e) => e.id), attempt: ctx.attempt, aborted: ctx.signal.aborted });
      },
      { name: 'fn', close: async () => { closed = true; } },
    );
    const d = createDispatcher({ sinks: [sink], batchSize: 2 });
    d.enqueue(makeEvents(3));
    await d.close();
    expect(seen).toEqual([
      { ids: ['e:0', 'e:1'], attempt: 1, aborted: false },
      { ids: ['e:2'], attempt: 1, aborted: false },
    ]);
    expect(closed).toBe(true);
    expect(d.stats().sinks.fn).toMatchObject({ delivered: 3 });
  });

  it('a throwing function fails the batch like any sink (non-retryable SinkError → DLQ after one call)', async () => {
    let calls = 0;
    const dlq = collectingDeadLetter();
    const sink = callbackSink(() => {
      calls++;
      throw new SinkError('invalid', 'rejected by the callback', { retryable: false });
    });
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, onError: () => {} });
    d.enqueue(makeEvents(2));
    await d.close();
    expect(calls).toBe(1);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'non_retryable', sink: 'callback' });
  });

  // Before describeValue (src/internal/describe.ts), String() on these threw inside the dispatcher:
  // an unhandled rejection, and the records neither delivered, dead-lettered nor counted.
  for (const [name, thrown] of [
    ['an object without a prototype', () => Object.create(null) as unknown],
    ['an object whose toString is not a function', () => ({ toString: 'x' })],
  ] as const) {
    it(`a function throwing ${name} dead-letters the batch with a readable message`, async () => {
      const dlq = collectingDeadLetter();
      const sink = callbackSink(() => {
        throw thrown();
      });
      const d = createDispatcher({ sinks: [sink], deadLetter: dlq, onError: () => {}, retry: { retries: 1, minTimeout: 1, maxTimeout: 1 } });
      d.enqueue(makeEvents(2));
      await d.close();
      expect(dlq.records.flatMap((r) => r.events.map((e) => e.id))).toEqual(['e:0', 'e:1']);
      expect(dlq.records[0]!.info).toMatchObject({ reason: 'retries_exhausted', sink: 'callback', message: 'gave up after 2 attempt(s): [object Object]' });
      expect(d.stats().sinks.callback).toMatchObject({ deadLettered: 2, delivered: 0 });
    });
  }
});
