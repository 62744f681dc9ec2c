import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHashIndex } from '../../src/storage/memory/hash-index.js';
import { createStateTable } from '../../src/storage/memory/state-table.js';
import { merge } from '../../src/state/merge.js';
import { observe } from '../../src/state/observe.js';
import type { DeliveryState } from '../../src/state/state.js';
import type { StatusEvent } from '../../src/event/types.js';

describe('hash index (open addressing, backward-shift deletion)', () => {
  it('agrees with a Map through inserts, removals and resizes, with colliding homes', () => {
    // Hashes drawn from 16 values: long probe chains, wrap-around at the table's end, shifts.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 15 })), { maxLength: 300 }), (ops) => {
        const index = createHashIndex(4);
        let capacity = 4;
        const model = new Map<number, [number, number]>(); // slot → lanes
        for (const [add, slot, h] of ops) {
          const lanes: [number, number] = [h * 0x1000_0001 + 7, h];
          if (add && !model.has(slot)) {
            if (slot >= capacity) index.resize((capacity = slot + 1));
            index.insert(slot, lanes[0], lanes[1]);
            model.set(slot, lanes);
          } else if (!add && model.has(slot)) {
            index.removeAt(index.positionOf(slot));
            model.delete(slot);
          }
        }
        expect(index.size).toBe(model.size);
        for (const [slot, [h, l]] of model) {
          const position = index.find(h, l, (s) => s === slot);
          expect(position).toBeGreaterThanOrEqual(0);
          expect(index.slotAt(position)).toBe(slot);
        }
        for (let slot = 0; slot < 64; slot++) if (!model.has(slot)) expect(index.find(slot * 0x1000_0001 + 7, slot, (s) => s === slot)).toBe(-1);
      }),
      { numRuns: 300 },
    );
  });

  it('finds text by its hash', () => {
    const index = createHashIndex(2);
    const [h, l] = index.hash('wamid.A');
    index.insert(1, h as number, l as number);
    const [h2, l2] = index.hash('wamid.A');
    expect(index.slotAt(index.find(h2 as number, l2 as number))).toBe(1);
    const [h3, l3] = index.hash('wamid.B');
    expect(index.find(h3 as number, l3 as number)).toBe(-1);
  });
});

// A status event of message `m` (of a group when `participant` is given) at second `at`.
function event(m: number, status: 'sent' | 'delivered' | 'read' | 'failed', at: number, provider: 'cloud' | 'wasender', participant: number | null): StatusEvent {
  const iso = new Date(1_700_000_000_000 + at * 1000).toISOString();
  return {
    schemaVersion: 1,
    id: `${m}:${status}:${at}`,
    kind: 'status',
    provider,
    accountId: 'acct',
    phoneNumberId: null,
    occurredAt: iso,
    receivedAt: iso,
    messageId: `wamid.${m}`,
    recipientId: participant === null ? '1555' : 'group@g.us',
    ...(participant === null ? {} : { participantId: `p${participant}` }),
    status,
    providerStatus: status,
    errors: status === 'failed' ? [{ code: '131026', class: 'permanent', title: 'undeliverable' }] : [],
    ...(status === 'sent' ? { pricing: { billable: true, model: 'PMP', category: 'marketing' } } : {}),
  } as StatusEvent;
}

describe('packed state table', () => {
  it('agrees with a reference model (states of objects, LRU by touch) through merges, groups, eviction and expiry', () => {
    const op = fc.tuple(
      fc.integer({ min: 0, max: 11 }), // message
      fc.constantFrom('sent', 'delivered', 'read', 'failed') as fc.Arbitrary<'sent' | 'delivered' | 'read' | 'failed'>,
      fc.integer({ min: 0, max: 50 }), // event time
      fc.constantFrom('cloud', 'wasender') as fc.Arbitrary<'cloud' | 'wasender'>,
      fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
      fc.integer({ min: 0, max: 40 }), // clock step
      fc.boolean(), // read back with get()
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.integer({ min: 1, max: 8 }), (ops, maxEntries) => {
        const ttl = 100;
        const table = createStateTable(maxEntries, ttl, 2); // two slots to start: growth is exercised
        // The model: message id → its states, in a Map whose order is the LRU order.
        const model = new Map<string, { states: DeliveryState[]; touched: number }>();
        const same = (s: DeliveryState, o: DeliveryState) => s.provider === o.provider && s.participantId === o.participantId;
        const size = () => [...model.values()].reduce((n, v) => n + v.states.length, 0);
        let evicted = 0;
        let expired = 0;
        let clock = 0;
        const touch = (id: string) => {
          for (const [k, v] of model) {
            if (clock - v.touched < ttl) continue;
            model.delete(k);
            expired += v.states.length;
          }
          const hit = model.get(id);
          if (hit !== undefined) {
            model.delete(id);
            hit.touched = clock;
            model.set(id, hit);
          }
          return hit;
        };
        for (const [m, status, at, provider, participant, step, readBack] of ops) {
          clock += step;
          const obs = observe(event(m, status, at, provider, participant));
          const hit = touch(obs.messageId);
          const prior = hit?.states.find((s) => same(s, obs)) ?? null;
          const expected = prior === null ? obs : merge(prior, obs);
          const { before, after } = table.upsert(obs, clock, merge);
          expect(before).toEqual(prior);
          expect(after).toEqual(expected);
          if (hit === undefined) model.set(obs.messageId, { states: [obs], touched: clock });
          else if (prior === null) hit.states.push(obs);
          else hit.states[hit.states.indexOf(prior)] = expected;
          while (size() > maxEntries && model.size > 1) {
            const [oldest, v] = model.entries().next().value as [string, { states: DeliveryState[] }];
            model.delete(oldest);
            evicted += v.states.length;
          }
          if (readBack) {
            touch(obs.messageId);
            expect(table.get(obs.provider, obs.messageId, obs.participantId, clock)).toEqual(expected);
            expect(table.byMessage(obs.messageId, clock)).toEqual(model.get(obs.messageId)?.states ?? []);
          }
        }
        for (const [k, v] of model) {
          if (clock - v.touched < ttl) continue;
          model.delete(k);
          expired += v.states.length;
        }
        expect(table.all(clock)).toEqual([...model.values()].flatMap((v) => v.states));
        expect(table.stats()).toEqual({ states: size(), evictedStates: evicted, expiredStates: expired });
      }),
      { numRuns: 300 },
    );
  });

  it('hands out fresh objects: a caller changing a state it read changes nothing stored', () => {
    const table = createStateTable(10, 1e9);
    table.upsert(observe(event(1, 'sent', 1, 'cloud', null)), 0, merge);
    const read = table.get('cloud', 'wamid.1', null, 0) as DeliveryState;
    read.rank = 5;
    expect(table.get('cloud', 'wamid.1', null, 0)?.rank).toBe(2);
  });

  it('clear() empties it and it fills again', () => {
    const table = createStateTable(10, 1e9, 2);
    for (let m = 0; m < 5; m++) table.upsert(observe(event(m, 'sent', 1, 'cloud', null)), 0, merge);
    table.clear();
    expect(table.all(0)).toEqual([]);
    for (let m = 0; m < 5; m++) table.upsert(observe(event(m, 'read', 1, 'cloud', null)), 0, merge);
    expect(table.all(0).map((s) => s.rank)).toEqual([4, 4, 4, 4, 4]);
    expect(table.stats().states).toBe(5);
  });
});
