/**
 * The SQL port of the join against the TypeScript reference, on generated observations that
 * stress every rule: more than 16 error codes, more than 8 annotations, error and billing
 * tie-breaks, meta (campaign, tags past 32, wasenderMsgId), non-ASCII strings.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StatusEvent } from '../../src/event/types.js';
import { postgresStore, type PostgresStore } from '../../src/storage/postgres/index.js';
import { trackingKey } from '../../src/tracking/key.js';
import { merge } from '../../src/tracking/merge.js';
import { observe } from '../../src/tracking/observe.js';
import type { DeliveryState } from '../../src/tracking/state.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('sql');
let store: PostgresStore;
let run = 0;

beforeAll(async () => {
  if (available) store = postgresStore({ connectionString: POSTGRES_URL, max: 4 }, { schema });
});
afterAll(async () => {
  if (!available) return;
  await store.close();
  await dropSchema(schema);
});

const text = fc.constantFrom('a', 'b', 'B', 'ab', 'é', 'Ω', '日本', 'z');
const statusArb = fc.constantFrom('pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'unknown');
const errorArb = fc.record(
  {
    code: fc.integer({ min: 100, max: 140 }).map(String),
    class: fc.constantFrom('retryable', 'permanent', 'policy', 'unknown'),
    title: text,
    message: text,
    details: text,
    href: text,
  },
  { requiredKeys: ['code', 'class'] },
);
const obsArb = fc
  .record({
    status: statusArb,
    at: fc.integer({ min: 0, max: 3 }),
    errors: fc.array(errorArb, { maxLength: 9 }),
    pricing: fc.option(fc.record({ billable: fc.boolean(), model: text, category: text, type: text }, { requiredKeys: [] }), { nil: undefined }),
    conversation: fc.option(fc.record({ id: text, origin: text, expiresAt: text }, { requiredKeys: [] }), { nil: undefined }),
    biz: fc.option(text, { nil: undefined }),
    unknownStatus: fc.string({ minLength: 1, maxLength: 3 }),
    participant: fc.boolean(),
    account: fc.option(text, { nil: null }),
    meta: fc.option(fc.record({ campaign: text, tags: fc.uniqueArray(fc.string({ maxLength: 3 }), { maxLength: 20 }), wasenderMsgId: text }, { requiredKeys: [] }), { nil: undefined }),
    tracked: fc.boolean(),
  })
  .map((r) => ({ ...r }));

type Row = typeof obsArb extends fc.Arbitrary<infer T> ? T : never;

function toObservation(r: Row, messageId: string): DeliveryState {
  const e: StatusEvent = {
    schemaVersion: 1,
    id: 'x',
    kind: 'status',
    provider: 'cloud',
    accountId: 'acc',
    phoneNumberId: null,
    occurredAt: new Date(1_700_000_000_000 + r.at * 1000).toISOString(),
    receivedAt: new Date(0).toISOString(),
    messageId,
    recipientId: '1555',
    status: r.status as StatusEvent['status'],
    providerStatus: r.status === 'unknown' ? r.unknownStatus : r.status,
    errors: r.errors,
  };
  if (r.pricing) e.pricing = r.pricing;
  if (r.conversation) e.conversation = r.conversation;
  if (r.biz) e.bizOpaqueCallbackData = r.biz;
  const obs = observe(e);
  // Fields the key does not depend on, varied to exercise their joins.
  obs.recipientId = r.participant ? 'group@g.us' : obs.recipientId;
  obs.tracked = r.tracked;
  if (r.meta) obs.meta = { ...r.meta, ...(r.meta.tags ? { tags: [...r.meta.tags].sort() } : {}) };
  return obs;
}

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: the SQL join equals merge()', () => {
  it('folds random observation sequences exactly like the TypeScript reference (single and batched)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(obsArb, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: 5 }), async (rows, split) => {
        const messageId = `prop-${++run}`;
        const observations = rows.map((r) => toObservation(r, messageId));
        const key = trackingKey(observations[0] as DeliveryState);
        let expected: DeliveryState | null = null;
        // The first `split` observations one by one, the rest as one batch.
        for (const obs of observations.slice(0, split)) {
          const r = await store.merge(key, obs);
          expect(r.before).toEqual(expected);
          expected = expected === null ? obs : merge(expected, obs);
          expect(r.after).toEqual(expected);
        }
        const rest = observations.slice(split);
        const results = await store.mergeMany(rest.map((observation) => ({ key, observation })));
        results.forEach((r, i) => {
          expect(r.before).toEqual(expected);
          expected = expected === null ? (rest[i] as DeliveryState) : merge(expected, rest[i] as DeliveryState);
          expect(r.after).toEqual(expected);
        });
        expect(await store.get(key)).toEqual(expected);
      }),
      { numRuns: 150, seed: 4242 },
    );
  }, 60_000);

  it('keeps the 16 smallest error codes and the 8 smallest annotations, in byte order', async () => {
    const base = toObservation({ status: 'failed', at: 1, errors: [], participant: false, account: null, tracked: false, unknownStatus: 'x' } as never, 'bounds');
    const key = trackingKey(base);
    let expected: DeliveryState | null = null;
    for (let i = 0; i < 12; i++) {
      const obs: DeliveryState = {
        ...base,
        errors: { [`c${String(30 - i).padStart(2, '0')}`]: { code: `c${30 - i}`, class: 'unknown' }, [`d${i}`]: { code: `d${i}`, class: 'policy' } },
        annotations: [`ann-${String.fromCharCode(0x61 + ((i * 7) % 26))}`, `Ann-${i}`].sort(),
      };
      expected = expected === null ? obs : merge(expected, obs);
      await store.merge(key, obs);
    }
    const stored = await store.get(key);
    expect(stored).toEqual(expected);
    expect(Object.keys(stored?.errors ?? {}).length).toBe(16);
    expect(stored?.annotations?.length).toBe(8);
    expect(stored?.annotations?.[0]).toBe('Ann-0'); // uppercase sorts before lowercase in byte order
  });
});
