/**
 * redisStore behaviour beyond the conformance suite: the key layout and a TTL on every key, JSON
 * shapes through cjson, string order, NOSCRIPT recovery, all-or-nothing steps over corrupt data,
 * the stale and message indexes, the outbox's payloads and dead-letter bound, scans across
 * instances, readiness, close, and two trackers sharing a prefix.
 */
import type { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { ConfigError, StorageError } from '../../src/errors.js';
import type { StatusEvent } from '../../src/event/types.js';
import { stateKey } from '../../src/state/key.js';
import { merge } from '../../src/state/merge.js';
import type { DeliveryState } from '../../src/state/state.js';
import { trackedObservation } from '../../src/state/track.js';
import { LISTENERS_CONSUMER } from '../../src/storage/outbox.js';
import { redisStore, type RedisStore } from '../../src/storage/redis/index.js';
import type { MergeResult } from '../../src/storage/state-store.js';
import { observation, stepOf } from '../../src/testing/index.js';
import { createTracker } from '../../src/tracking/tracker.js';
import { redisAvailable, REDIS_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { deleteUnder, keysUnder, mergeStep, notification, uniquePrefix, openStoreAround } from './redis-helpers.js';

const up = await redisAvailable();
const prefix = uniquePrefix('store');
const DAY = 86_400_000;
let client: Redis;
let store: RedisStore;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const base = observation('shape-m', 'sent', 1_700_000_000).observation;
function state(overrides: Partial<DeliveryState>): DeliveryState {
  return { ...base, ...overrides };
}

async function joinOne(s: RedisStore, o: DeliveryState): Promise<MergeResult> {
  return (await s.ingest(mergeStep([o]))).merged[0] as MergeResult;
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describeIf(up, SKIP_REASONS.redis, 'redisStore (real Redis)', () => {
  openStoreAround(prefix, (c, s) => {
    client = c;
    store = s;
  });

  it('writes the documented keys, each with a TTL (claims: the claim ttl; states, indexes, stale sets, aliases: stateTtlMs; outbox: outboxTtlMs), except the record counter and the consumer names', async () => {
    const p = `${prefix}ttl:`;
    const local = redisStore({ client, prefix: p, stateTtlMs: 3_600_000, outboxTtlMs: 7_200_000 });
    await local.ingest(mergeStep([trackedObservation({ provider: 'wasender', messageId: 'ttl-w', sentAt: 1_700_000_000_000, wasenderMsgId: '4242' })]));
    const sent = observation('ttl-m', 'sent', 1_700_000_000);
    const { records } = await local.ingest(stepOf([sent], { others: [notification('ttl-n')], consumers: [LISTENERS_CONSUMER, 'sink'], claimTtlMs: 8 * DAY }));
    expect(records.map((r) => [r.event.id, r.consumer])).toEqual([
      [sent.event.id, LISTENERS_CONSUMER],
      [sent.event.id, 'sink'],
      ['ttl-n', LISTENERS_CONSUMER],
      ['ttl-n', 'sink'],
    ]);
    await local.outbox.release('sink', [records[1]?.id as string]);
    expect((await local.outbox.lease('sink', 10, 60_000)).length).toBe(1);
    await local.outbox.deadLetter('sink', [{ id: records[3]?.id as string, reason: 'non_retryable', message: 'HTTP 400', attempts: 1 }]);
    const ob = (c: string) => `${p}ob:${c}:`;
    const expected = [
      `${p}c:${sent.event.id}`,
      `${p}c:ttl-n`,
      `${p}{ttl-w}:states`,
      `${p}{ttl-m}:states`,
      `${p}stale:pending`,
      `${p}stale:sent`,
      `${p}alias:wasender:4242`,
      `${ob('bluetick%3Alisteners')}q`,
      `${ob('bluetick%3Alisteners')}p`,
      `${ob('sink')}q`,
      `${ob('sink')}p`,
      `${ob('sink')}n`,
      `${ob('sink')}dz`,
      `${ob('sink')}dp`,
      `${ob('sink')}dm`,
      `${p}ob:consumers`,
      `${p}ob:seq`,
    ];
    const keys = await keysUnder(client, p);
    expect(keys.sort()).toEqual(expected.sort());
    for (const k of keys) {
      const pttl = await client.pttl(k);
      if (k === `${p}ob:seq` || k === `${p}ob:consumers`) {
        // Record ids must never repeat; the consumer names are pruned by stats(). Two small keys.
        expect([k, pttl]).toEqual([k, -1]);
        continue;
      }
      const want = k.includes(':c:') ? 8 * DAY : k.includes(':ob:') ? 7_200_000 : 3_600_000;
      expect([k, pttl, pttl > want - 10_000 && pttl <= want]).toEqual([k, pttl, true]);
    }
  });

  it('round-trips every field shape through cjson: null vs {} vs [], booleans, nested objects, estimated, meta', async () => {
    const shapes: Array<Partial<DeliveryState>> = [
      { errors: null, annotations: null, meta: null, pricing: null, conversation: null },
      { errors: {}, annotations: [], meta: {}, pricing: {}, conversation: {} },
      { meta: { tags: [] }, annotations: ['deleted'] },
      { meta: { campaign: 'c', tags: ['a', 'b'], wasenderMsgId: '7', accountId: 'my-waba', recipientId: '16505551234' }, tracked: true },
      { errors: { '131026': { code: '131026', class: 'permanent', title: 'x', href: 'h/1' }, abc: { code: 'abc', class: 'unknown' } }, pricing: { billable: false, model: 'CBP', type: 'regular' } },
      { errors: Object.assign(Object.create(null) as Record<string, never>, { ['__proto__']: { code: '__proto__', class: 'unknown' } }) },
      { conversation: { id: 'c1', origin: 'utility', expiresAt: '2025-01-01T00:00:00.000Z' }, billingRank: 2, bizOpaqueCallbackData: '' },
      { accountId: null, recipientId: null, participantId: 'p1', estimated: 2 },
    ];
    for (const [i, shape] of shapes.entries()) {
      const a = state({ ...shape, messageId: `shape-${i}` });
      await joinOne(store, a);
      // A later observation forces the script to re-encode the whole state with cjson.
      const b = state({ messageId: `shape-${i}`, participantId: a.participantId, rank: 3, deliveredAt: 1_700_000_100_000, sentAt: 1_700_000_000_000, estimated: 4 });
      const r = await joinOne(store, b);
      const expected = merge(a, b);
      expect(r.before).toEqual(a);
      expect(r.after).toEqual(expected);
      expect(await store.get(stateKey(a))).toEqual(expected);
    }
  });

  it('compares strings in code-point order: differs from JS only between astral chars and U+E000–U+FFFF', async () => {
    const a = state({ messageId: 'astral', recipientId: '\uFFFF', bizOpaqueCallbackData: 'é' });
    const b = state({ messageId: 'astral', recipientId: '😀', bizOpaqueCallbackData: '😀' });
    await joinOne(store, a);
    const r = await joinOne(store, b);
    expect(merge(a, b).recipientId).toBe('\uFFFF'); // JS: UTF-16 code units, 0xFFFF > 0xD83D
    expect(r.after.recipientId).toBe('😀'); // Redis: UTF-8 bytes, F0… > EF…
    expect(r.after.bizOpaqueCallbackData).toBe(merge(a, b).bizOpaqueCallbackData); // agree elsewhere
  });

  it('recovers from an empty script cache (SCRIPT FLUSH) in ingest and every outbox call', async () => {
    const consumer = `${prefix}noscript`;
    await client.script('FLUSH');
    const { records } = await store.ingest(stepOf([observation('noscript', 'sent', 1)], { others: [notification(`${prefix}ns1`), notification(`${prefix}ns2`)], consumers: [consumer] }));
    expect(records.length).toBe(3);
    await client.script('FLUSH');
    await store.outbox.release(consumer, [records[0]?.id as string, records[1]?.id as string]);
    await client.script('FLUSH');
    expect((await store.outbox.lease(consumer, 10, 60_000)).length).toBe(2);
    await client.script('FLUSH');
    await store.outbox.ack(consumer, [records[0]?.id as string]);
    await client.script('FLUSH');
    await store.outbox.deadLetter(consumer, [{ id: records[1]?.id as string, reason: 'non_retryable', message: 'no', attempts: 1 }]);
    await client.script('FLUSH');
    expect((await store.outbox.deadLetters({ consumer })).length).toBe(1);
    await client.script('FLUSH');
    expect(await store.outbox.replay({ consumer })).toBe(1);
    expect((await store.outbox.stats()).pending[consumer]).toBe(2);
  });

  it('a step over a corrupt state or a key of another type fails whole (script_failed): no claim, no state, no record', async () => {
    const p = `${prefix}atomic:`;
    const local = redisStore({ client, prefix: p });
    const good = observation('good', 'sent', 1_700_000_000);
    const bad = observation('bad', 'sent', 1_700_000_000);
    const step = stepOf([good, bad], { others: [notification('atomic-n')], consumers: ['sink'] });
    const bad1 = local.keys.state(bad.observation);
    await client.hset(bad1.hash, bad1.field, '{not json');
    const before = (await keysUnder(client, p)).sort();
    const err = await caught(local.ingest(step));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('script_failed');
    expect((await keysUnder(client, p)).sort()).toEqual(before); // nothing written: not even the claims
    expect(await client.hgetall(bad1.hash)).toEqual({ [bad1.field]: '{not json' });
    // A key of the wrong type is found before the first write too: a message hash, an outbox queue.
    await client.del(bad1.hash);
    await client.set(bad1.hash, 'not a hash');
    expect(((await caught(local.ingest(step))) as StorageError).code).toBe('script_failed');
    expect((await keysUnder(client, p)).sort()).toEqual([bad1.hash]);
    await client.del(bad1.hash);
    await client.set(local.keys.outbox('sink').queue, 'not a zset');
    const err2 = await caught(local.ingest(step));
    expect((err2 as StorageError).code).toBe('script_failed');
    expect((await keysUnder(client, p)).sort()).toEqual([local.keys.outbox('sink').queue]);
    await client.del(local.keys.outbox('sink').queue);
    const ok = await local.ingest(step);
    expect(ok.claimed).toEqual([true, true, true]);
    expect(ok.records.length).toBe(3);
  });

  it('stale index: follows rank changes and refined times, drops failed and played states, forgets expired ones', async () => {
    const p = `${prefix}stale:`;
    const local = redisStore({ client, prefix: p, stateTtlMs: 1_000 });
    const m = (id: string, status: Parameters<typeof observation>[1], at: number) => observation(id, status, at);
    await local.ingest(stepOf([m('s1', 'sent', 100), m('s1', 'delivered', 200), m('s2', 'sent', 100), m('s3', 'pending', 100), m('s4', 'played', 100)]));
    await local.ingest(stepOf([m('s2', 'failed', 150), m('s1', 'delivered', 190)]));
    expect(await client.zrange(local.keys.stale(2), 0, -1)).toEqual([]);
    expect(await client.zrange(local.keys.stale(3), 0, -1, 'WITHSCORES')).toEqual(['cloud:s1:', '190000']);
    expect(await client.zrange(local.keys.stale(1), 0, -1)).toEqual(['cloud:s3:']);
    expect(await client.zcard(local.keys.stale(4))).toBe(0);
    const stale = await local.findStale({ olderThan: 150_000, statuses: ['pending', 'delivered'] });
    expect(stale.map((s) => s.messageId)).toEqual(['s3']);
    expect((await local.findStale({ olderThan: 300_000, statuses: ['pending', 'delivered', 'delivered'] })).length).toBe(2);
    // The states expire (1 s); a sorted set keeps members until a search finds them gone.
    await client.pexpire(local.keys.stale(1), 60_000);
    await sleep(1_200);
    await client.zadd(local.keys.stale(1), 1, 'cloud:gone:');
    expect(await local.findStale({ olderThan: 300_000, statuses: ['pending'] })).toEqual([]);
    expect(await client.zcard(local.keys.stale(1))).toBe(0);
  });

  it('findByMessage reads the message’s hash: every participant, filtered by provider; the message expires whole', async () => {
    const p = `${prefix}bymsg:`;
    const local = redisStore({ client, prefix: p, stateTtlMs: 1_000 });
    await local.ingest(stepOf([observation('g', 'read', 1, { participantId: 'p1' }), observation('g', 'sent', 1)]));
    await sleep(600);
    await local.ingest(stepOf([observation('g', 'read', 2, { participantId: 'p2' })])); // touches the whole message
    expect((await local.findByMessage({ messageId: 'g' })).map((s) => s.participantId ?? '-').sort()).toEqual(['-', 'p1', 'p2']);
    expect((await local.findByMessage({ messageId: 'g', provider: 'wasender' })).length).toBe(0);
    expect(await client.hlen(local.keys.message('g'))).toBe(3);
    await sleep(600);
    expect((await local.findByMessage({ messageId: 'g' })).length).toBe(3); // 1.2 s after the first write
    await sleep(600);
    expect(await local.findByMessage({ messageId: 'g' })).toEqual([]);
    expect(await local.get(observation('g', 'sent', 1).key)).toBeNull();
  });

  it('outbox: the listeners’ records keep their merge through a lease, other consumers’ carry the event only', async () => {
    const sink = `${prefix}payload-sink`;
    const item = observation(`${prefix}payload`, 'delivered', 1_700_000_000);
    const { records, merged } = await store.ingest(stepOf([item], { consumers: [LISTENERS_CONSUMER, sink] }));
    await store.outbox.release(LISTENERS_CONSUMER, [records[0]?.id as string]);
    await store.outbox.release(sink, [records[1]?.id as string]);
    const [listener] = (await store.outbox.lease(LISTENERS_CONSUMER, 1000, 60_000)).filter((r) => r.id === records[0]?.id);
    const [forSink] = await store.outbox.lease(sink, 10, 60_000);
    await store.outbox.ack(LISTENERS_CONSUMER, [listener?.id as string]);
    expect(listener?.before).toBeNull();
    expect(listener?.after).toEqual(merged[0]?.after);
    expect(listener?.appendedAt).toBe(records[0]?.appendedAt);
    expect(forSink?.event).toEqual(item.event);
    expect('after' in (forSink as object)).toBe(false);
  });

  it('outbox: dead letters are bounded per consumer (oldest dropped), listed oldest first, replayed by id across consumers', async () => {
    const p = `${prefix}dead:`;
    const local = redisStore({ client, prefix: p, maxDeadLetters: 3 });
    const events = Array.from({ length: 5 }, (_, i) => notification(`dl-${i}`));
    const { records } = await local.ingest(stepOf([], { others: events, consumers: ['a', 'b'] }));
    const of = (c: string) => records.filter((r) => r.consumer === c);
    for (const r of of('a')) {
      await local.outbox.deadLetter('a', [{ id: r.id, reason: 'retries_exhausted', message: `gave up on ${r.event.id}`, attempts: 3 }]);
      await sleep(2);
    }
    await local.outbox.deadLetter('b', [{ id: of('b')[0]?.id as string, reason: 'expired', message: 'too old', attempts: 0 }]);
    const dead = await local.outbox.deadLetters();
    expect(dead.filter((d) => d.consumer === 'a').map((d) => d.event.id)).toEqual(['dl-2', 'dl-3', 'dl-4']);
    expect(dead.map((d) => d.at)).toEqual([...dead.map((d) => d.at)].sort((x, y) => x - y));
    expect((await local.outbox.deadLetters({ limit: 2 })).length).toBe(2);
    expect(await local.outbox.stats()).toEqual({ pending: { b: 4 }, deadLetters: { a: 3, b: 1 } });
    const ids = [dead.find((d) => d.event.id === 'dl-3')?.id as string, of('b')[0]?.id as string];
    expect(await local.outbox.replay({ ids })).toBe(2);
    expect(await local.outbox.stats()).toEqual({ pending: { a: 1, b: 5 }, deadLetters: { a: 2 } });
    const back = await local.outbox.lease('a', 10, 60_000);
    expect(back.map((r) => [r.event.id, r.attempts])).toEqual([['dl-3', 0]]);
    // A consumer with nothing left is dropped from the names stats() reads.
    await local.outbox.ack('a', back.map((r) => r.id));
    await local.outbox.replay({ consumer: 'a' });
    await local.outbox.ack('a', (await local.outbox.lease('a', 10, 60_000)).map((r) => r.id));
    expect((await local.outbox.stats()).pending.a).toBeUndefined();
    expect(await client.smembers(local.keys.consumers)).toEqual(['b']);
  });

  it('scanStates: a cursor continues on another store instance; every state once', async () => {
    const p = `${prefix}scan:`;
    const a = redisStore({ client, prefix: p });
    const b = redisStore({ client, prefix: p });
    await a.ingest(stepOf(Array.from({ length: 40 }, (_, i) => observation(`scan-${i}`, 'sent', 1_700_000_000 + i))));
    const first = await a.scanStates({ limit: 10 });
    const seen = first.states.map((s) => s.messageId);
    for (let cursor = first.cursor; cursor !== null; ) {
      const page = await b.scanStates({ cursor, limit: 10 });
      seen.push(...page.states.map((s) => s.messageId));
      cursor = page.cursor;
    }
    expect(seen.sort()).toEqual(Array.from({ length: 40 }, (_, i) => `scan-${i}`).sort());
  });

  it('scanStates in a database crowded with other keys: each page does bounded work (fewer states, cursor on), and every state comes once', async () => {
    const p = `${prefix}crowd:`;
    const s = redisStore({ client, prefix: p });
    await s.ingest(stepOf(Array.from({ length: 5 }, (_, i) => observation(`crowd-${i}`, 'sent', 1_700_000_000 + i))));
    // 60,000 keys of someone else's: a page of 3 would otherwise walk most of them in one call.
    const other = `${prefix}other:`;
    for (let chunk = 0; chunk < 6; chunk++) {
      const pipeline = client.pipeline();
      for (let i = 0; i < 10_000; i++) pipeline.set(`${other}${chunk}:${i}`, '1', 'EX', 600);
      await pipeline.exec();
    }
    try {
      const seen: string[] = [];
      let shortPages = 0;
      let cursor: string | null = null;
      do {
        const page = await s.scanStates({ cursor, limit: 3 });
        seen.push(...page.states.map((x) => x.messageId));
        if (page.cursor !== null && page.states.length < 3) shortPages++;
        cursor = page.cursor;
      } while (cursor !== null);
      expect(seen.sort()).toEqual(['crowd-0', 'crowd-1', 'crowd-2', 'crowd-3', 'crowd-4']);
      expect(shortPages).toBeGreaterThan(0);
    } finally {
      await deleteUnder(client, other);
    }
  }, 60_000);

  it('options: one object, known keys only (naming the right place), no Cluster client, sane values', () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return `${(err as ConfigError).code}: ${(err as ConfigError).message}`;
      }
      throw new Error('expected a ConfigError');
    };
    expect(message(() => redisStore({ url: REDIS_URL, staleIndex: true } as never))).toMatch(/invalid_option: .*`staleIndex`.*always kept/);
    expect(message(() => redisStore({ url: REDIS_URL, host: 'x' } as never))).toMatch(/`host`.*url/);
    expect(message(() => redisStore({ client, tablePrefix: 'x_' } as never))).toMatch(/`tablePrefix`.*postgresStore\(\)/);
    expect(message(() => redisStore({} as never))).toMatch(/exactly one of `client`.*neither/);
    expect(message(() => redisStore({ client, url: REDIS_URL } as never))).toMatch(/not both/);
    expect(message(() => redisStore({ client: {} as never }))).toMatch(/ioredis client/);
    const cluster = message(() => redisStore({ client: { isCluster: true, evalsha() {} } as never }));
    expect(cluster).toMatch(/^cluster_unsupported: .*Cluster is not supported.*hash slots.*standalone Redis, or Sentinel/);
    expect(message(() => redisStore({ client, prefix: 'a{b}:' }))).toMatch(/^invalid_prefix/);
    expect(message(() => redisStore({ client, timeoutMs: 0 }))).toMatch(/timeoutMs must be a positive/);
    expect(message(() => redisStore({ client, stateTtlMs: Number.NaN }))).toMatch(/stateTtlMs/);
  });

  it('ready(): loads and pings; refuses a prefix holding 0.1 data until migrate() ran (ConfigError migration_required)', async () => {
    const p = `${prefix}ready:`;
    const owned = redisStore({ url: REDIS_URL, prefix: p });
    await owned.ready();
    await client.zadd(`${p}stale:2`, 1, `${p}{x}:s:cloud:a:b`); // what a 0.1 store leaves
    const err = await caught(owned.ready());
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('migration_required');
    expect((err as ConfigError).message).toMatch(/store\.migrate\(\)/);
    await owned.migrate();
    await owned.ready();
    expect(await client.exists(`${p}stale:2`)).toBe(0);
    await owned.close();
  });

  it('close(): keeps the caller’s client open, quits its own; later calls reject with StorageError closed', async () => {
    const shared = redisStore({ client, prefix });
    await shared.close();
    expect(client.status).toBe('ready');
    await expect(shared.get('cloud:x:')).rejects.toMatchObject({ code: 'closed' });
    const owned = redisStore({ url: REDIS_URL, prefix });
    await owned.ping();
    await owned.close();
    const err = await caught(owned.ingest(stepOf([], { others: [notification('after-close')] })));
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('closed');
  });

  it('two trackers on one prefix ("two processes"): one transition per status, a late earlier status is a change', async () => {
    const p = `${prefix}tracker:`;
    const t1 = createTracker({ store: redisStore({ client, prefix: p }) });
    const t2 = createTracker({ store: redisStore({ client, prefix: p }) });
    const seen: string[] = [];
    for (const t of [t1, t2]) {
      t.on('transition', (tr) => void seen.push(`${tr.before?.status ?? '-'}>${tr.after.status}`));
      t.on('change', (ch) => void seen.push(`change ${ch.after.status} sentAt=${ch.after.sentAt}`));
    }
    const ev = (status: 'sent' | 'read', at: number): StatusEvent => ({
      schemaVersion: 1,
      id: `trk:${status}`,
      kind: 'status',
      provider: 'cloud',
      accountId: 'acct',
      phoneNumberId: null,
      occurredAt: new Date(at * 1000).toISOString(),
      receivedAt: new Date(at * 1000).toISOString(),
      messageId: 'trk',
      recipientId: '15550001111',
      status,
      providerStatus: status,
      errors: [],
    });
    const reports = await Promise.all([t1.ingest([ev('read', 20)]), t2.ingest([ev('read', 20)])]);
    reports.push(await t1.ingest([ev('sent', 10)]));
    expect(reports.map((r) => r.duplicates).sort()).toEqual([0, 0, 1]);
    expect(seen).toEqual(['->read', `change read sentAt=${new Date(10_000).toISOString()}`]);
    const view = await t2.getState('trk');
    expect(view?.status).toBe('read');
    await t1.close();
    await t2.close();
  });
});
