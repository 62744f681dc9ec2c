import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { SinkError } from '../../src/sinks/errors.js';
import { collectingDeadLetter, makeEvents, scriptedSink } from './helpers.js';

/** A sink whose calls wait until the test opens the gate. */
function gatedSink(name: string) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const sink = scriptedSink(name, () => gate);
  return { sink, open };
}

const ids = (events: readonly CanonicalEvent[]) => events.map((e) => e.id);
const until = async (ok: () => boolean) => {
  for (let i = 0; i < 300 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('dispatcher backpressure: a full lane sheds to the outbox, nothing is dropped', () => {
  it('holds at most maxQueue records, hands the rest back to the outbox and recovers them when there is room', async () => {
    const { sink, open } = gatedSink('gated');
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, batchSize: 1, maxQueue: 5, recoverEveryMs: 10 });
    const events = makeEvents(11);
    d.enqueue(events[0]!); // in flight at once (batchSize 1), blocked on the gate
    expect(d.enqueue(events.slice(1))).toBe(false);
    expect(d.stats().sinks.gated).toMatchObject({ enqueued: 11, shed: 5, queued: 6, inFlight: 1 });
    expect((await d.outbox.stats()).pending).toEqual({ gated: 11 });
    open();
    await until(() => sink.batches.flat().length === 11);
    await d.close();
    expect(ids(sink.batches.flat()).sort()).toEqual(ids(events).sort());
    expect(dlq.ids()).toEqual([]);
    expect(d.stats().sinks.gated).toMatchObject({ delivered: 11, recovered: 5, deadLettered: 0, queued: 0 });
    expect((await d.outbox.stats()).pending).toEqual({});
  });

  it('waitForCapacity resolves once the lane drains below maxQueue', async () => {
    const { sink, open } = gatedSink('gated');
    const d = createDispatcher({ sinks: [sink], batchSize: 1, maxQueue: 3 });
    const events = makeEvents(6);
    expect(d.enqueue(events.slice(0, 3))).toBe(true); // one in flight, two waiting
    expect(d.enqueue(events.slice(3))).toBe(false); // three waiting: full
    let hasRoom = false;
    const wait = d.waitForCapacity().then(() => (hasRoom = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(hasRoom).toBe(false);
    open();
    await wait;
    await d.close();
  });
});

describe('dispatcher TTL', () => {
  it('records older than eventTtlMs are dead-lettered as expired', async () => {
    const { sink, open } = gatedSink('gated');
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, batchSize: 1, eventTtlMs: 40, writeTimeoutMs: 0 });
    const events = makeEvents(5);
    d.enqueue(events.slice(0, 4)); // e:0 in flight, e:1..e:3 waiting
    await new Promise((r) => setTimeout(r, 60));
    d.enqueue(events[4]!); // the sweep on enqueue finds the expired head
    // Dead-lettering goes through the outbox (async): wait for it rather than for a fixed 5 ms,
    // which a loaded machine overran.
    await until(() => dlq.ids().length >= 3);
    expect(dlq.ids()).toEqual(['e:1', 'e:2', 'e:3']);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'expired', sink: 'gated' });
    open();
    await d.close();
    expect(ids(sink.batches.flat())).toEqual(['e:0', 'e:4']);
    expect(d.stats().sinks.gated).toMatchObject({ expired: 3, deadLettered: 3, delivered: 2, queued: 0 });
    expect((await d.outbox.deadLetters()).map((r) => [r.event.id, r.reason])).toEqual([
      ['e:1', 'expired'],
      ['e:2', 'expired'],
      ['e:3', 'expired'],
    ]);
  });

  it('records that expire between retries stop being retried and are dead-lettered as expired', async () => {
    const sink = scriptedSink('down', () => {
      throw new SinkError('down', 'down', { retryable: true });
    });
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, eventTtlMs: 50, retry: { retries: 1000, minTimeout: 10, maxTimeout: 10, factor: 1, randomize: false }, onError: () => {} });
    d.enqueue(makeEvents(3));
    await d.flush();
    expect(dlq.ids()).toEqual(['e:0', 'e:1', 'e:2']);
    expect(dlq.records[0]!.info.reason).toBe('expired');
    expect(dlq.records[0]!.info.attempts).toBeGreaterThan(1);
    expect(sink.calls).toBeLessThan(20);
    expect(d.stats().sinks.down).toMatchObject({ expired: 3, failed: 0, deadLettered: 3 });
    await d.close();
  });
});
