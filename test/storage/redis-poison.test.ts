/**
 * Poison values (NUL, lone surrogates) given straight to the store, unsanitized, in error titles,
 * callback data, message ids, event ids and notification data: the whole batch commits (the valid
 * items with it), and every value comes back with U+FFFD in their place, the same way on every
 * read, on a redelivery, and out of the outbox.
 */
import { expect, it } from 'vitest';
import { stateKey } from '../../src/state/key.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import type { RedisStore } from '../../src/storage/redis/index.js';
import { sanitizeValue } from '../../src/storage/sanitize.js';
import { observation, stepOf } from '../../src/testing/index.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { notification, uniquePrefix, openStoreAround } from './redis-helpers.js';

const up = await redisAvailable();
const prefix = uniquePrefix('poison');
let store: RedisStore;

describeIf(up, SKIP_REASONS.redis, 'redisStore: poison values never block a batch (real Redis)', () => {
  openStoreAround(prefix, (_client, s) => {
    store = s;
  });

  it('NUL and lone surrogates in titles, callback data, message ids and event data: the batch commits, values come back as U+FFFD', async () => {
    const failed = observation('wamid.poison\u0000id', 'failed', 1_700_000_000, {
      errors: [{ code: '131026', class: 'permanent', title: 'bad \u0000 title \uD800', details: 'lone \uDC00 low' }],
      bizOpaqueCallbackData: 'biz\u0000\uD83D',
    });
    const loneId = observation('wamid.lone\uD800', 'read', 1_700_000_001, { participantId: 'p\uDFFF', bizOpaqueCallbackData: 'ok 😀' });
    const valid = observation('wamid.valid', 'delivered', 1_700_000_002, { bizOpaqueCallbackData: 'fine 😀 漢字' });
    const note = { ...notification('note\u0000\uD800'), data: { text: 'x\u0000y', ['k\uDBFF']: 'v' } };
    const step = stepOf([failed, loneId, valid], { others: [note], consumers: [LISTENERS_CONSUMER, 'sink'] });

    const result = await store.ingest(step);
    expect(result.claimed).toEqual([true, true, true, true]);
    const clean = [failed, loneId, valid].map((it) => sanitizeValue(it.observation));
    expect(result.merged.map((m) => m.after)).toEqual(clean);
    expect(clean[0]?.messageId).toBe('wamid.poison\uFFFDid');
    expect(clean[0]?.errors?.['131026']?.title).toBe('bad \uFFFD title \uFFFD');
    expect(clean[0]?.bizOpaqueCallbackData).toBe('biz\uFFFD\uFFFD');
    expect(clean[1]?.participantId).toBe('p\uFFFD');
    expect(clean[2]).toEqual(valid.observation); // nothing to clean: unchanged

    // Reads by the caller's own (unsanitized) keys and ids find the sanitized states.
    for (const [i, it] of [failed, loneId, valid].entries()) {
      expect(await store.get(stateKey(it.observation))).toEqual(clean[i]);
      expect(await store.findByMessage({ messageId: it.event.messageId })).toEqual([clean[i]]);
    }
    // The outbox: events come back sanitized, with the listeners' merge.
    const ids = result.records.map((r) => r.id);
    await store.outbox.release('sink', result.records.filter((r) => r.consumer === 'sink').map((r) => r.id));
    await store.outbox.release(LISTENERS_CONSUMER, result.records.filter((r) => r.consumer === LISTENERS_CONSUMER).map((r) => r.id));
    const sink = await store.outbox.lease('sink', 100, 60_000);
    expect(sink.map((r) => r.event)).toEqual([failed.event, loneId.event, valid.event, note].map((e) => sanitizeValue(e)));
    expect(sink.map((r) => r.event.id)).toEqual(['wamid.poison\uFFFDid:failed::1700000000', 'wamid.lone\uFFFD:read:p\uFFFD:1700000001', valid.event.id, 'note\uFFFD\uFFFD']);
    const listeners = (await store.outbox.lease(LISTENERS_CONSUMER, 1000, 60_000)).filter((r) => ids.includes(r.id));
    expect(listeners.slice(0, 3).map((r) => r.after)).toEqual(clean);
    // A redelivery of the same poison is a duplicate (the same sanitized id), and changes nothing.
    const again = await store.ingest(step);
    expect(again.claimed).toEqual([false, false, false, false]);
    expect(again.merged.map((m) => m.after)).toEqual(clean);
    expect(again.records).toEqual([]);
  });
});
