/**
 * redisStore behaviour beyond the conformance suite: key layout and Redis Cluster slots (checked
 * against what the script really touches, via MONITOR), TTLs on every key, JSON shapes through
 * cjson, unicode, NOSCRIPT recovery, the stale and message indexes, options, close, the tracker.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError, StorageError } from '../../src/errors.js';
import { redisStore, type RedisClient, type RedisStore } from '../../src/storage/redis/index.js';
import { observation } from '../../src/testing/index.js';
import { trackingKey } from '../../src/tracking/key.js';
import { merge } from '../../src/tracking/merge.js';
import { createTracker } from '../../src/tracking/tracker.js';
import type { DeliveryState } from '../../src/tracking/state.js';
import { redisAvailable, REDIS_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { deleteUnder, keysUnder, testClient, uniquePrefix } from './redis-helpers.js';

const up = await redisAvailable();
const prefix = uniquePrefix('store');
let client: Redis;
let store: RedisStore;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Redis Cluster's key → slot: CRC16-XMODEM of the hash tag (or the whole key) mod 16384. */
function keySlot(key: string): number {
  let s = key;
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) s = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(s, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc & 16383;
}

const base = observation('shape-m', 'sent', 1_700_000_000).observation;
function state(overrides: Partial<DeliveryState>): DeliveryState {
  return { ...base, ...overrides };
}

describeIf(up, SKIP_REASONS.redis, 'redisStore (real Redis)', () => {
  beforeAll(() => {
    client = testClient();
    store = redisStore({ client, prefix });
  });
  afterAll(async () => {
    await deleteUnder(client, prefix);
    await client.quit();
  });

  it('keySlot matches the slots Redis documents', () => {
    expect(keySlot('123456789')).toBe(12739); // CRC16-XMODEM check value 0x31C3
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('{user1000}.following')).toBe(keySlot('user1000'));
  });

  it('every key one merge script touches lives in one hash slot (MONITOR of the script, awkward ids)', async () => {
    const local = redisStore({ client, prefix: `${prefix}slots:`, staleIndex: false });
    const monitor = await testClient().monitor();
    const touched: string[][] = [];
    let current: string[] | null = null;
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (!args.some((a) => typeof a === 'string' && a.includes(`${prefix}slots:`))) return;
      // Merges run one after another: each run of script-issued commands is one script call.
      if (source !== 'lua') current = null;
      else {
        if (current === null) touched.push((current = []));
        current.push(args[1] as string);
      }
    });
    const ids = ['wamid.HBgL', 'a{b}c', '}{', '%7B', 'x:y', 'grp@g.us', '😀{'];
    for (const id of ids) {
      for (const item of [observation(id, 'sent', 1), observation(id, 'read', 2, { participantId: `p{${id}}` }), observation(id, 'failed', 3)]) {
        await local.merge(item.key, item.observation);
      }
    }
    await sleep(200);
    await monitor.disconnect();
    expect(touched.length).toBe(ids.length * 3);
    for (const keys of touched) {
      expect(keys.length).toBeGreaterThanOrEqual(3); // GET, SET or PEXPIRE, SADD, PEXPIRE
      expect(new Set(keys.map(keySlot)).size).toBe(1);
    }
    // And the keys left in Redis: per message, state and index share the slot of `{<id>}`.
    const keys = await keysUnder(client, `${prefix}slots:`);
    expect(keys.length).toBe(ids.length * 3); // 2 states + 1 index per message
    for (const id of ids) {
      const mine = keys.filter((k) => k.startsWith(local.keys.messageIndex(id).slice(0, -1)));
      expect(mine.length).toBe(3);
      expect(new Set(mine.map(keySlot)).size).toBe(1);
    }
  });

  it('puts a TTL on every key: claims (the given ttl), states, message and stale indexes (stateTtlMs)', async () => {
    const p = `${prefix}ttl:`;
    const local = redisStore({ client, prefix: p, stateTtlMs: 3_600_000 });
    await local.claim('ttl-event', 8 * 86_400_000);
    await local.claimMany(['ttl-a', 'ttl-b'], 60_000);
    const item = observation('ttl-m', 'sent', 1_700_000_000);
    await local.merge(item.key, item.observation);
    const keys = await keysUnder(client, p);
    expect(keys.sort()).toEqual([`${p}c:ttl-a`, `${p}c:ttl-b`, `${p}c:ttl-event`, `${p}stale:2`, `${p}{ttl-m}:m`, `${p}{ttl-m}:s:cloud:conformance:15550001111`].sort());
    for (const k of keys) {
      const pttl = await client.pttl(k);
      const want = k.includes(':c:ttl-event') ? 8 * 86_400_000 : k.includes(':c:') ? 60_000 : 3_600_000;
      expect(pttl).toBeGreaterThan(want - 5_000);
      expect(pttl).toBeLessThanOrEqual(want);
    }
  });

  it('round-trips every field shape through cjson: null vs {} vs [], booleans, nested objects', async () => {
    const shapes: Array<Partial<DeliveryState>> = [
      { errors: null, annotations: null, meta: null, pricing: null, conversation: null },
      { errors: {}, annotations: [], meta: {}, pricing: {}, conversation: {} },
      { meta: { tags: [] }, annotations: ['deleted'] },
      { meta: { campaign: 'c', tags: ['a', 'b'], wasenderMsgId: '7' }, tracked: true },
      { errors: { '131026': { code: '131026', class: 'permanent', title: 'x', href: 'h/1' }, abc: { code: 'abc', class: 'unknown' } }, pricing: { billable: false, model: 'CBP', type: 'regular' } },
      { conversation: { id: 'c1', origin: 'utility', expiresAt: '2025-01-01T00:00:00.000Z' }, billingRank: 2, bizOpaqueCallbackData: '' },
      { accountId: null, recipientId: null, participantId: null },
    ];
    for (const [i, shape] of shapes.entries()) {
      const a = state({ ...shape, messageId: `shape-${i}` });
      const key = trackingKey(a);
      await store.merge(key, a);
      // A later observation forces the script to re-encode the whole state with cjson.
      const b = state({ messageId: `shape-${i}`, rank: 3, deliveredAt: 1_700_000_100_000, sentAt: 0 });
      const r = await store.merge(key, b);
      const expected = merge(a, b);
      expect(r.before).toEqual(a);
      expect(r.after).toEqual(expected);
      expect(await store.get(key)).toEqual(expected);
      // Same field order too: tracker code comparing JSON strings sees equal states as equal.
      expect(JSON.stringify(await store.get(key))).toBe(JSON.stringify(expected));
    }
  });

  it('compares strings in code-point order: differs from JS only between astral chars and U+E000–U+FFFF', async () => {
    const a = state({ messageId: 'astral', recipientId: '\uFFFF', bizOpaqueCallbackData: 'é' });
    const b = state({ messageId: 'astral', recipientId: '😀', bizOpaqueCallbackData: '😀' });
    const key = trackingKey(a);
    await store.merge(key, a);
    const r = await store.merge(key, b);
    expect(merge(a, b).recipientId).toBe('\uFFFF'); // JS: UTF-16 code units, 0xFFFF > 0xD83D
    expect(r.after?.recipientId).toBe('😀'); // Redis: UTF-8 bytes, F0… > EF…
    expect(r.after?.bizOpaqueCallbackData).toBe(merge(a, b).bizOpaqueCallbackData); // agree elsewhere
  });

  it('replaces lone surrogates with U+FFFD instead of failing the merge forever', async () => {
    const a = state({ messageId: 'surrogate', bizOpaqueCallbackData: 'x\uD800y' });
    const r = await store.merge(trackingKey(a), a);
    expect(r.before).toBeNull();
    expect((await store.get(trackingKey(a)))?.bizOpaqueCallbackData).toBe('x\uFFFDy');
  });

  it('recovers from an empty script cache (SCRIPT FLUSH) for merge and mergeMany', async () => {
    const one = observation('noscript', 'sent', 1);
    const two = observation('noscript', 'delivered', 2);
    await client.script('FLUSH');
    expect((await store.merge(one.key, one.observation)).before).toBeNull();
    await client.script('FLUSH');
    const [r1, r2] = await store.mergeMany([two, one]);
    expect(r1?.after.rank).toBe(3);
    expect(r2?.after).toBe(r2?.before);
  });

  it('maps error replies: a corrupt stored state fails the script (script_failed), a wrong type fails get (command_failed)', async () => {
    const item = observation('corrupt', 'sent', 1);
    const keys = store.keys.state(item.key);
    await client.set(keys.state, '{not json');
    const err = await store.merge(item.key, item.observation).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('script_failed');
    expect(await client.get(keys.state)).toBe('{not json'); // nothing half-written
    await client.del(keys.state);
    await client.sadd(keys.state, 'x');
    const err2 = await store.get(item.key).catch((e: unknown) => e);
    expect((err2 as StorageError).code).toBe('command_failed');
    await client.del(keys.state);
    expect((await store.merge(item.key, item.observation)).before).toBeNull();
  });

  it('stale index: follows rank changes, drops failed and played states, forgets expired ones', async () => {
    const p = `${prefix}stale:`;
    const local = redisStore({ client, prefix: p, stateTtlMs: 1_000 });
    const m = (id: string, status: Parameters<typeof observation>[1], at: number) => observation(id, status, at);
    for (const it of [m('s1', 'sent', 100), m('s1', 'delivered', 200), m('s2', 'sent', 100), m('s2', 'failed', 150), m('s3', 'pending', 100), m('s4', 'played', 100)]) {
      await local.merge(it.key, it.observation);
    }
    expect(await client.zrange(local.keys.stale(2), 0, -1)).toEqual([]);
    expect(await client.zrange(local.keys.stale(3), 0, -1, 'WITHSCORES')).toEqual([local.keys.state(m('s1', 'sent', 1).key).state, '200000']);
    const stale = await local.findStale?.({ olderThan: 150_000, statuses: ['pending', 'delivered'] });
    expect(stale?.map((s) => s.messageId)).toEqual(['s3']);
    expect((await local.findStale?.({ olderThan: 300_000, statuses: ['pending', 'delivered', 'delivered'] }))?.length).toBe(2);
    // The states expire (1 s); the sorted sets keep the members until a scan finds them gone.
    await client.pexpire(local.keys.stale(1), 60_000);
    await sleep(1_200);
    await client.zadd(local.keys.stale(1), 1, `${p}{gone}:s:x`);
    expect(await local.findStale?.({ olderThan: 300_000, statuses: ['pending'] })).toEqual([]);
    expect(await client.zcard(local.keys.stale(1))).toBe(0);
  });

  it('findByMessage filters by provider and account and drops index members whose state expired', async () => {
    const p = `${prefix}bymsg:`;
    const local = redisStore({ client, prefix: p });
    for (const it of [observation('g', 'read', 1, { participantId: 'p1' }), observation('g', 'sent', 1, { accountId: 'other' })]) {
      await local.merge(it.key, it.observation);
    }
    expect((await local.findByMessage({ messageId: 'g' })).length).toBe(2);
    expect((await local.findByMessage({ messageId: 'g', accountId: 'other' })).map((s) => s.accountId)).toEqual(['other']);
    expect((await local.findByMessage({ messageId: 'g', provider: 'wasender' })).length).toBe(0);
    await client.del(local.keys.state(observation('g', 'read', 1, { participantId: 'p1' }).key).state);
    expect((await local.findByMessage({ messageId: 'g' })).length).toBe(1);
    expect(await client.scard(local.keys.messageIndex('g'))).toBe(1);
  });

  it('options: a prefix with braces and a stale index on Cluster are ConfigErrors; bad values too', () => {
    expect(() => redisStore({ client, prefix: 'a{b}:' })).toThrow(ConfigError);
    const clusterLike = { isCluster: true, status: 'ready' } as unknown as RedisClient;
    expect(() => redisStore({ client: clusterLike, staleIndex: true })).toThrow(ConfigError);
    expect(redisStore({ client: clusterLike }).findStale).toBeUndefined();
    expect(() => redisStore({ client, timeoutMs: 0 })).toThrow(ConfigError);
  });

  it('close(): keeps the caller client open, quits its own; later calls reject with StorageError closed', async () => {
    const shared = redisStore({ client, prefix });
    await shared.close();
    expect(client.status).toBe('ready');
    await expect(shared.get('cloud::x:1')).rejects.toMatchObject({ code: 'closed' });
    const owned = redisStore({ url: REDIS_URL, prefix });
    await owned.ping();
    await owned.close();
    const err = await owned.claim('after-close', 1000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageError);
    expect((err as StorageError).code).toBe('closed');
  });

  it('runs the tracker: duplicates across two trackers (two "processes") emit one transition each', async () => {
    const p = `${prefix}tracker:`;
    const t1 = createTracker({ store: redisStore({ client, prefix: p }) });
    const t2 = createTracker({ store: redisStore({ client, prefix: p }) });
    const seen: string[] = [];
    for (const t of [t1, t2]) t.on('transition', (tr) => void seen.push(`${tr.before?.status ?? '-'}>${tr.after.status}`));
    const ev = (status: 'sent' | 'read', at: number) => ({
      schemaVersion: 1 as const,
      id: `trk:${status}`,
      kind: 'status' as const,
      provider: 'cloud' as const,
      accountId: 'conformance',
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
    // One `read` transition for two concurrent deliveries; the late `sent` only fills sentAt.
    expect(seen).toEqual(['->read', 'read>read']);
    const view = await t2.getState({ messageId: 'trk', provider: 'cloud', accountId: 'conformance', recipientId: '15550001111' });
    expect(view?.status).toBe('read');
    expect(view?.sentAt).toBe(new Date(10_000).toISOString());
    await t1.close();
    await t2.close();
  });
});
