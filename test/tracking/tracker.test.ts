import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import type { StorageAdapter } from '../../src/storage/adapter.js';
import { memoryStore } from '../../src/storage/memory-store.js';
import { TrackingError } from '../../src/tracking/errors.js';
import { createTracker } from '../../src/tracking/tracker.js';
import type { Transition } from '../../src/tracking/tracker-types.js';
import { messageEvent, notificationEvent, statusEvent } from './make-event.js';

describe('createTracker', () => {
  it('counts and emits duplicates, and drops them', async () => {
    const tracker = createTracker();
    const dups: CanonicalEvent[] = [];
    const statuses: string[] = [];
    tracker.on('duplicate', (e) => void dups.push(e));
    tracker.on('status', (e, view) => void statuses.push(`${e.status}->${view.status}`));
    const sent = statusEvent({ status: 'sent', at: 1 });
    const msg = messageEvent('wamid.IN1');
    const first = await tracker.ingest([sent, msg, sent]);
    expect(first).toMatchObject({ received: 3, accepted: 2, duplicates: 1, transitions: 1 });
    const second = await tracker.ingest({ provider: 'cloud', events: [sent, msg] });
    expect(second).toMatchObject({ accepted: 0, duplicates: 2, transitions: 0 });
    expect(dups.map((e) => e.id)).toEqual([sent.id, sent.id, msg.id]);
    expect(statuses).toEqual(['sent->sent']);
  });

  it('emits a transition exactly once per presented change (delivered arriving last)', async () => {
    const tracker = createTracker();
    const seen: Transition[] = [];
    tracker.on('transition', (t) => void seen.push(t));
    const sent = statusEvent({ status: 'sent', at: 10 });
    const read = statusEvent({ status: 'read', at: 30 });
    const delivered = statusEvent({ status: 'delivered', at: 20 });
    await tracker.ingest([sent, read]);
    await tracker.ingest([delivered, delivered, read]);
    const report = await tracker.ingest(delivered);
    expect(report.transitions).toBe(0);
    expect(seen.map((t) => [t.before?.status ?? null, t.after.status, t.after.deliveredImplied])).toEqual([
      [null, 'sent', false],
      ['sent', 'read', true],
      ['read', 'read', false], // delivered arrives: same status, deliveredAt no longer implied
    ]);
    expect(seen[2]?.after.deliveredAt).toBe(new Date(20_000).toISOString());
  });

  it('awaits async listeners and collects their failures without losing the event', async () => {
    const tracker = createTracker();
    const order: string[] = [];
    const reported: unknown[] = [];
    tracker.on('message', async (e) => {
      await new Promise((r) => setTimeout(r, 20));
      order.push(`slow:${e.id}`);
    });
    tracker.on('message', async () => {
      throw new Error('boom async');
    });
    tracker.on('notification', () => {
      throw new Error('boom sync');
    });
    tracker.on('error', (err) => void reported.push((err as Error).message));
    const report = await tracker.ingest([messageEvent('m1'), notificationEvent('n1')]);
    expect(order).toEqual(['slow:m1']); // awaited before ingest resolved
    expect(report.accepted).toBe(2);
    expect(report.errors.map((f) => [f.source, (f.error as Error).message]).sort()).toEqual([
      ['message', 'boom async'],
      ['notification', 'boom sync'],
    ]);
    expect(reported.sort()).toEqual(['boom async', 'boom sync']);
    // Failures do not mark the events as unseen: they are now duplicates.
    expect((await tracker.ingest([messageEvent('m1')])).duplicates).toBe(1);
  });

  it('forwards each batch of accepted events once, and reports a failing forward hook', async () => {
    const batches: string[][] = [];
    const tracker = createTracker({ forward: (events) => void batches.push(events.map((e) => e.id)) });
    await tracker.ingest([messageEvent('a'), messageEvent('a'), statusEvent({ status: 'sent', id: 's1' })]);
    await tracker.ingest([messageEvent('a')]);
    expect(batches).toEqual([['a', 's1']]);
    const failing = createTracker({
      forward: async () => {
        throw new Error('sink down');
      },
    });
    const report = await failing.ingest([messageEvent('b')]);
    expect(report.errors.map((f) => f.source)).toEqual(['forward']);
  });

  it('propagates store failures as StorageError and reports nothing as accepted', async () => {
    const store = memoryStore();
    let fail = true;
    const flaky: StorageAdapter = {
      claim: (id, ttl) => store.claim(id, ttl),
      get: (key) => store.get(key),
      close: () => store.close(),
      merge: async (key, obs) => {
        if (fail) throw new Error('ECONNREFUSED');
        return store.merge(key, obs);
      },
    };
    const tracker = createTracker({ store: flaky });
    const transitions: Transition[] = [];
    tracker.on('transition', (t) => void transitions.push(t));
    const sent = statusEvent({ status: 'sent' });
    const error = await tracker.ingest([sent]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).status).toBe(503);
    expect(transitions).toHaveLength(0);
    // The provider retries: the id was claimed by the failed attempt, yet the event is not lost.
    fail = false;
    const retry = await tracker.ingest([sent]);
    expect(retry).toMatchObject({ accepted: 1, duplicates: 0, transitions: 1 });
    expect((await tracker.ingest([sent])).duplicates).toBe(1);
  });

  it('track() seeds a pending state that status events then advance; WASender msgId aliases resolve', async () => {
    const tracker = createTracker({ provider: 'wasender', accountId: 'sess1' });
    const transitions: string[] = [];
    tracker.on('transition', (t) => void transitions.push(t.after.status));
    const seeded = await tracker.track({ messageId: 'ABCD', recipientId: '+1 (555) 000-1111', wasenderMsgId: 42, campaign: 'spring', tags: ['b', 'a'], sentAt: 1_700_000_000_000 });
    expect(seeded).toMatchObject({ status: 'pending', tracked: true, recipientId: '15550001111', meta: { campaign: 'spring', tags: ['a', 'b'], wasenderMsgId: '42' } });
    await tracker.ingest(statusEvent({ provider: 'wasender', accountId: 'sess1', messageId: '42', status: 'delivered', at: 1_700_000_100 }));
    const state = await tracker.getState('ABCD');
    expect(state).toMatchObject({ status: 'delivered', messageId: 'ABCD', tracked: true, sentImplied: true });
    expect(await tracker.getState('42')).toEqual(state);
    expect(transitions).toEqual(['pending', 'delivered']);
    await expect(createTracker().track({ messageId: 'x', recipientId: '1' })).rejects.toBeInstanceOf(TrackingError);
  });

  it('summarizes a group message per participant and refuses an ambiguous getState', async () => {
    const tracker = createTracker();
    const g = { recipientId: 'group@g.us' };
    await tracker.ingest([
      statusEvent({ ...g, status: 'sent', at: 1 }),
      statusEvent({ ...g, participantId: 'p1', status: 'read', at: 3 }),
      statusEvent({ ...g, participantId: 'p2', status: 'delivered', at: 2 }),
      statusEvent({ ...g, participantId: 'p3', status: 'failed', at: 2, errors: [{ code: '131026', class: 'permanent' }] }),
    ]);
    const summary = await tracker.getGroupSummary('wamid.M1');
    expect(summary).toMatchObject({ total: 3, deliveredCount: 2, readCount: 1, playedCount: 0, failedCount: 1 });
    expect(summary.participants.map((p) => p.participantId)).toEqual(['p1', 'p2', 'p3']);
    expect(summary.group?.status).toBe('sent');
    expect((await tracker.getState('wamid.M1', 'p1'))?.status).toBe('read');
    expect((await tracker.getState('wamid.M1'))?.status).toBe('sent');
    await tracker.ingest(statusEvent({ status: 'sent', recipientId: '999', id: 'other-recipient' }));
    await expect(tracker.getState('wamid.M1')).rejects.toMatchObject({ code: 'ambiguous_message' });
    expect((await tracker.getState({ messageId: 'wamid.M1', recipientId: '999' }))?.recipientId).toBe('999');
    expect(await tracker.getState('nope')).toBeNull();
  });

  it('sweepStale emits each stuck message once per status; close() stops everything', async () => {
    let clock = 1_700_000_000_000;
    const tracker = createTracker({ now: () => clock });
    const stale: string[] = [];
    tracker.on('stale', (s) => void stale.push(`${s.state.messageId}:${s.state.status}`));
    await tracker.ingest([
      statusEvent({ messageId: 'old', status: 'sent', at: 1_699_990_000 }),
      statusEvent({ messageId: 'new', status: 'sent', at: 1_699_999_990 }),
      statusEvent({ messageId: 'done', status: 'delivered', at: 1_699_990_000 }),
      statusEvent({ messageId: 'bad', status: 'failed', at: 1_699_990_000, errors: [{ code: '1', class: 'retryable' }] }),
    ]);
    const found = await tracker.findStale({ olderThanMs: 60_000, status: 'sent' });
    expect(found.map((s) => s.state.messageId)).toEqual(['old']);
    expect(found[0]?.ageMs).toBe(10_000_000);
    await tracker.sweepStale({ olderThanMs: 60_000 });
    await tracker.sweepStale({ olderThanMs: 60_000 });
    expect(stale).toEqual(['old:sent']);
    clock += 3_600_000;
    await tracker.sweepStale({ olderThanMs: 60_000 });
    expect(stale).toEqual(['old:sent', 'new:sent']);
    await tracker.close();
    await expect(tracker.ingest([])).rejects.toMatchObject({ code: 'closed' });
  });

  it('runs the periodic stale check on an unref’d timer', async () => {
    const tracker = createTracker({ staleCheck: { everyMs: 10, olderThanMs: 0 } });
    const hit = new Promise<string>((resolve) => tracker.once('stale', (s) => resolve(s.key)));
    await tracker.ingest(statusEvent({ status: 'sent', at: 1 }));
    expect(await hit).toBe('cloud:waba1:wamid.M1:15550001111');
    await tracker.close();
  });
});

