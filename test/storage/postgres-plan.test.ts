/**
 * The JavaScript half of the PostgreSQL ingest step, without a database: the lock order it sends
 * (sorted, unique claim ids, state keys and interaction ids: what keeps concurrent steps free of
 * deadlocks), what it asks the outbox to keep, and the sanitizing second plan.
 */
import { describe, expect, it } from 'vitest';
import type { InteractionRecord } from '../../src/analytics/types.js';
import type { NotificationEvent } from '../../src/event/types.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import { merge } from '../../src/state/merge.js';
import { COLUMNS, decodeState } from '../../src/storage/postgres/columns.js';
import { INGEST_PARAMS, ROW } from '../../src/storage/postgres/ingest-sql.js';
import { packedId, planStep, readStep } from '../../src/storage/postgres/ingest.js';
import { PACK_SIZE } from '../../src/storage/postgres/schema.js';
import { observation, stepOf } from '../../src/testing/index.js';

const param = (params: unknown[], name: (typeof INGEST_PARAMS)[number][0]) => params[INGEST_PARAMS.findIndex((p) => p[0] === name)];
const note = (id: string): NotificationEvent => ({ schemaVersion: 1, id, kind: 'notification', provider: 'cloud', accountId: null, phoneNumberId: null, occurredAt: '2024-01-01T00:00:00.000Z', receivedAt: '2024-01-01T00:00:00.000Z', topic: 't', data: {} });
const reply = (id: string): InteractionRecord => ({ id, provider: 'cloud', accountId: null, messageId: `in-${id}`, repliedTo: null, kind: 'button_reply', replyId: 'y', title: 'Y', from: null, at: 1 });

describe('planStep', () => {
  it('sends claim ids, state keys and interaction ids sorted and unique: one lock order for every step', () => {
    const items = [observation('m-c', 'sent', 1), observation('m-a', 'read', 2), observation('m-c', 'delivered', 3), observation('m-b', 'sent', 1)];
    const step = stepOf(items, { others: [note('z'), note('a'), note('z')] });
    step.interactions = [reply('r2'), reply('r1'), reply('r2')];
    const plan = planStep(step, 1000);
    const ids = param(plan.params, 'ids') as string[];
    expect(ids).toEqual([...new Set(step.events.map((e) => e.id))].sort());
    expect(param(plan.params, 'keys')).toEqual([items[1]!.key, items[3]!.key, items[0]!.key]);
    expect((JSON.parse(param(plan.params, 'interactions') as string) as InteractionRecord[]).map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(plan.first).toEqual([true, true, true, true, true, true, false]);
  });

  it('joins the observations of a key before sending them, and sends each first event once with its key', () => {
    const items = [observation('k', 'sent', 1), observation('k', 'read', 3)];
    const plan = planStep(stepOf(items, { others: [note('n')], consumers: ['sink'] }), 1000);
    const states = (JSON.parse(param(plan.params, 'states') as string) as unknown[][]).map((row) => decodeState(row)); // column arrays
    expect(states.length).toBe(1);
    expect([states[0]?.rank, states[0]?.sentAt, states[0]?.readAt]).toEqual([4, 1000, 3000]);
    expect(states[0]).toEqual(merge(items[0]!.observation, items[1]!.observation));
    expect(param(plan.params, 'event_keys')).toEqual([items[0]!.key, items[1]!.key, null]);
    expect(param(plan.params, 'changes')).toBe('[]'); // no consumer keeps merges
  });

  it('asks the outbox to keep merge parts only for the listeners consumer, with the prior join of the key', () => {
    const items = [observation('k', 'sent', 1), observation('k', 'read', 3)];
    const plan = planStep(stepOf(items, { consumers: ['sink', LISTENERS_CONSUMER] }), 1000);
    expect(param(plan.params, 'keeps')).toEqual([false, true]);
    const changes = JSON.parse(param(plan.params, 'changes') as string) as Array<{ p?: unknown; o: unknown }>;
    expect(changes[0]).toEqual({ o: items[0]!.observation });
    expect(changes[1]).toEqual({ p: items[0]!.observation, o: items[1]!.observation });
  });

  it('reads a result of exceptions only: the ids not claimed, the keys that had a state, the count of keys merged', () => {
    const items = [observation('r-a', 'sent', 1), observation('r-b', 'read', 2)];
    const plan = planStep(stepOf(items, { others: [note('r-n')] }), 1000);
    const before = items[1]!.observation;
    const prev = COLUMNS.map((c) => before[c.field]);
    const result = readStep(plan, [
      [ROW.lost, 'r-n', null],
      [ROW.merged, items[1]!.key, prev],
      [ROW.keys, '2', null],
    ]);
    expect(result.claimed).toEqual([true, true, false]);
    expect(result.merged.map((m) => m.before)).toEqual([null, expect.objectContaining({ messageId: before.messageId, readAt: before.readAt })]);
    expect(() => readStep(plan, [[ROW.keys, '1', null]])).toThrow(/merged 1 keys where 2/);
  });

  it("packs the listeners' records of a step (a lone observation of a key sent as its group's index), not past PACK_SIZE events", () => {
    const items = [observation('p-a', 'sent', 1), observation('p-b', 'read', 2), observation('p-b', 'delivered', 1)];
    const plan = planStep(stepOf(items, { others: [note('p-n')], consumers: ['sink', LISTENERS_CONSUMER] }), 1000);
    expect(param(plan.params, 'packs')).toEqual([false, true]);
    expect(JSON.parse(param(plan.params, 'changes') as string)).toEqual([0, { o: items[1]!.observation }, { p: items[1]!.observation, o: items[2]!.observation }, null]);
    expect(packedId('100000000000120000', 3)).toBe('100000000000120003');
    const many = Array.from({ length: PACK_SIZE + 1 }, (_, i) => note(`many-${i}`));
    const big = planStep(stepOf([observation('p-c', 'sent', 1)], { others: many, consumers: [LISTENERS_CONSUMER] }), 1000);
    expect(param(big.params, 'packs')).toEqual([false]);
    expect((JSON.parse(param(big.params, 'changes') as string) as unknown[])[0]).toEqual({ o: expect.objectContaining({ messageId: 'p-c' }) });
  });

  it('sends nothing for an empty step', () => {
    const plan = planStep(stepOf([]), 1000);
    expect(plan.empty).toBe(true);
    expect(readStep(plan, [])).toEqual({ claimed: [], merged: [], records: [] });
  });

  it('plans a clean step as given (no copy), and a poisoned one from a sanitized copy', () => {
    const clean = stepOf([observation('ok', 'sent', 1)], { consumers: ['sink'] });
    expect(planStep(clean, 1).events[0]).toBe(clean.events[0]);
    const bad = stepOf([observation('bad\uD800', 'failed', 1, { errors: [{ code: '1', class: 'unknown', title: 'a\u0000b' }] })], { consumers: ['sink'] });
    const plan = planStep(bad, 1);
    expect(plan.ids).toEqual([bad.events[0]!.id.replace('\uD800', '\uFFFD')]);
    expect(param(plan.params, 'keys')).toEqual(['cloud:bad\uFFFD:']);
    expect(param(plan.params, 'states')).not.toMatch(/\\u0000|\\ud800/i);
    expect(param(plan.params, 'events')).not.toMatch(/\\u0000|\\ud800/i);
  });
});
