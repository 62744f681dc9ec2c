/**
 * The SQL port of the join against the TypeScript reference, on generated observations that
 * stress every rule: more than 16 error codes, more than 8 annotations, error and billing
 * tie-breaks, observed against estimated times (equal times included), the provider's account
 * and recipient, meta (campaign, tags past 32, wasenderMsgId, the host's accountId and
 * recipientId), non-ASCII strings.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StatusEvent } from '../../src/event/types.js';
import { stateKey } from '../../src/state/key.js';
import { merge } from '../../src/state/merge.js';
import { observe } from '../../src/state/observe.js';
import { MAX_ANNOTATIONS, MAX_ERRORS, type DeliveryState } from '../../src/state/state.js';
import { postgresStore, type PostgresStore } from '../../src/storage/postgres/index.js';
import type { MergeResult } from '../../src/storage/state-store.js';
import { postgresAvailable, POSTGRES_URL, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { dropSchema, uniqueSchema } from './postgres-helpers.js';

const available = await postgresAvailable();
const schema = uniqueSchema('sql');
let store: PostgresStore;
let run = 0;

beforeAll(async () => {
  if (available) store = postgresStore({ connectionString: POSTGRES_URL, max: 4, schema });
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
    account: fc.option(text, { nil: null }),
    recipient: fc.option(text, { nil: null }),
    estimated: fc.boolean(),
    meta: fc.option(
      fc.record({ campaign: text, tags: fc.uniqueArray(fc.string({ maxLength: 3 }), { maxLength: 20 }), wasenderMsgId: text, accountId: text, recipientId: text }, { requiredKeys: [] }),
      { nil: undefined },
    ),
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
    accountId: r.account,
    phoneNumberId: null,
    occurredAt: new Date(1_700_000_000_000 + r.at * 1000).toISOString(),
    receivedAt: new Date(0).toISOString(),
    messageId,
    recipientId: r.recipient,
    status: r.status as StatusEvent['status'],
    providerStatus: r.status === 'unknown' ? r.unknownStatus : r.status,
    errors: r.errors,
  };
  if (r.pricing) e.pricing = r.pricing;
  if (r.conversation) e.conversation = r.conversation;
  if (r.biz) e.bizOpaqueCallbackData = r.biz;
  if (r.estimated) e.occurredAtEstimated = true;
  const obs = observe(e);
  // Fields the key does not depend on, varied to exercise their joins.
  obs.tracked = r.tracked;
  if (r.meta) obs.meta = { ...r.meta, ...(r.meta.tags ? { tags: [...r.meta.tags].sort() } : {}) };
  return obs;
}

/** One ingest step of merges only (a `track()` is such a step). */
async function mergeAll(key: string, observations: readonly DeliveryState[]): Promise<MergeResult[]> {
  const step = { events: [], merges: observations.map((observation) => ({ key, observation, event: -1 })), claimTtlMs: 60_000, outbox: { consumers: [], leaseMs: 60_000 } };
  return (await store.ingest(step)).merged;
}

describeIf(available, SKIP_REASONS.postgres, 'postgresStore: the SQL join equals merge()', () => {
  it('folds random observation sequences exactly like the TypeScript reference (one per step, then many in one step)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(obsArb, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: 5 }), async (rows, split) => {
        const messageId = `prop-${++run}`;
        const observations = rows.map((r) => toObservation(r, messageId));
        const key = stateKey(observations[0] as DeliveryState);
        let expected: DeliveryState | null = null;
        // The first `split` observations one step each (each joined by the SQL SET clause), the
        // rest in one step (joined in JavaScript first, unfolded per item).
        for (const obs of observations.slice(0, split)) {
          const [r] = await mergeAll(key, [obs]);
          expect(r?.before).toEqual(expected);
          expected = expected === null ? obs : merge(expected, obs);
          expect(r?.after).toEqual(expected);
        }
        const rest = observations.slice(split);
        if (rest.length > 0) {
          const results = await mergeAll(key, rest);
          results.forEach((r, i) => {
            expect(r.before).toEqual(expected);
            expected = expected === null ? (rest[i] as DeliveryState) : merge(expected, rest[i] as DeliveryState);
            expect(r.after).toEqual(expected);
          });
        }
        expect(await store.get(key)).toEqual(expected);
      }),
      { numRuns: 150, seed: 4242 },
    );
  }, 60_000);

  it(`keeps the ${MAX_ERRORS} smallest error codes and the ${MAX_ANNOTATIONS} smallest annotations, in byte order`, async () => {
    const base = toObservation({ status: 'failed', at: 1, errors: [], account: null, recipient: null, estimated: false, tracked: false, unknownStatus: 'x' } as never, 'bounds');
    const key = stateKey(base);
    let expected: DeliveryState | null = null;
    for (let i = 0; i < 12; i++) {
      const obs: DeliveryState = {
        ...base,
        errors: { [`c${String(30 - i).padStart(2, '0')}`]: { code: `c${30 - i}`, class: 'unknown' }, [`d${i}`]: { code: `d${i}`, class: 'policy' } },
        annotations: [`ann-${String.fromCharCode(0x61 + ((i * 7) % 26))}`, `Ann-${i}`].sort(),
      };
      expected = expected === null ? obs : merge(expected, obs);
      await mergeAll(key, [obs]);
    }
    const stored = await store.get(key);
    expect(stored).toEqual(expected);
    expect(Object.keys(stored?.errors ?? {}).length).toBe(MAX_ERRORS);
    expect(stored?.annotations?.length).toBe(MAX_ANNOTATIONS);
    expect(stored?.annotations?.[0]).toBe('Ann-0'); // uppercase sorts before lowercase in byte order
  });

  it('an observed time replaces an earlier estimate, and an estimate never replaces an observed time', async () => {
    const estimated = (at: number) => toObservation({ status: 'delivered', at, errors: [], account: null, recipient: null, estimated: true, tracked: false, unknownStatus: 'x' } as never, 'estimates');
    const observed = (at: number) => ({ ...estimated(at), estimated: 0 });
    const key = stateKey(estimated(0));
    const [first] = await mergeAll(key, [estimated(0)]);
    expect(first?.after.estimated).toBe(1 << 2);
    const [second] = await mergeAll(key, [observed(3)]); // later, but observed: it wins
    expect(second?.after).toMatchObject({ deliveredAt: observed(3).deliveredAt, estimated: 0 });
    const [third] = await mergeAll(key, [estimated(1)]); // an estimate earlier than the observed time: ignored
    expect(third?.after).toEqual(second?.after);
  });
});
