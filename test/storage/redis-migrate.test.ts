/**
 * `migrate()` on what bluetick 0.1 really wrote (test/fixtures/migration/v0.1-redis.json: every
 * key of one prefix with its type, value and TTL), loaded under a unique prefix: the states 0.1
 * split by the host's spelling become one, the provider's account and recipient win with the
 * host's spellings kept in `meta`, group states stay apart, the indexes are rebuilt, the old keys
 * go, claims keep working, and running it again (or twice at once, or after a crash) changes nothing.
 */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { DeliveryState } from '../../src/state/state.js';
import { redisStore, type RedisStore } from '../../src/storage/redis/index.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { deleteUnder, keysUnder, notification, testClient, uniquePrefix } from './redis-helpers.js';

interface Entry {
  key: string;
  type: 'string' | 'set' | 'zset';
  value: string | string[];
  pttl: number;
}

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/migration/v0.1-redis.json', import.meta.url), 'utf8')) as Entry[];
const FIXTURE_PREFIX = 'btv01:';
const up = await redisAvailable();
const prefixes: string[] = [];
let client: Redis;

/** Writes the fixture under a fresh prefix, with the same types and TTLs; returns the prefix. */
async function load(name: string, only?: (e: Entry) => boolean): Promise<string> {
  const prefix = uniquePrefix(`migrate-${name}`);
  prefixes.push(prefix);
  for (const e of FIXTURE.filter(only ?? (() => true))) {
    const key = `${prefix}${e.key}`;
    if (e.type === 'string') await client.set(key, e.value as string, 'PX', e.pttl);
    else {
      const values = e.value as string[];
      if (e.type === 'set') await client.sadd(key, ...values);
      else for (let i = 0; i < values.length; i += 2) await client.zadd(key, values[i + 1] as string, (values[i] as string).replace(FIXTURE_PREFIX, prefix));
      await client.pexpire(key, e.pttl);
    }
  }
  return prefix;
}

const ZERO = { pendingAt: 0, sentAt: 0, deliveredAt: 0, readAt: 0, playedAt: 0, failedAt: 0, deletedAt: 0, warningAt: 0, estimated: 0 };
const NONE = { errors: null, billingRank: -1, pricing: null, conversation: null, bizOpaqueCallbackData: null, annotations: null, tracked: false, meta: null };

const EXPECTED: Record<string, DeliveryState[]> = {
  'wamid.A': [
    {
      provider: 'cloud',
      messageId: 'wamid.A',
      participantId: null,
      accountId: '102290129340398',
      recipientId: '16505551234',
      rank: 4,
      ...ZERO,
      pendingAt: 1796134801930,
      sentAt: 1700000010000,
      deliveredAt: 1700000020000,
      readAt: 1700000030000,
      ...NONE,
      billingRank: 3,
      pricing: { billable: true, model: 'PMP', category: 'marketing' },
      tracked: true,
      meta: { campaign: 'spring', tags: ['promo'], accountId: 'my-waba', recipientId: '16505551234' },
    },
  ],
  'wamid.B': [
    {
      provider: 'cloud',
      messageId: 'wamid.B',
      participantId: null,
      accountId: '102290129340398',
      recipientId: '447700900123',
      rank: 0,
      ...ZERO,
      failedAt: 1700000040000,
      ...NONE,
      errors: { '131026': { code: '131026', class: 'permanent', title: 'Message undeliverable' } },
    },
  ],
  'wamid.G': [
    { provider: 'cloud', messageId: 'wamid.G', participantId: null, accountId: '102290129340398', recipientId: '120363000000000001', rank: 2, ...ZERO, sentAt: 1700000045000, ...NONE },
    { provider: 'cloud', messageId: 'wamid.G', participantId: '5511999990001', accountId: '102290129340398', recipientId: '120363000000000001', rank: 3, ...ZERO, deliveredAt: 1700000050000, ...NONE },
    { provider: 'cloud', messageId: 'wamid.G', participantId: '5511999990002', accountId: '102290129340398', recipientId: '120363000000000001', rank: 4, ...ZERO, readAt: 1700000060000, ...NONE },
  ],
  // track()-only: the host's spellings move into meta; the state has no provider values yet.
  'wamid.P': [
    { provider: 'cloud', messageId: 'wamid.P', participantId: null, accountId: null, recipientId: null, rank: 1, ...ZERO, pendingAt: 1796134801963, ...NONE, tracked: true, meta: { accountId: '102290129340398', recipientId: '15550009999' } },
  ],
  ABCDEF123: [{ provider: 'wasender', messageId: 'ABCDEF123', participantId: null, accountId: 'session-1', recipientId: '5511988887777', rank: 3, ...ZERO, deliveredAt: 1700000070000, ...NONE }],
};

/** Every state of the fixture's messages, sorted by participant. */
async function statesOf(store: RedisStore): Promise<Record<string, DeliveryState[]>> {
  const out: Record<string, DeliveryState[]> = {};
  for (const id of Object.keys(EXPECTED)) {
    out[id] = (await store.findByMessage({ messageId: id })).sort((a, b) => (a.participantId ?? '').localeCompare(b.participantId ?? ''));
  }
  return out;
}

/** Keys of the 0.1 layout still there. */
async function legacyKeys(prefix: string): Promise<string[]> {
  return (await keysUnder(client, prefix)).filter((k) => /\}:s:|\}:m$/.test(k) || /:stale:\d$/.test(k));
}

describeIf(up, SKIP_REASONS.redis, 'redisStore.migrate() from 0.1 (real Redis, the fixture 0.1 wrote)', () => {
  beforeAll(() => {
    client = testClient();
  });
  afterAll(async () => {
    for (const p of prefixes) await deleteUnder(client, p);
    await client.quit();
  });

  it('joins what 0.1 split, keeps groups apart, rebuilds the indexes, removes the 0.1 keys; claims keep working', async () => {
    const prefix = await load('main');
    const store = redisStore({ client, prefix });
    const refused = await store.ready().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).code).toBe('migration_required');

    expect(await store.migrate()).toEqual({ alreadyMigrated: false, legacyStates: 8, states: 7 });
    await store.ready();
    expect(await statesOf(store)).toEqual(EXPECTED);
    expect(await legacyKeys(prefix)).toEqual([]);
    expect(await client.get(`${prefix}version`)).toBe('2');

    // Every state key has the state TTL; the claims kept theirs.
    for (const k of (await keysUnder(client, prefix)).filter((key) => key.endsWith('}:states'))) expect(await client.pttl(k)).toBeGreaterThan(29 * 86_400_000);
    expect(await client.pttl(`${prefix}c:wamid.IN1`)).toBeGreaterThan(0);

    // The stale index: found again, at the ranks the joined states now have.
    const stale = async (status: 'pending' | 'sent' | 'delivered' | 'read') =>
      (await store.findStale({ olderThan: 1_900_000_000_000, statuses: [status] })).map((s) => `${s.messageId}/${s.participantId ?? '-'}`).sort();
    expect(await stale('pending')).toEqual(['wamid.P/-']);
    expect(await stale('sent')).toEqual(['wamid.G/-']);
    expect(await stale('delivered')).toEqual(['ABCDEF123/-', 'wamid.G/5511999990001']);
    expect(await stale('read')).toEqual(['wamid.A/-', 'wamid.G/5511999990002']);

    // Claims written by 0.1 still hold: those events are duplicates; a new one is not.
    const old = [notification('wamid.IN1'), notification('wamid.A:read:16505551234:2023-11-14T22:13:50.000Z'), notification('new-event')];
    const { claimed } = await store.ingest({ events: old, merges: [], claimTtlMs: 60_000, outbox: { consumers: [], leaseMs: 1 } });
    expect(claimed).toEqual([false, false, true]);

    // Again: nothing to do.
    expect(await store.migrate()).toEqual({ alreadyMigrated: true, legacyStates: 0, states: 0 });
    expect(await statesOf(store)).toEqual(EXPECTED);
  });

  it('two processes migrating at once end with the same states', async () => {
    const prefix = await load('twice');
    const [a, b] = [redisStore({ client, prefix }), redisStore({ url: `redis://127.0.0.1:6379`, prefix })];
    const reports = await Promise.all([a.migrate(), b.migrate()]);
    // Each 0.1 state was moved (and counted) by exactly one of them.
    expect(reports.reduce((n, r) => n + r.legacyStates, 0)).toBe(8);
    expect(await statesOf(a)).toEqual(EXPECTED);
    expect(await legacyKeys(prefix)).toEqual([]);
    await b.close();
  });

  it('a run that stopped midway (0.1 keys left, no version) finishes on the next: the join is idempotent', async () => {
    const prefix = await load('resume');
    const store = redisStore({ client, prefix });
    await store.migrate();
    // As if the first run had crashed after merging but before deleting: the 0.1 keys are back.
    await client.del(`${prefix}version`);
    for (const e of FIXTURE.filter((x) => x.key.includes('}:s:') || /^stale:/.test(x.key))) {
      if (e.type === 'string') await client.set(`${prefix}${e.key}`, e.value as string, 'PX', e.pttl);
      else for (let i = 0; i < e.value.length; i += 2) await client.zadd(`${prefix}${e.key}`, e.value[i + 1] as string, (e.value[i] as string).replace(FIXTURE_PREFIX, prefix));
    }
    expect((await store.migrate()).legacyStates).toBe(8);
    expect(await statesOf(store)).toEqual(EXPECTED);
    expect(await legacyKeys(prefix)).toEqual([]);
  });
});
