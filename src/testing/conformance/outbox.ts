/**
 * The outbox part of the {@link StateStore} conformance suite.
 */
import type { NotificationEvent } from '../../event/types.js';
import type { StateStore } from '../../storage/state-store.js';
import { observation, stepOf } from '../observations.js';
import { sleep, type ConformanceRunner } from './runner.js';

function notification(id: string): NotificationEvent {
  return { schemaVersion: 1, id, kind: 'notification', provider: 'cloud', accountId: 'conformance', phoneNumberId: null, occurredAt: '2023-11-14T22:13:20.000Z', receivedAt: '2023-11-14T22:13:20.000Z', topic: 'account_update', data: { id } };
}

/** Registers the outbox tests inside the state-store suite (same store, same prefix). */
export function registerOutboxTests(t: ConformanceRunner, store: () => StateStore, prefix: () => string): void {
  const { it, expect } = t;

  it('outbox: one record per claimed event and consumer, in event then consumer order, with its merge; none for duplicates', async () => {
    const p = prefix();
    const [a, b] = [`${p}-ca`, `${p}-cb`];
    const sent = observation(`${p}-m`, 'sent', 1_700_000_000);
    const note = notification(`${p}-n`);
    const first = await store().ingest(stepOf([sent], { others: [note], consumers: [a, b] }));
    expect(first.records.map((r) => [r.event.id, r.consumer])).toEqual([
      [sent.event.id, a],
      [sent.event.id, b],
      [note.id, a],
      [note.id, b],
    ]);
    expect(first.records[0]?.before).toBeNull();
    expect(first.records[0]?.after).toEqual(sent.observation);
    expect(first.records[0]?.attempts).toBe(0);
    expect(first.records[2]?.after === undefined).toBe(true);
    expect(new Set(first.records.map((r) => r.id)).size).toBe(4);
    const again = await store().ingest(stepOf([sent], { others: [note], consumers: [a, b] }));
    expect(again.records.length).toBe(0);
  });

  it('outbox: the appender holds its records; released ones are leased oldest first, up to the limit', async () => {
    const p = prefix();
    const consumer = `${p}-sink`;
    const events = Array.from({ length: 5 }, (_, i) => notification(`${p}-e${i}`));
    const { records } = await store().ingest(stepOf([], { others: events, consumers: [consumer] }));
    expect((await store().outbox.lease(consumer, 10, 60_000)).length).toBe(0);
    await store().outbox.release(consumer, records.map((r) => r.id));
    const firstTwo = await store().outbox.lease(consumer, 2, 60_000);
    expect(firstTwo.map((r) => r.event.id)).toEqual([`${p}-e0`, `${p}-e1`]);
    expect(firstTwo.map((r) => r.attempts)).toEqual([1, 1]);
    const rest = await store().outbox.lease(consumer, 10, 60_000);
    expect(rest.map((r) => r.event.id)).toEqual([`${p}-e2`, `${p}-e3`, `${p}-e4`]);
    expect((await store().outbox.lease(consumer, 10, 60_000)).length).toBe(0);
    await store().outbox.ack(consumer, [...firstTwo, ...rest].map((r) => r.id));
    expect((await store().outbox.stats()).pending[consumer] ?? 0).toBe(0);
  });

  it('outbox: a lease that ends makes records available again, attempts counted; acked ones never come back', async () => {
    const p = prefix();
    const consumer = `${p}-lease`;
    const { records } = await store().ingest(stepOf([], { others: [notification(`${p}-x`), notification(`${p}-y`)], consumers: [consumer], leaseMs: 300 }));
    await store().outbox.ack(consumer, [records[1]?.id as string]);
    await sleep(1_100);
    const back = await store().outbox.lease(consumer, 10, 300);
    expect(back.map((r) => [r.event.id, r.attempts])).toEqual([[`${p}-x`, 1]]);
    await sleep(1_100);
    const third = await store().outbox.lease(consumer, 10, 60_000);
    expect(third.map((r) => [r.event.id, r.attempts])).toEqual([[`${p}-x`, 2]]);
  });

  it('outbox: concurrent leasers never hold one record at once', async () => {
    const p = prefix();
    const consumer = `${p}-many`;
    const events = Array.from({ length: 60 }, (_, i) => notification(`${p}-e${i}`));
    const { records } = await store().ingest(stepOf([], { others: events, consumers: [consumer] }));
    await store().outbox.release(consumer, records.map((r) => r.id));
    const leased = await Promise.all(Array.from({ length: 8 }, () => store().outbox.lease(consumer, 10, 60_000)));
    const ids = leased.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(60);
  });

  it('outbox: dead letters are listed with their reason and can be replayed', async () => {
    const p = prefix();
    const consumer = `${p}-dl`;
    const { records } = await store().ingest(stepOf([], { others: [notification(`${p}-bad`), notification(`${p}-ok`)], consumers: [consumer] }));
    await store().outbox.deadLetter(consumer, [{ id: records[0]?.id as string, reason: 'non_retryable', message: 'HTTP 400', attempts: 1 }]);
    const dead = await store().outbox.deadLetters({ consumer });
    expect(dead.map((d) => [d.event.id, d.reason, d.message, d.attempts])).toEqual([[`${p}-bad`, 'non_retryable', 'HTTP 400', 1]]);
    const stats = await store().outbox.stats();
    expect(stats.deadLetters[consumer]).toBe(1);
    expect(stats.pending[consumer]).toBe(1);
    expect(await store().outbox.replay({ consumer })).toBe(1);
    expect((await store().outbox.deadLetters({ consumer })).length).toBe(0);
    const again = await store().outbox.lease(consumer, 10, 60_000);
    expect(again.map((r) => r.event.id)).toEqual([`${p}-bad`]);
  });
}
