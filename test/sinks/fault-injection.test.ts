import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../src/event/types.js';
import { createDispatcher } from '../../src/sinks/dispatcher.js';
import { PartialBatchError, SinkError } from '../../src/sinks/errors.js';
import type { Sink, WriteContext } from '../../src/sinks/types.js';
import { collectingDeadLetter, deliveryCounter, hangUntilAborted, makeEvents, seededRandom } from './helpers.js';

/** A sink that records delivery only for calls (or parts of calls) that succeed. */
function faultySink(name: string, fault: (batch: CanonicalEvent[], ctx: WriteContext) => Promise<CanonicalEvent[]>) {
  const delivered = deliveryCounter();
  const sink: Sink = {
    name,
    async write(batch, ctx) {
      const failed = await fault(batch, ctx);
      const failedSet = new Set(failed);
      delivered.record(batch.filter((e) => !failedSet.has(e)));
      if (failed.length > 0) throw new PartialBatchError({ failed });
    },
  };
  return { sink, delivered };
}

describe('dispatcher under fault injection (seeded)', () => {
  it('every event is delivered exactly once or dead-lettered, and the counts add up', async () => {
    const random = seededRandom(20240501);
    // 30% of calls fail outright; 10% more fail for a random subset of their events.
    const flaky = faultySink('flaky-30', async (batch) => {
      const roll = random();
      if (roll < 0.3) throw new SinkError('flaky', 'injected failure', { retryable: true });
      if (roll < 0.4) return batch.filter(() => random() < 0.5);
      return [];
    });
    // Half of the calls hang until the write timeout aborts them.
    const hanging = faultySink('hangs-50', async (batch, ctx) => {
      if (random() < 0.5) await hangUntilAborted(ctx);
      return [];
    });
    const down = faultySink('down', async () => {
      throw new Error('ECONNREFUSED (injected)');
    });
    const dlq = collectingDeadLetter();
    const dispatcher = createDispatcher({
      sinks: [flaky.sink, hanging.sink, down.sink],
      deadLetter: dlq,
      batchSize: 25,
      flushIntervalMs: 2,
      writeTimeoutMs: 15,
      retry: { retries: 4, minTimeout: 1, maxTimeout: 4, factor: 2, randomize: true },
      onError: () => {},
    });
    const events = makeEvents(1500);
    for (let i = 0; i < events.length; i += 50) {
      dispatcher.enqueue(events.slice(i, i + 50));
      await new Promise((r) => setTimeout(r, 1));
    }
    await dispatcher.close();

    const dlqCounts = new Map<string, Map<string, number>>();
    for (const { events: dead, info } of dlq.records) {
      const perSink = dlqCounts.get(info.sink) ?? new Map<string, number>();
      for (const e of dead) perSink.set(e.id, (perSink.get(e.id) ?? 0) + 1);
      dlqCounts.set(info.sink, perSink);
      expect(['retries_exhausted', 'non_retryable']).toContain(info.reason);
    }
    const stats = dispatcher.stats();
    for (const { sink, delivered } of [flaky, hanging, down]) {
      const name = sink.name!;
      const dead = dlqCounts.get(name) ?? new Map<string, number>();
      for (const e of events) {
        const times = (delivered.counts.get(e.id) ?? 0) + (dead.get(e.id) ?? 0);
        expect(times, `${name} ${e.id}`).toBe(1);
      }
      const s = stats.sinks[name]!;
      expect(s.enqueued).toBe(events.length);
      expect(s.queued).toBe(0);
      expect(s.delivered).toBe(delivered.counts.size);
      expect(s.deadLettered).toBe(dead.size);
      expect(s.enqueued).toBe(s.delivered + s.deadLettered + s.queued + s.shed + s.released);
      expect(s.failed + s.expired).toBe(s.deadLettered);
    }
    // The faults really happened: retries ran, the flaky sink lost some and kept most.
    expect(stats.sinks['flaky-30']!.retried).toBeGreaterThan(0);
    expect(stats.sinks['hangs-50']!.retried).toBeGreaterThan(0);
    expect(stats.sinks.down).toMatchObject({ delivered: 0, deadLettered: events.length });
    expect(stats.sinks['flaky-30']!.delivered).toBeGreaterThan(events.length * 0.9);
    expect(stats.deadLetter.written).toBe(stats.totals.deadLettered);
    // The outbox agrees: nothing pending, every dead letter recorded once.
    const outbox = await dispatcher.outbox.stats();
    expect(outbox.pending).toEqual({});
    expect(Object.values(outbox.deadLetters).reduce((a, b) => a + b, 0)).toBe(stats.totals.deadLettered);
  });
});
