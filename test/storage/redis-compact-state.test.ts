/**
 * States are stored as compact JSON (src/storage/redis/codec.ts `encodeState`: fields at their
 * default left out); `decodeState` and the Lua join restore the defaults, and states stored whole
 * (by earlier builds, or by the join's cjson) still read and join.
 */
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { stateKey } from '../../src/state/key.js';
import { merge } from '../../src/state/merge.js';
import type { DeliveryState } from '../../src/state/state.js';
import { compactState, decodeState, encodeState } from '../../src/storage/redis/codec.js';
import type { RedisStore } from '../../src/storage/redis/index.js';
import { observation } from '../../src/testing/index.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { mergeStep, uniquePrefix, openStoreAround } from './redis-helpers.js';

const sent = observation('compact-m', 'sent', 1_700_000_000, { pricing: { billable: true, model: 'PMP', category: 'utility', type: 'regular' } }).observation;

describe('compactState / encodeState', () => {
  it('leaves out null, 0, false and billingRank -1, keeps billingRank 0 and every other value, and decodes back whole', () => {
    const s: DeliveryState = { ...sent, billingRank: 0, tracked: false, annotations: [], bizOpaqueCallbackData: '' };
    const c = compactState(s);
    expect(Object.values(c).some((v) => v === null || v === false)).toBe(false);
    expect(c.billingRank).toBe(0);
    expect(c.annotations).toEqual([]);
    expect(c.bizOpaqueCallbackData).toBe('');
    expect('pendingAt' in c || 'participantId' in c || 'tracked' in c).toBe(false);
    expect(decodeState(JSON.stringify(c))).toEqual(s);
    expect('billingRank' in compactState({ ...sent, billingRank: -1 })).toBe(false);
    expect(decodeState(encodeState({ ...sent, billingRank: -1 }).json)).toEqual({ ...sent, billingRank: -1 });
  });

  it('sanitizes like encodeJson: the value returned is the state the JSON stands for', () => {
    const { json, value } = encodeState({ ...sent, bizOpaqueCallbackData: 'a\u0000b' });
    expect(value.bizOpaqueCallbackData).toBe('a\uFFFDb');
    expect(decodeState(json)).toEqual(value);
  });
});

const up = await redisAvailable();
const prefix = uniquePrefix('compact');
let client: Redis;
let store: RedisStore;

describeIf(up, SKIP_REASONS.redis, 'compact states in real Redis', () => {
  openStoreAround(prefix, (c, s) => {
    client = c;
    store = s;
  });

  it('a created state is stored compact and read back whole', async () => {
    const s = { ...sent, messageId: 'compact-created' };
    await store.ingest(mergeStep([s]));
    const k = store.keys.state(s);
    const raw = (await client.hget(k.hash, k.field)) as string;
    expect(raw).toBe(JSON.stringify(compactState(s)));
    expect(raw.length).toBeLessThan(JSON.stringify(s).length * 0.7);
    expect(await store.get(stateKey(s))).toEqual(s);
    // the Lua join restores the defaults of both sides
    const next = { ...observation('compact-created', 'delivered', 1_700_000_100).observation, billingRank: 0 };
    const [joined] = (await store.ingest(mergeStep([next]))).merged;
    expect(joined?.before).toEqual(s);
    expect(joined?.after).toEqual(merge(s, next));
  });

  it('a state stored whole (earlier builds) joins with a compact observation exactly like merge()', async () => {
    const old = { ...sent, messageId: 'compact-old' };
    const k = store.keys.state(old);
    await client.hset(k.hash, k.field, JSON.stringify(old));
    const next = observation('compact-old', 'delivered', 1_700_000_100).observation;
    const [result] = (await store.ingest(mergeStep([next]))).merged;
    expect(result?.before).toEqual(old);
    expect(result?.after).toEqual(merge(old, next));
    expect(await store.get(stateKey(old))).toEqual(merge(old, next));
    const read = observation('compact-old', 'read', 1_700_000_200).observation;
    const [again] = (await store.ingest(mergeStep([read]))).merged;
    expect(again?.after).toEqual(merge(merge(old, next), read));
  });
});
