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

describe('dispatcher overflow policies', () => {
  it('drop-oldest drops, counts, reports via onDrop and dead-letters with reason overflow', async () => {
    const { sink, open } = gatedSink('gated');
    const dlq = collectingDeadLetter();
    const dropped: { ids: string[]; policy: string }[] = [];
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, batchSize: 1, maxQueue: 5, overflow: 'drop-oldest', onDrop: (events, info) => dropped.push({ ids: ids(events), policy: info.policy }) });
    const events = makeEvents(11);
    d.enqueue(events[0]!); // goes in flight at once (batchSize 1) and blocks on the gate
    expect(d.enqueue(events.slice(1))).toBe(false);
    expect(dropped).toEqual([{ ids: ['e:1', 'e:2', 'e:3', 'e:4', 'e:5'], policy: 'drop-oldest' }]);
    expect(d.stats().sinks.gated).toMatchObject({ enqueued: 11, dropped: 5, inFlight: 1 });
    open();
    await d.close();
    expect(ids(sink.batches.flat())).toEqual(['e:0', 'e:6', 'e:7', 'e:8', 'e:9', 'e:10']);
    expect(dlq.ids()).toEqual(['e:1', 'e:2', 'e:3', 'e:4', 'e:5']);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'overflow', sink: 'gated', attempts: 0 });
    const s = d.stats().sinks.gated!;
    expect(s).toMatchObject({ delivered: 6, dropped: 5, deadLettered: 5, queued: 0 });
    expect(s.enqueued).toBe(s.delivered + s.deadLettered + s.discarded + s.queued);
  });

  it('drop-newest keeps the queue and drops the incoming events; without a DLQ they count as discarded', async () => {
    const { sink, open } = gatedSink('gated');
    const dropped: string[] = [];
    const d = createDispatcher({ sinks: [sink], batchSize: 1, maxQueue: 5, overflow: 'drop-newest', onDrop: (events) => dropped.push(...ids(events)) });
    const events = makeEvents(11);
    d.enqueue(events[0]!);
    d.enqueue(events.slice(1));
    expect(dropped).toEqual(['e:6', 'e:7', 'e:8', 'e:9', 'e:10']);
    open();
    await d.close();
    expect(ids(sink.batches.flat())).toEqual(['e:0', 'e:1', 'e:2', 'e:3', 'e:4', 'e:5']);
    expect(d.stats().sinks.gated).toMatchObject({ enqueued: 11, delivered: 6, dropped: 5, discarded: 5, deadLettered: 0, queued: 0 });
  });

  it('block drops nothing: enqueue returns false and waitForCapacity resolves once the queue drains', async () => {
    const { sink, open } = gatedSink('gated');
    const d = createDispatcher({ sinks: [sink], batchSize: 1, maxQueue: 3, overflow: 'block' });
    const events = makeEvents(6);
    expect(d.enqueue(events.slice(0, 3))).toBe(true); // one in flight, two waiting
    expect(d.enqueue(events.slice(3))).toBe(false); // five waiting > maxQueue
    let hasRoom = false;
    const wait = d.waitForCapacity().then(() => (hasRoom = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(hasRoom).toBe(false);
    open();
    await wait;
    await d.close();
    expect(ids(sink.batches.flat())).toEqual(ids(events));
    expect(d.stats().sinks.gated).toMatchObject({ dropped: 0, delivered: 6 });
  });
});

describe('dispatcher TTL', () => {
  it('events that wait longer than eventTtlMs in the queue are dead-lettered as expired', async () => {
    const { sink, open } = gatedSink('gated');
    const dlq = collectingDeadLetter();
    const d = createDispatcher({ sinks: [sink], deadLetter: dlq, batchSize: 1, eventTtlMs: 40, writeTimeoutMs: 0 });
    const events = makeEvents(5);
    d.enqueue(events.slice(0, 4)); // e:0 in flight, e:1..e:3 waiting
    await new Promise((r) => setTimeout(r, 60));
    d.enqueue(events[4]!); // the sweep on enqueue finds the expired head
    await new Promise((r) => setTimeout(r, 5));
    expect(dlq.ids()).toEqual(['e:1', 'e:2', 'e:3']);
    expect(dlq.records[0]!.info).toMatchObject({ reason: 'expired', sink: 'gated' });
    open();
    await d.close();
    // e:0 was already in its first attempt, e:4 is fresh: both delivered.
    expect(ids(sink.batches.flat())).toEqual(['e:0', 'e:4']);
    expect(d.stats().sinks.gated).toMatchObject({ expired: 3, deadLettered: 3, delivered: 2, queued: 0 });
  });

  it('events that expire between retries stop being retried and go to the DLQ as expired', async () => {
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
