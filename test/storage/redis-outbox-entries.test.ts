/**
 * The Redis outbox's entries (src/storage/redis/lua/outbox.ts): the records one step appends for
 * a consumer are ONE queue member whose payload lives in fields; whole-entry operations touch
 * that member only, a partial ack deletes its records' fields, other partial operations explode
 * it into records of their own first. Beyond the
 * conformance suite (which runs every operation on entries too): the layout, the counts,
 * attempts and before/after across an explode, and records in the per-record layout (written by
 * earlier builds of this layout) still leased, acked and dead-lettered.
 */
import type { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import { compactIds } from '../../src/storage/redis/outbox.js';
import { redisStore, type RedisStore } from '../../src/storage/redis/index.js';
import { observation, stepOf } from '../../src/testing/index.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { notification, uniquePrefix, openStoreAround } from './redis-helpers.js';

const up = await redisAvailable();
const prefix = uniquePrefix('entries');
let client: Redis;
let store: RedisStore;
let n = 0;
const fresh = (name: string) => `${name}-${++n}`;

describeIf(up, SKIP_REASONS.redis, 'redisStore outbox entries (real Redis)', () => {
  openStoreAround(prefix, (c, s) => {
    client = c;
    store = s;
  });

  it('a step appends one queue member per consumer; acking all its records removes member and fields, stats count records', async () => {
    const consumer = fresh('sink');
    const events = Array.from({ length: 4 }, (_, i) => notification(fresh(`e${i}`)));
    const { records } = await store.ingest(stepOf([], { others: events, consumers: [consumer] }));
    const k = store.keys.outbox(consumer);
    expect(await client.zcard(k.queue)).toBe(1);
    const [member] = await client.zrange(k.queue, 0, -1);
    expect(records.map((r) => r.id)).toEqual([0, 1, 2, 3].map((i) => `${member}:${i}`));
    expect((await store.outbox.stats()).pending[consumer]).toBe(4);
    await store.outbox.ack(consumer, records.map((r) => r.id));
    expect(await client.zcard(k.queue)).toBe(0);
    expect(await client.hkeys(k.payloads)).toEqual(['#']);
    expect((await store.outbox.stats()).pending[consumer] ?? 0).toBe(0);
  });

  it('compactIds names an entry whose every record is given, and leaves partial or foreign ids alone', () => {
    expect(compactIds(['0000000000000007/2:1', '0000000000000007/2:0', '0000000000000009/3:0', 'x', '0000000000000005/2:5'])).toEqual(['x', '0000000000000005/2:5', '0000000000000007/2', '0000000000000009/3:0']);
    expect(compactIds(['0000000000000007/2:1', '0000000000000007/2:1'])).toEqual(['0000000000000007/2:1']);
  });

  it('a partial ack keeps the entry, a partial release or lease explodes it: records keep attempts and payloads (before/after included), and count right', async () => {
    const a = observation(fresh('m'), 'sent', 1_700_000_000);
    const b = observation(fresh('m'), 'delivered', 1_700_000_100);
    await store.ingest(stepOf([observation(b.observation.messageId, 'sent', 1_700_000_050)]));
    const { records } = await store.ingest(stepOf([a, b], { consumers: [LISTENERS_CONSUMER, 'plain-sink'], leaseMs: 60_000 }));
    const mine = records.filter((r) => r.consumer === LISTENERS_CONSUMER);
    await store.outbox.release(LISTENERS_CONSUMER, mine.map((r) => r.id));
    const whole = await store.outbox.lease(LISTENERS_CONSUMER, 10, 60_000);
    const ours = whole.filter((r) => mine.some((m) => m.id === r.id));
    expect(ours.map((r) => [r.id, r.attempts, r.event, r.before, r.after])).toEqual(mine.map((r) => [r.id, 1, r.event, r.before, r.after]));
    expect(ours[1]?.before).not.toBeNull();
    // A partial ack keeps the entry (the tracker acks a step's records in several batches)…
    const k = store.keys.outbox(LISTENERS_CONSUMER);
    const entry = (mine[0]?.id as string).slice(0, (mine[0]?.id as string).indexOf(':'));
    const pendingBefore = (await store.outbox.stats()).pending[LISTENERS_CONSUMER] as number;
    await store.outbox.ack(LISTENERS_CONSUMER, [mine[0]?.id as string]);
    expect(await client.zscore(k.queue, entry)).not.toBeNull();
    expect((await store.outbox.stats()).pending[LISTENERS_CONSUMER]).toBe(pendingBefore - 1);
    // …a partial release explodes it: the record left becomes a member of its own.
    await store.outbox.release(LISTENERS_CONSUMER, [mine[1]?.id as string]);
    expect(await client.zscore(k.queue, entry)).toBeNull();
    expect(await client.zscore(k.queue, mine[1]?.id as string)).toBe('0');
    expect((await store.outbox.stats()).pending[LISTENERS_CONSUMER]).toBe(pendingBefore - 1);
    const again = (await store.outbox.lease(LISTENERS_CONSUMER, 10, 60_000)).filter((r) => mine.some((m) => m.id === r.id));
    expect(again.map((r) => [r.id, r.attempts, r.event, r.before, r.after])).toEqual([[mine[1]?.id, 2, mine[1]?.event, mine[1]?.before, mine[1]?.after]]);
    const sinks = records.filter((r) => r.consumer === 'plain-sink');
    expect((await store.outbox.stats()).pending['plain-sink']).toBe(2);
    await store.outbox.release('plain-sink', sinks.map((r) => r.id));
    const one = await store.outbox.lease('plain-sink', 1, 60_000);
    expect(one.map((r) => [r.id, r.event, r.before])).toEqual([[sinks[0]?.id, sinks[0]?.event, undefined]]);
    expect((await store.outbox.stats()).pending['plain-sink']).toBe(2);
    await store.outbox.deadLetter('plain-sink', [{ id: sinks[1]?.id as string, reason: 'non_retryable', message: 'no', attempts: 1 }]);
    expect((await store.outbox.deadLetters({ consumer: 'plain-sink' })).map((d) => d.event)).toEqual([sinks[1]?.event]);
    await store.outbox.ack('plain-sink', [sinks[0]?.id as string]);
    expect((await store.outbox.stats()).pending['plain-sink'] ?? 0).toBe(0);
    await store.outbox.ack(LISTENERS_CONSUMER, [mine[1]?.id as string]);
    expect((await store.outbox.stats()).pending[LISTENERS_CONSUMER] ?? 0).toBe(0);
  });

  it('records in the per-record layout (one member and one payload field each) are still leased, acked and dead-lettered', async () => {
    const consumer = fresh('old');
    const k = store.keys.outbox(consumer);
    const e1 = notification(fresh('old-e'));
    const e2 = notification(fresh('old-e'));
    await client.zadd(k.queue, 0, '0000000000000001', 0, '0000000000000002');
    await client.hset(k.payloads, '0000000000000001', JSON.stringify([1_700_000_000_000, e1]), '0000000000000002', JSON.stringify([1_700_000_000_000, e2]));
    await client.sadd(store.keys.consumers, consumer);
    expect((await store.outbox.stats()).pending[consumer]).toBe(2);
    const leased = await store.outbox.lease(consumer, 10, 60_000);
    expect(leased.map((r) => [r.id, r.event, r.attempts, r.appendedAt])).toEqual([
      ['0000000000000001', e1, 1, 1_700_000_000_000],
      ['0000000000000002', e2, 1, 1_700_000_000_000],
    ]);
    await store.outbox.deadLetter(consumer, [{ id: '0000000000000002', reason: 'non_retryable', message: 'no', attempts: 1 }]);
    await store.outbox.ack(consumer, ['0000000000000001']);
    expect((await store.outbox.stats()).pending[consumer] ?? 0).toBe(0);
    expect((await store.outbox.deadLetters({ consumer })).map((d) => d.event)).toEqual([e2]);
  });

  it("acking a listeners' entry in parts leaves no field behind (after and before fields included)", async () => {
    const own = redisStore({ client, prefix: `${prefix}own:` });
    const a = observation(fresh('m'), 'sent', 1_700_000_000);
    const b = observation(fresh('m'), 'delivered', 1_700_000_100);
    await own.ingest(stepOf([observation(b.observation.messageId, 'sent', 1_700_000_050)]));
    const { records } = await own.ingest(stepOf([a, b], { consumers: [LISTENERS_CONSUMER] }));
    expect(records.map((r) => r.before === null)).toEqual([true, false]);
    await own.outbox.ack(LISTENERS_CONSUMER, [records[1]?.id as string]);
    await own.outbox.ack(LISTENERS_CONSUMER, [records[0]?.id as string]);
    const k = own.keys.outbox(LISTENERS_CONSUMER);
    expect(await client.hkeys(k.payloads)).toEqual(['#']);
    expect(await client.zcard(k.queue)).toBe(0);
    expect((await own.outbox.stats()).pending[LISTENERS_CONSUMER] ?? 0).toBe(0);
  });

  it("the counter field '#' is nobody's record", async () => {
    const consumer = fresh('hash');
    await store.ingest(stepOf([], { others: [notification(fresh('h1')), notification(fresh('h2'))], consumers: [consumer] }));
    await store.outbox.ack(consumer, ['#']);
    await store.outbox.deadLetter(consumer, [{ id: '#', reason: 'non_retryable', message: 'no', attempts: 1 }]);
    expect((await store.outbox.stats()).pending[consumer]).toBe(2);
    expect(await store.outbox.deadLetters({ consumer })).toEqual([]);
  });
});
