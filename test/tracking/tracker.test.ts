import { describe, expect, it } from 'vitest';
import { StorageError } from '../../src/errors.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { stateKey } from '../../src/state/key.js';
import { memoryStore } from '../../src/storage/memory-store.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import type { StateStore } from '../../src/storage/state-store.js';
import { TrackingError } from '../../src/tracking/errors.js';
import { callbackSink } from '../../src/sinks/callback.js';
import { createTracker } from '../../src/tracking/tracker.js';
import type { Transition } from '../../src/tracking/tracker-types.js';
import { messageEvent, notificationEvent, statusEvent } from './make-event.js';

const steps = (t: Transition[]) => t.map((x) => `${x.before?.status ?? '∅'}→${x.after.status}`);

describe('createTracker', () => {
  it('counts duplicates and emits nothing else for them', async () => {
    const tracker = createTracker();
    const dups: CanonicalEvent[] = [];
    const statuses: string[] = [];
    tracker.on('duplicate', (e) => void dups.push(e));
    tracker.on('status', (e, view) => void statuses.push(`${e.status}->${view.status}`));
    const sent = statusEvent({ status: 'sent', at: 1 });
    const msg = messageEvent('wamid.IN1');
    const first = await tracker.ingest([sent, msg, sent]);
    expect(first).toMatchObject({ received: 3, accepted: 2, duplicates: 1, transitions: 1, changes: 0 });
    const second = await tracker.ingest({ provider: 'cloud', events: [sent, msg] });
    expect(second).toMatchObject({ accepted: 0, duplicates: 2, transitions: 0, changes: 0 });
    expect(dups.map((e) => e.id)).toEqual([sent.id, sent.id, msg.id]);
    expect(statuses).toEqual(['sent->sent']);
  });

  it('transition fires once per status reached, change for every other presented change, nothing for duplicates', async () => {
    const tracker = createTracker({ provider: 'cloud' });
    const transitions: Transition[] = [];
    const changes: Transition[] = [];
    tracker.on('transition', (t) => void transitions.push(t));
    tracker.on('change', (t) => void changes.push(t));
    await tracker.track({ messageId: 'wamid.M1', recipientId: '15550001111', sentAt: 5_000 });
    const sent = statusEvent({ status: 'sent', at: 10 });
    const delivered = statusEvent({ status: 'delivered', at: 20 });
    const read = statusEvent({ status: 'read', at: 30 });
    await tracker.ingest(read); // read first: sent and delivered are implied
    await tracker.ingest([delivered, sent, read, delivered]); // late and duplicated
    await tracker.ingest(statusEvent({ status: 'failed', at: 40, errors: [{ code: '131026', class: 'permanent' }] }));
    expect(steps(transitions)).toEqual(['∅→pending', 'pending→read']);
    expect(transitions.map((t) => t.origin)).toEqual(['track', 'ingest']);
    // delivered then sent refine implied times; the late failure only flags failedAfterDelivery.
    expect(changes.map((c) => [c.after.status, c.after.deliveredImplied, c.after.sentImplied, c.after.failedAfterDelivery])).toEqual([
      ['read', false, true, false],
      ['read', false, false, false],
      ['read', false, false, true],
    ]);
    expect(changes[0]?.after.deliveredAt).toBe(new Date(20_000).toISOString());
  });

  it('in order: pending → sent → delivered → read, once each', async () => {
    const tracker = createTracker({ provider: 'cloud' });
    const transitions: Transition[] = [];
    tracker.on('transition', (t) => void transitions.push(t));
    await tracker.track({ messageId: 'wamid.M1', recipientId: '15550001111', sentAt: 5_000 });
    for (const status of ['sent', 'delivered', 'read'] as const) await tracker.ingest(statusEvent({ status, at: { sent: 10, delivered: 20, read: 30 }[status] }));
    await tracker.ingest([statusEvent({ status: 'delivered', at: 20 }), statusEvent({ status: 'sent', at: 10 })]);
    expect(steps(transitions)).toEqual(['∅→pending', 'pending→sent', 'sent→delivered', 'delivered→read']);
  });

  it('identity: track() with the host’s spellings and the provider’s webhooks meet in ONE state', async () => {
    const tracker = createTracker();
    await tracker.track({ provider: 'cloud', messageId: 'wamid.A', accountId: 'my-waba', recipientId: '+1 650 555 1234', campaign: 'spring' });
    expect(await tracker.getState('wamid.A')).toMatchObject({ status: 'pending', accountId: 'my-waba', recipientId: '16505551234' });
    await tracker.ingest(statusEvent({ messageId: 'wamid.A', accountId: '102290129340398', recipientId: '16505551234', status: 'delivered', at: 20 }));
    const state = await tracker.getState('wamid.A');
    expect(state).toMatchObject({ status: 'delivered', accountId: '102290129340398', recipientId: '16505551234', tracked: true, meta: { campaign: 'spring', accountId: 'my-waba', recipientId: '16505551234' } });
    expect((await tracker.store.findByMessage({ messageId: 'wamid.A' })).length).toBe(1);
    const funnel = await tracker.funnel({ from: 0, to: Date.now() + 1000 });
    expect(funnel.total).toBe(1);
    expect(funnel.delivered).toBe(1);
  });

  it('awaits async listeners after the commit and collects their failures without losing the event', async () => {
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

  it('a failed store step is all-or-nothing: StorageError, nothing emitted, the retry is processed (not a duplicate)', async () => {
    const inner = memoryStore();
    let fail = true;
    const flaky: StateStore = {
      ...inner,
      ingest: async (step) => {
        if (fail) throw new Error('ECONNREFUSED');
        return inner.ingest(step);
      },
    };
    const tracker = createTracker({ store: flaky });
    const seen: string[] = [];
    tracker.on('transition', (t) => void seen.push(t.after.status));
    tracker.on('message', (m) => void seen.push(m.id));
    const batch = [statusEvent({ status: 'sent' }), messageEvent('in-1')];
    const error = await tracker.ingest(batch).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).status).toBe(503);
    expect(seen).toEqual([]);
    fail = false;
    expect(await tracker.ingest(batch)).toMatchObject({ accepted: 2, duplicates: 0, transitions: 1 });
    expect(seen).toEqual(['sent', 'in-1']);
    expect((await tracker.ingest(batch)).duplicates).toBe(2);
  });

  it('refuses input that is not canonical events before any store call', async () => {
    let steps = 0;
    const inner = memoryStore();
    const tracker = createTracker({ store: { ...inner, ingest: (s) => (steps++, inner.ingest(s)) } });
    const raw = { object: 'whatsapp_business_account', entry: [] };
    await expect(tracker.ingest(raw as never)).rejects.toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/normalize\(body\)/) });
    await expect(tracker.ingest([{ id: 'x' }] as never)).rejects.toBeInstanceOf(TrackingError);
    await expect(tracker.ingest([statusEvent({ status: 'sent', messageId: '' })])).rejects.toMatchObject({ code: 'invalid_input' });
    expect(steps).toBe(0);
  });

  it('track() seeds a pending state; WASender numeric send ids resolve through the store, in any tracker', async () => {
    const store = memoryStore();
    const sender = createTracker({ store, provider: 'wasender', accountId: 'sess1', closeStore: false });
    const seeded = await sender.track({ messageId: 'ABCD', recipientId: '+1 (555) 000-1111', wasenderMsgId: 42, campaign: 'spring', tags: ['b', 'a'], sentAt: 1_700_000_000_000 });
    expect(seeded).toMatchObject({ status: 'pending', tracked: true, recipientId: '15550001111', meta: { campaign: 'spring', tags: ['a', 'b'], wasenderMsgId: '42' } });
    // Another tracker (another process) on the same store receives the webhook naming the numeric id.
    const receiver = createTracker({ store });
    const transitions: string[] = [];
    receiver.on('transition', (t) => void transitions.push(`${t.after.messageId}:${t.after.status}`));
    await receiver.ingest(statusEvent({ provider: 'wasender', accountId: 'sess1', messageId: '42', status: 'delivered', at: 1_700_000_100 }));
    const state = await receiver.getState('ABCD');
    expect(state).toMatchObject({ status: 'delivered', messageId: 'ABCD', tracked: true, sentImplied: true });
    expect(await receiver.getState('42')).toEqual(state);
    expect(transitions).toEqual(['ABCD:delivered']);
    await expect(createTracker().track({ messageId: 'x', recipientId: '1' })).rejects.toBeInstanceOf(TrackingError);
    await sender.close();
    await receiver.close();
  });

  it('getState(messageId) of a group message: the message with its participants’ summary; one participant on request', async () => {
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
    expect(await tracker.getState('wamid.M1')).toMatchObject({ status: 'sent', participantId: null, participants: { total: 3, delivered: 2, read: 1, played: 0, failed: 1 } });
    expect((await tracker.getState({ messageId: 'wamid.M1', participantId: 'p1' }))?.status).toBe('read');
    expect(await tracker.getState({ messageId: 'wamid.M1', participantId: 'p9' })).toBeNull();
    expect(await tracker.getState('nope')).toBeNull();
    // Only participants reported: the message is the furthest any got.
    await tracker.ingest([statusEvent({ messageId: 'wamid.M2', participantId: 'p1', status: 'delivered', at: 4 }), statusEvent({ messageId: 'wamid.M2', participantId: 'p2', status: 'sent', at: 4 })]);
    expect(await tracker.getState('wamid.M2')).toMatchObject({ status: 'delivered', participantId: null, participants: { total: 2, delivered: 1 } });
  });

  it('sanitizes NUL and lone surrogates the one documented way before storing and emitting', async () => {
    const tracker = createTracker();
    const titles: string[] = [];
    tracker.on('transition', (t) => void titles.push(...t.after.errors.map((e) => e.title ?? '')));
    await tracker.ingest(statusEvent({ status: 'failed', at: 1, errors: [{ code: '1', class: 'unknown', title: 'bad\u0000byte \ud800 😀' }] }));
    expect(titles).toEqual(['bad\uFFFDbyte \uFFFD 😀']);
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
    expect(await hit).toBe(stateKey({ provider: 'cloud', messageId: 'wamid.M1' }));
    await tracker.close();
  });

  it('close() closes the store it was given, unless closeStore: false; ready() reflects the store', async () => {
    const given = memoryStore();
    await createTracker({ store: given }).close();
    await expect(given.ping()).rejects.toMatchObject({ code: 'closed' });
    const kept = memoryStore();
    const t = createTracker({ store: kept, closeStore: false });
    await t.ready();
    await t.close();
    await expect(kept.ping()).resolves.toBeUndefined();
  });

  it('close() waits for ingests in flight', async () => {
    const inner = memoryStore();
    const slow: StateStore = { ...inner, ingest: async (s) => (await new Promise((r) => setTimeout(r, 50)), inner.ingest(s)) };
    const tracker = createTracker({ store: slow, closeStore: false });
    const pending = tracker.ingest(messageEvent('late'));
    await tracker.close();
    await expect(pending).resolves.toMatchObject({ accepted: 1 });
  });

  it('a store that throws a value String() cannot print still fails ingest with a StorageError', async () => {
    const inner = memoryStore();
    const broken: StateStore = { ...inner, ingest: async () => Promise.reject(Object.create(null) as Error) };
    const tracker = createTracker({ store: broken });
    await expect(tracker.ingest([messageEvent('m-broken')])).rejects.toMatchObject({ name: 'StorageError', code: 'unavailable', message: 'Storage failed: [object Object]' });
    await tracker.close();
  });

  it('group commit: concurrent ingests share store steps and each gets its own results', async () => {
    const inner = memoryStore();
    let calls = 0;
    const counting: StateStore = {
      ...inner,
      ingest: async (s) => {
        calls++;
        await new Promise((r) => setTimeout(r, 5));
        return inner.ingest(s);
      },
    };
    const tracker = createTracker({ store: counting, groupCommit: { concurrency: 1 } });
    const reports = await Promise.all(Array.from({ length: 40 }, (_, i) => tracker.ingest([messageEvent(`m${i}`), messageEvent(`m${(i + 1) % 40}`)])));
    expect(calls).toBeLessThan(10);
    expect(reports.reduce((n, r) => n + r.accepted, 0)).toBe(40);
    expect(reports.reduce((n, r) => n + r.duplicates, 0)).toBe(40);
    expect(reports.every((r) => r.received === 2)).toBe(true);
  });

  it('durable listeners: records of a process that stopped before its listeners ran are run by another tracker', async () => {
    // The memory store's outbox dies with its process (durable: false), so trackers skip listener
    // records there; this stands in for a durable store (test/tracking/listener-recovery.test.ts
    // does the same on real Redis and PostgreSQL).
    const memory = memoryStore();
    const store: StateStore = { ...memory, outbox: Object.assign(Object.create(memory.outbox) as typeof memory.outbox, { durable: true }) };
    // "Process A" committed a status and a message with listener records, then died (lease 50 ms).
    const sent = statusEvent({ status: 'sent', at: 10 });
    const committed = await store.ingest({
      events: [sent, messageEvent('in-9')],
      merges: [{ key: stateKey(sent), observation: (await import('../../src/state/observe.js')).observe(sent), event: 0 }],
      claimTtlMs: 60_000,
      outbox: { consumers: [LISTENERS_CONSUMER], leaseMs: 50 },
    });
    expect(committed.records).toHaveLength(2);
    // "Process B" has listeners; its recovery loop finds the orphaned records once the lease ended.
    const tracker = createTracker({ store, recoverEveryMs: 20, closeStore: false });
    const got: string[] = [];
    const done = new Promise<void>((resolve) => {
      tracker.on('transition', (t) => void got.push(`${t.after.status}:${t.recovered === true}`));
      tracker.on('message', (m) => {
        got.push(m.id);
        resolve();
      });
    });
    await done;
    expect(got.sort()).toEqual(['in-9', 'sent:true']);
    await tracker.close();
    expect((await store.outbox.stats()).pending[LISTENERS_CONSUMER] ?? 0).toBe(0);
  });

  it('outboxConsumers: a process without the sinks still appends their records (a reconciliation job)', async () => {
    const store = memoryStore();
    const job = createTracker({ store, outboxConsumers: ['crm'], closeStore: false });
    await job.ingest(statusEvent({ status: 'delivered', at: 10 }));
    await job.close();
    // The receiver with the "crm" sink finds the record in the outbox.
    const got: string[] = [];
    const receiver = createTracker({ store, sinks: [callbackSink((batch) => void got.push(...batch.map((e) => (e.kind === 'status' ? e.status : e.kind))), { name: 'crm' })], dispatch: { recoverEveryMs: 10 }, closeStore: false });
    for (let i = 0; i < 100 && got.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await receiver.close();
    expect(got).toEqual(['delivered']);
  });

  it('the memory store keeps no listener records (they could not outlive the process)', async () => {
    const store = memoryStore();
    const tracker = createTracker({ store, closeStore: false });
    tracker.on('transition', () => undefined);
    await tracker.ingest(statusEvent({ status: 'sent', at: 10 }));
    expect(store.stats().outbox).toBe(0);
    await tracker.close();
  });
});
