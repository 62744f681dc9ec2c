import type { CanonicalEvent, StatusEvent } from '../../src/event/types.js';
import type { DeadLetterInfo, DeadLetterSink, Sink, WriteContext } from '../../src/sinks/types.js';

/** `n` distinct status events; `pad` adds bytes to each (for size limits). */
export function makeEvents(n: number, prefix = 'e', pad = 0): StatusEvent[] {
  const out: StatusEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      schemaVersion: 1,
      id: `${prefix}:${i}`,
      kind: 'status',
      provider: 'cloud',
      accountId: 'waba-1',
      phoneNumberId: 'pn-1',
      occurredAt: '2024-05-01T10:00:00.000Z',
      receivedAt: '2024-05-01T10:00:01.000Z',
      messageId: `wamid.${prefix}${i}`,
      recipientId: '5511999990002',
      status: 'delivered',
      providerStatus: 'delivered',
      errors: [],
      ...(pad > 0 ? { bizOpaqueCallbackData: 'x'.repeat(pad) } : {}),
    });
  }
  return out;
}

/** The seeded PRNG (mulberry32) of `bluetick/testing`, so fault-injection runs are reproducible. */
export { seeded as seededRandom } from '../../src/testing/observations.js';

/** Counts, per event id, how many times a sink call that SUCCEEDED carried it. */
export function deliveryCounter() {
  const counts = new Map<string, number>();
  return {
    counts,
    record(batch: readonly CanonicalEvent[]) {
      for (const e of batch) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
    },
  };
}

export interface DeadLetterRecord {
  events: CanonicalEvent[];
  info: DeadLetterInfo;
}

/** A dead-letter sink that keeps what it receives. */
export function collectingDeadLetter(): DeadLetterSink & { records: DeadLetterRecord[]; ids(): string[] } {
  const records: DeadLetterRecord[] = [];
  return {
    name: 'dlq',
    records,
    ids: () => records.flatMap((r) => r.events.map((e) => e.id)),
    async write(batch, info) {
      records.push({ events: [...batch], info });
    },
  };
}

/** A sink that records successful batches and lets the test decide each call's outcome. */
export function scriptedSink(
  name: string,
  behave: (batch: CanonicalEvent[], ctx: WriteContext, call: number) => Promise<void> | void,
): Sink & { batches: CanonicalEvent[][]; calls: number } {
  const sink = {
    name,
    batches: [] as CanonicalEvent[][],
    calls: 0,
    async write(batch: CanonicalEvent[], ctx: WriteContext) {
      sink.calls++;
      await behave(batch, ctx, sink.calls);
      sink.batches.push([...batch]);
    },
  };
  return sink;
}

/** Resolves when `ctx.signal` aborts, rejecting with its reason: a sink that hangs until cut. */
export function hangUntilAborted(ctx: WriteContext): Promise<never> {
  return new Promise((_, reject) => {
    ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true });
  });
}

export const fastRetry = { retries: 3, minTimeout: 1, maxTimeout: 5, factor: 2, randomize: true };
