/**
 * The Lua join must be `merge()` exactly: random pairs and sequences of states (every field shape,
 * `estimated` bits, the `meta` strings and tags, the bounds of errors/annotations/tags, unicode
 * strings) joined by the ingest script deep-equal the JS join, agree with it on "changed or not",
 * and survive being re-read and re-joined by the script.
 */
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { DeliveryStatus, ProviderError, StatusEvent } from '../../src/event/types.js';
import type { RedisStore } from '../../src/storage/redis/index.js';
import type { MergeResult } from '../../src/storage/state-store.js';
import { stateKey } from '../../src/state/key.js';
import { merge } from '../../src/state/merge.js';
import { observe } from '../../src/state/observe.js';
import { MAX_ANNOTATIONS, MAX_ERRORS, MAX_TAGS, TIME_FIELDS, type DeliveryState } from '../../src/state/state.js';
import { redisAvailable, describeIf, SKIP_REASONS } from '../helpers/services.js';
import { uniquePrefix, openStoreAround } from './redis-helpers.js';

const up = await redisAvailable();
const prefix = uniquePrefix('lua');
let store: RedisStore;
let counter = 0;

// No character of U+E000–U+FFFF: there (and only there, against astral characters) UTF-16
// code-unit order and UTF-8 byte order disagree; that case has its own test below.
const CHARS = ['a', 'b', 'z', 'A', '0', '9', ' ', '/', '"', '\\', '\n', 'é', 'ß', 'Ω', '中', '\u00ff', '\u0100', '😀', '𝄞'];
const str = fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 4 });
const optStr = fc.option(str, { nil: undefined });
const nullable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const ts = fc.oneof(fc.constant(0), fc.integer({ min: 1_600_000_000_000, max: 1_800_000_000_000 }), fc.constantFrom(1_700_000_000_000, 1_700_000_000_001));
// Small domains make ties (equal codes, equal titles, equal pricing) and overlapping sets common.
const tiny = fc.constantFrom(undefined, 'x', 'y', 'é', '😀', '');
const CODES = ['131000', '131026', '131049', '2', '10', '470', 'abc', 'abd', 'é1', '😀', 'Z', 'z', '0', '00', '1', '9', '131047', '368', '130472', '131051'];
const code = fc.oneof(fc.constantFrom(...CODES), str);
const NAMES = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `t${i}` : i % 3 === 1 ? `T${i}é` : `${i}😀`));

function defined<T extends object>(o: T): T {
  const out = {} as T;
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const errorArb = (c: string) =>
  fc
    .record({ title: tiny, message: tiny, details: tiny, href: tiny, class: fc.constantFrom('retryable', 'permanent', 'policy', 'unknown') })
    .map((e) => defined({ code: c, ...e }) as ProviderError);

const errorsArb = fc.oneof(
  fc.constant(null),
  fc.constant({}),
  fc
    .uniqueArray(code, { maxLength: MAX_ERRORS, size: 'max' })
    .chain((codes) => fc.tuple(...codes.map(errorArb)).map((es) => Object.fromEntries(es.map((e) => [e.code, e])))),
);
const sortedSet = (max: number) =>
  fc.oneof(fc.uniqueArray(str, { maxLength: max }), fc.uniqueArray(fc.constantFrom(...NAMES), { maxLength: max, size: 'max' })).map((xs) => xs.sort());
const pricingArb = nullable(fc.record({ billable: fc.option(fc.boolean(), { nil: undefined }), model: tiny, category: tiny, type: tiny }).map(defined));
const conversationArb = nullable(fc.record({ id: tiny, origin: tiny, expiresAt: tiny }).map(defined));
const metaArb = nullable(
  fc.record({ campaign: tiny, tags: fc.option(sortedSet(MAX_TAGS), { nil: undefined }), wasenderMsgId: tiny, accountId: tiny, recipientId: tiny }).map(defined),
);
// Any bits of the time fields, sometimes bits past them (merge() drops those).
const estimatedArb = fc.oneof(fc.integer({ min: 0, max: (1 << TIME_FIELDS.length) - 1 }), fc.constant(0), fc.integer({ min: 0, max: 1 << (TIME_FIELDS.length + 1) }));

/**
 * Any valid state of one key, including shapes observe() never makes ({} errors, []
 * arrays). Sets stay within their bounds, as every state merge() produces does (past a bound,
 * merge() keeps an over-long set only when both sides are the very same array object).
 */
const rawStateArb: fc.Arbitrary<DeliveryState> = fc
  .record({
  provider: fc.constant('cloud' as const),
  accountId: nullable(str),
  messageId: fc.constant('M'),
  recipientId: nullable(str),
  participantId: nullable(str),
  rank: fc.integer({ min: 0, max: 5 }),
  pendingAt: ts,
  sentAt: ts,
  deliveredAt: ts,
  readAt: ts,
  playedAt: ts,
  failedAt: ts,
  deletedAt: ts,
  warningAt: ts,
  estimated: estimatedArb,
  errors: errorsArb,
  billingRank: fc.integer({ min: -1, max: 5 }),
  pricing: pricingArb,
  conversation: conversationArb,
  bizOpaqueCallbackData: nullable(str),
  annotations: fc.oneof(fc.constant(null), sortedSet(MAX_ANNOTATIONS)),
  tracked: fc.boolean(),
  meta: metaArb,
})
  // A valid state has estimate bits only on times it holds (observe() sets one with its time; the
  // join keeps each bit with its time). Bits past the time fields are kept: merge() drops them.
  .map((s) => ({ ...s, estimated: s.estimated & ~TIME_FIELDS.reduce((m, f, i) => (s[f] === 0 ? m | (1 << i) : m), 0) }));

const STATUSES: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'unknown'];
/** The states a tracker really stores: observations of status events, and joins of several. */
const observedArb: fc.Arbitrary<DeliveryState> = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    at: fc.integer({ min: 1_700_000_000, max: 1_700_000_004 }),
    errors: fc.array(fc.record({ code, title: optStr, class: fc.constantFrom('policy', 'unknown') }).map((e) => defined(e) as ProviderError), { maxLength: 3 }),
    pricing: fc.option(fc.record({ model: fc.constantFrom('CBP', 'PMP'), category: str, billable: fc.boolean() }), { nil: undefined }),
    conversation: fc.option(fc.record({ id: str, origin: str }), { nil: undefined }),
    biz: optStr,
    providerStatus: str,
    estimated: fc.boolean(),
    account: fc.option(fc.constantFrom('waba', 'waba2', 'é'), { nil: undefined }),
  })
  .map((r) => {
    const iso = new Date(r.at * 1000).toISOString();
    const event: StatusEvent = {
      schemaVersion: 1,
      id: 'x',
      kind: 'status',
      provider: 'cloud',
      accountId: r.account ?? 'waba',
      phoneNumberId: null,
      occurredAt: iso,
      ...(r.estimated ? { occurredAtEstimated: true } : {}),
      receivedAt: iso,
      messageId: 'M',
      recipientId: '1555',
      status: r.status,
      providerStatus: r.providerStatus,
      errors: r.errors,
      ...(r.pricing ? { pricing: r.pricing } : {}),
      ...(r.conversation ? { conversation: r.conversation } : {}),
      ...(r.biz ? { bizOpaqueCallbackData: r.biz } : {}),
    };
    return observe(event);
  });
const foldedArb = fc.array(observedArb, { minLength: 1, maxLength: 6 }).map((xs) => xs.reduce((a, b) => merge(a, b)));
const stateArb = fc.oneof(rawStateArb, observedArb, foldedArb);

/** The same state under a fresh identity (the script joins whatever shares a key). */
function as(s: DeliveryState, messageId: string, participantId: string | null): DeliveryState {
  return { ...s, provider: 'cloud', messageId, participantId };
}

/** One ingest step merging `observations` (all of one key) in order; the results. */
async function join(observations: readonly DeliveryState[]): Promise<MergeResult[]> {
  const r = await store.ingest({
    events: [],
    merges: observations.map((o) => ({ key: stateKey(o), observation: o, event: -1 })),
    claimTtlMs: 60_000,
    outbox: { consumers: [], leaseMs: 1 },
  });
  return r.merged;
}

/** A fresh key holding `a` (stored through the script's create path); returns `a` under that key. */
async function seed(a: DeliveryState): Promise<DeliveryState> {
  const fresh = as(a, `m${++counter}`, a.participantId);
  const [r] = await join([fresh]);
  expect(r?.before).toBeNull();
  return fresh;
}

describeIf(up, SKIP_REASONS.redis, 'Lua merge equals merge() (real Redis)', () => {
  openStoreAround(prefix, (_client, s) => {
    store = s;
  });

  it('random pairs: after deep-equals merge(a, b), "changed" agrees, and the result re-joins idempotently', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, stateArb, async (a0, b0) => {
        const a = await seed(a0);
        const b = as(b0, a.messageId, a.participantId);
        const expected = merge(a, b);
        const [r] = (await join([b])) as [MergeResult];
        expect(r.before).toEqual(a);
        expect(r.after).toEqual(expected);
        expect(r.after === r.before).toBe(expected === a);
        expect(await store.get(stateKey(a))).toEqual(expected);
        // The Lua-written JSON read back by Lua: joining either side again changes nothing.
        for (const again of [a, b, expected]) {
          const [r2] = (await join([again])) as [MergeResult];
          expect(r2.after).toEqual(merge(expected, again));
          expect(r2.after === r2.before).toBe(merge(expected, again) === expected);
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);

  it('sequences: one step folds them exactly like merge(), and so do one step per item', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stateArb, { minLength: 1, maxLength: 8 }), async (xs0) => {
        const id = `many${++counter}`;
        const participant = (xs0[0] as DeliveryState).participantId;
        const xs = xs0.map((x) => as(x, id, participant));
        let state: DeliveryState | null = null;
        (await join(xs)).forEach((r, i) => {
          const obs = xs[i] as DeliveryState;
          expect(r.before).toEqual(state);
          const next: DeliveryState = state === null ? obs : merge(state, obs);
          expect(r.after).toEqual(next);
          expect(r.after === r.before).toBe(next === state);
          state = next;
        });
        expect(await store.get(stateKey(xs[0] as DeliveryState))).toEqual(state);
        // The same sequence one step at a time, under another key.
        const ys = xs0.map((x) => as(x, `${id}b`, participant));
        let folded: DeliveryState | null = null;
        for (const y of ys) {
          const [r] = (await join([y])) as [MergeResult];
          folded = folded === null ? y : merge(folded, y);
          expect(r.after).toEqual(folded);
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
