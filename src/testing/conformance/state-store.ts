/**
 * The {@link StateStore} conformance suite: the atomic ingest step (claims, merges, outbox
 * records), reads, and close. Every store, bluetick's or yours, must pass it.
 */
import { StorageError } from '../../errors.js';
import type { CanonicalEvent, NotificationEvent } from '../../event/types.js';
import { stateKey } from '../../state/key.js';
import { merge } from '../../state/merge.js';
import { trackedObservation } from '../../state/track.js';
import type { DeliveryState } from '../../state/state.js';
import { LISTENERS_CONSUMER } from '../../storage/outbox.js';
import type { StateStore } from '../../storage/state-store.js';
import { foldItems, observation, observationSet, seeded, shuffle, stepOf, type StepItem } from '../observations.js';
import { registerOutboxTests } from './outbox.js';
import { sleep, uniquePrefix, type ConformanceRunner, type ConformanceTarget } from './runner.js';

function notification(id: string): NotificationEvent {
  return { schemaVersion: 1, id, kind: 'notification', provider: 'cloud', accountId: 'conformance', phoneNumberId: null, occurredAt: '2023-11-14T22:13:20.000Z', receivedAt: '2023-11-14T22:13:20.000Z', topic: 'account_update', data: { id } };
}

/**
 * Registers the conformance tests of a {@link StateStore}: claims (first writer wins, within and
 * across concurrent steps, expiry), merges (before/after, in-step order, atomicity under hundreds
 * of concurrent shuffled and duplicated steps, convergence to the sequential fold), the outbox
 * (records of claimed events only, leases, acks, releases, dead letters and replay, concurrent
 * leasers), reads (`get`, `findByMessage`, `findStale`, `scanStates`, `resolveAliases`),
 * text fidelity, and `close`.
 *
 * @example
 * ```ts
 * import { describe, it, expect, beforeEach, afterEach } from 'vitest';
 * import { runStateStoreConformance } from 'bluetick/testing';
 *
 * runStateStoreConformance(
 *   { name: 'my store', create: async () => myStore(), cleanup: async (s) => s.close() },
 *   { describe, it, expect, beforeEach, afterEach },
 * );
 * ```
 */
export function runStateStoreConformance(target: ConformanceTarget<StateStore>, t: ConformanceRunner): void {
  const { describe, it, expect, beforeEach, afterEach } = t;
  let store: StateStore;
  let prefix = '';

  describe(`StateStore conformance: ${target.name}`, () => {
    beforeEach(async () => {
      store = await target.create();
      prefix = uniquePrefix();
    });
    afterEach(async () => {
      if (target.cleanup) await target.cleanup(store);
    });

    it('claims: the first step to see an id wins, a repeated id in one step wins once, ids are independent', async () => {
      const a = notification(`${prefix}-a`);
      const b = notification(`${prefix}-b`);
      expect((await store.ingest(stepOf([], { others: [a] }))).claimed).toEqual([true]);
      expect((await store.ingest(stepOf([], { others: [a, b, b] }))).claimed).toEqual([false, true, false]);
    });

    it('claims: concurrent steps racing for one id: exactly one wins', async () => {
      const e = notification(`${prefix}-race`);
      const results = await Promise.all(Array.from({ length: 50 }, () => store.ingest(stepOf([], { others: [e] }))));
      expect(results.filter((r) => r.claimed[0] === true).length).toBe(1);
    });

    it('claims: a claim expires after its ttl', async () => {
      const e = notification(`${prefix}-ttl`);
      expect((await store.ingest(stepOf([], { others: [e], claimTtlMs: 200 }))).claimed).toEqual([true]);
      expect((await store.ingest(stepOf([], { others: [e], claimTtlMs: 200 }))).claimed).toEqual([false]);
      await sleep(1_100); // stores may round ttls up to whole seconds
      expect((await store.ingest(stepOf([], { others: [e], claimTtlMs: 200 }))).claimed).toEqual([true]);
    });

    it('merges: before/after of sequential steps, and get', async () => {
      const items = observationSet(prefix, seeded(1), 40);
      const states = new Map<string, DeliveryState>();
      for (const item of items) {
        const r = (await store.ingest(stepOf([item]))).merged[0] as { before: DeliveryState | null; after: DeliveryState };
        const prev = states.get(item.key) ?? null;
        expect(r.before).toEqual(prev);
        expect(r.after).toEqual(prev === null ? item.observation : merge(prev, item.observation));
        states.set(item.key, r.after);
      }
      for (const [key, state] of states) expect(await store.get(key)).toEqual(state);
      expect(await store.get(stateKey({ provider: 'cloud', messageId: `${prefix}-absent` }))).toBeNull();
    });

    it('merges: items of one state within one step see each other in order', async () => {
      const batch = observationSet(`${prefix}-batch`, seeded(3), 60);
      const { merged } = await store.ingest(stepOf(batch));
      const seen = new Map<string, DeliveryState>();
      merged.forEach((r, i) => {
        const it = batch[i] as StepItem;
        expect(r.before).toEqual(seen.get(it.key) ?? null);
        expect(r.after).toEqual(r.before === null ? it.observation : merge(r.before, it.observation));
        seen.set(it.key, r.after);
      });
      for (const [key, state] of foldItems(batch)) expect(await store.get(key)).toEqual(state);
    });

    it('merges: a duplicate event (claim lost) merges as a no-op', async () => {
      const item = observation(`${prefix}-dup`, 'delivered', 1_700_000_100);
      const first = await store.ingest(stepOf([item]));
      const again = await store.ingest(stepOf([item]));
      expect(again.claimed).toEqual([false]);
      expect(again.merged[0]?.before).toEqual(first.merged[0]?.after);
      expect(again.merged[0]?.after).toEqual(first.merged[0]?.after);
    });

    it('merges: hundreds of concurrent shuffled, duplicated steps converge to the sequential fold', async () => {
      const random = seeded(7);
      const base = observationSet(prefix, random, Math.floor((target.concurrency ?? 400) * 0.75));
      const items = shuffle([...base, ...base.slice(0, Math.floor(base.length / 3))], random);
      const results = await Promise.all(items.map((it) => store.ingest(stepOf([it]))));
      // Each merge is atomic: its after is exactly its before joined with its observation.
      results.forEach((r, i) => {
        const m = r.merged[0] as { before: DeliveryState | null; after: DeliveryState };
        const obs = (items[i] as StepItem).observation;
        expect(m.after).toEqual(m.before === null ? obs : merge(m.before, obs));
      });
      // Exactly one step per state saw no state before it, and each event id was claimed once.
      const creators = new Map<string, number>();
      const claims = new Map<string, number>();
      results.forEach((r, i) => {
        const it = items[i] as StepItem;
        if (r.merged[0]?.before === null) creators.set(it.key, (creators.get(it.key) ?? 0) + 1);
        if (r.claimed[0] === true) claims.set(it.event.id, (claims.get(it.event.id) ?? 0) + 1);
      });
      for (const it of base) expect(claims.get(it.event.id)).toBe(1);
      for (const [key, state] of foldItems(base)) {
        expect(creators.get(key)).toBe(1);
        expect(await store.get(key)).toEqual(state);
      }
    });

    it('identity: the host\u2019s track() and the provider\u2019s statuses meet in one state', async () => {
      const messageId = `${prefix}-tracked`;
      const tracked = trackedObservation({ provider: 'cloud', messageId, sentAt: 1_700_000_000_000, accountId: 'my-waba', recipientId: '+1 650 555 1234', campaign: 'spring', wasenderMsgId: '4242' });
      await store.ingest({ events: [], merges: [{ key: stateKey(tracked), observation: tracked, event: -1 }], claimTtlMs: 60_000, outbox: { consumers: [], leaseMs: 60_000 } });
      const sent = observation(messageId, 'sent', 1_700_000_001, { accountId: '102290129340398', recipientId: '16505551234' });
      expect(sent.key).toBe(stateKey(tracked));
      const { merged } = await store.ingest(stepOf([sent]));
      expect(merged[0]?.after).toEqual(merge(tracked, sent.observation));
      expect((await store.findByMessage({ messageId })).length).toBe(1);
    });

    it('findByMessage returns the message and each group participant', async () => {
      const msg = `${prefix}-group`;
      const items = [observation(msg, 'read', 5, { participantId: 'p1' }), observation(msg, 'read', 5, { participantId: 'p2' }), observation(msg, 'sent', 4)];
      await store.ingest(stepOf(items));
      const all = await store.findByMessage({ messageId: msg });
      expect(all.map((s) => s.participantId ?? '-').sort()).toEqual(['-', 'p1', 'p2']);
      expect((await store.findByMessage({ messageId: msg, provider: 'onprem' })).length).toBe(0);
      expect((await store.findByMessage({ messageId: `${prefix}-none` })).length).toBe(0);
    });

    it('findStale returns unfailed states stuck at the asked ranks', async () => {
      const items = [
        observation(`${prefix}-stuck`, 'sent', 1_000_000_000),
        observation(`${prefix}-recent`, 'sent', 4_000_000_000),
        observation(`${prefix}-delivered`, 'delivered', 1_000_000_000),
        observation(`${prefix}-failed`, 'failed', 1_000_000_000),
        observation(`${prefix}-failed`, 'sent', 1_000_000_000),
      ];
      await store.ingest(stepOf(items));
      const found = await store.findStale({ olderThan: 2_000_000_000_000, statuses: ['sent'] });
      expect(found.filter((s) => s.messageId.startsWith(prefix)).map((s) => s.messageId)).toEqual([`${prefix}-stuck`]);
      expect((await store.findStale({ olderThan: 2_000_000_000_000, statuses: ['sent', 'delivered'], limit: 1 })).length).toBe(1);
    });

    it('scanStates pages through every state exactly once', async () => {
      const items = Array.from({ length: 25 }, (_, i) => observation(`${prefix}-scan-${i}`, 'sent', 1_700_000_000 + i));
      await store.ingest(stepOf(items));
      const seen = new Map<string, number>();
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await store.scanStates({ cursor, limit: 7 });
        for (const s of page.states) if (s.messageId.startsWith(`${prefix}-scan-`)) seen.set(s.messageId, (seen.get(s.messageId) ?? 0) + 1);
        cursor = page.cursor;
        pages++;
      } while (cursor !== null && pages < 100_000);
      expect(seen.size).toBe(25);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
    });

    it('resolveAliases maps a tracked WASender send id to its message id', async () => {
      const messageId = `${prefix}-3EB0ABC`;
      const alias = String(Math.floor(Math.random() * 1e12));
      const tracked = trackedObservation({ provider: 'wasender', messageId, sentAt: 1_700_000_000_000, wasenderMsgId: alias });
      await store.ingest({ events: [], merges: [{ key: stateKey(tracked), observation: tracked, event: -1 }], claimTtlMs: 60_000, outbox: { consumers: [], leaseMs: 60_000 } });
      expect(await store.resolveAliases('wasender', [alias, `${alias}9`])).toEqual({ [alias]: messageId });
      expect(await store.resolveAliases('cloud', [alias])).toEqual({});
    });

    it('text round-trips exactly: emoji, CJK, U+FFFD, quotes, backslashes, slashes, long ids', async () => {
      const text = `😀 漢字 \uFFFD "q" \\b /s ${'x'.repeat(300)}`;
      const item = observation(`${prefix}-${text.slice(0, 20)}`, 'failed', 1_700_000_000, {
        errors: [{ code: '131026', class: 'permanent', title: text, details: 'a/b\\c' }],
        bizOpaqueCallbackData: text,
      });
      // The listeners' consumer: the one whose leased records must keep their merge.
      const consumer = LISTENERS_CONSUMER;
      const { merged, records } = await store.ingest(stepOf([item], { consumers: [consumer], leaseMs: 1 }));
      expect(merged[0]?.after).toEqual(item.observation);
      expect(await store.get(item.key)).toEqual(item.observation);
      const [listed] = await store.findByMessage({ messageId: item.event.messageId });
      expect(listed).toEqual(item.observation);
      await sleep(1_100);
      const leased = await store.outbox.lease(consumer, 1000, 60_000);
      const again = leased.find((r) => r.event.id === item.event.id);
      await store.outbox.ack(consumer, leased.map((r) => r.id));
      expect(again?.event).toEqual(records[0]?.event);
      expect(again?.after).toEqual(item.observation);
    });

    registerOutboxTests(t, () => store, () => prefix);

    it('close: operations afterwards reject with a StorageError', async () => {
      await store.close();
      let caught: unknown = null;
      try {
        await store.ingest(stepOf([], { others: [notification(`${prefix}-after-close`)] as CanonicalEvent[] }));
      } catch (err) {
        caught = err;
      }
      expect(caught instanceof StorageError).toBe(true);
    });
  });
}
