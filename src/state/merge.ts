/**
 * The lattice join. `merge` is commutative, associative and idempotent (as values), so every
 * permutation and duplication of the same observations folds to the same state. It returns `a`
 * itself when `b` adds nothing, which lets stores skip writes without a deep compare.
 * The field-by-field rules are specified in docs/delivery-state.md for the SQL and Lua ports.
 */
import type { Conversation, Pricing, ProviderError, StatusEvent } from '../event/types.js';
import { compareErrors, observe } from './observe.js';
import { MAX_ANNOTATIONS, MAX_ERRORS, MAX_TAGS, type DeliveryState, type TrackMeta } from './state.js';

/** Greater of two optional strings (null/undefined below any string). */
function maxStr<T extends string | null | undefined>(x: T, y: T): T {
  if (x === y || y === null || y === undefined) return x;
  if (x === null || x === undefined) return y;
  return x > y ? x : y;
}

/** Sorted union of two sorted string sets, keeping the `limit` smallest; returns `a` when unchanged. */
function unionSorted(a: string[] | null, b: string[] | null, limit: number): string[] | null {
  if (b === null || b === a) return a;
  if (a === null) return b.length <= limit ? b : b.slice(0, limit);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (out.length < limit && (i < a.length || j < b.length)) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) {
      out.push(x as string);
      i++;
    } else if (x === undefined || y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  if (out.length === a.length && out.every((v, k) => v === a[k])) return a;
  return out;
}

function mergeErrors(a: Record<string, ProviderError> | null, b: Record<string, ProviderError> | null): Record<string, ProviderError> | null {
  if (b === null || b === a) return a;
  if (a === null) return b;
  const all = Object.assign(Object.create(null) as Record<string, ProviderError>, a);
  let changed = false;
  for (const code of Object.keys(b)) {
    const e = b[code] as ProviderError;
    const prev = all[code];
    if (prev === undefined || compareErrors(e, prev) > 0) {
      all[code] = e;
      changed = true;
    }
  }
  if (!changed) return a;
  const codes = Object.keys(all);
  if (codes.length <= MAX_ERRORS) return all;
  codes.sort();
  const out = Object.create(null) as Record<string, ProviderError>;
  for (const code of codes.slice(0, MAX_ERRORS)) out[code] = all[code] as ProviderError;
  // The new codes may all have fallen past the bound: then nothing changed after all.
  const keys = Object.keys(a);
  if (keys.length === MAX_ERRORS && keys.every((k) => out[k] === a[k])) return a;
  return out;
}

function cmp(a: string | boolean | undefined, b: string | boolean | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/**
 * Total order on (pricing, conversation) pairs, used only to break a tie at equal billing rank:
 * each field in a fixed order, absent < present, `false < true`, strings in code-unit order.
 *
 * @example
 * ```ts
 * compareBilling({ billable: true }, null, { billable: false }, null); // 1
 * ```
 */
export function compareBilling(pa: Pricing | null, ca: Conversation | null, pb: Pricing | null, cb: Conversation | null): number {
  const p = pa ?? {};
  const q = pb ?? {};
  const c = ca ?? {};
  const d = cb ?? {};
  return (
    cmp(pa === null ? undefined : '', pb === null ? undefined : '') ||
    cmp(p.billable, q.billable) ||
    cmp(p.model, q.model) ||
    cmp(p.category, q.category) ||
    cmp(p.type, q.type) ||
    cmp(ca === null ? undefined : '', cb === null ? undefined : '') ||
    cmp(c.id, d.id) ||
    cmp(c.origin, d.origin) ||
    cmp(c.expiresAt, d.expiresAt)
  );
}

/** The string fields of {@link TrackMeta}, each joined by "greater wins". */
const META_STRINGS = ['campaign', 'wasenderMsgId', 'accountId', 'recipientId'] as const;

function mergeMeta(a: TrackMeta | null, b: TrackMeta | null): TrackMeta | null {
  if (b === null || b === a) return a;
  if (a === null) return b;
  const tags = unionSorted(a.tags ?? null, b.tags ?? null, MAX_TAGS);
  let changed = tags !== (a.tags ?? null);
  const out: TrackMeta = {};
  for (const f of META_STRINGS) {
    const v = maxStr(a[f], b[f]);
    if (v !== a[f]) changed = true;
    if (v !== undefined) out[f] = v;
  }
  if (!changed) return a;
  if (tags !== null) out.tags = tags;
  return out;
}

/**
 * Joins one timestamp of two states: an observed time beats an estimated one, otherwise the
 * earliest non-zero time wins (0 = never seen). `ea`/`eb` are the field's estimate bits. Returns
 * whether `b`'s side won, so the caller takes `b`'s estimate bit.
 */
function takeB(ta: number, tb: number, ea: number, eb: number): boolean {
  return ta === 0 || (tb !== 0 && (ea !== eb ? ea !== 0 : tb < ta));
}

/**
 * Joins two states of the same key. Pure; returns `a` (the same object) when `b` adds nothing.
 *
 * @example
 * ```ts
 * const s = merge(observe(readEvent), observe(deliveredEvent));
 * s.rank; // 4 (read), s.deliveredAt and s.readAt both kept
 * merge(s, s) === s; // true
 * ```
 */
export function merge(a: DeliveryState, b: DeliveryState): DeliveryState {
  if (a === b) return a;
  let billingRank = a.billingRank;
  let pricing = a.pricing;
  let conversation = a.conversation;
  if (b.billingRank > a.billingRank || (b.billingRank === a.billingRank && b.billingRank >= 0 && compareBilling(b.pricing, b.conversation, a.pricing, a.conversation) > 0)) {
    billingRank = b.billingRank;
    pricing = b.pricing;
    conversation = b.conversation;
  }
  // The eight time fields (bit i of `estimated` is TIME_FIELDS[i]), by name rather than a loop of
  // keyed accesses over TIME_FIELDS. Bit i of `fromB` is set where b's time (and its estimate bit) wins.
  const ea = a.estimated;
  const eb = b.estimated;
  const fromB =
    (takeB(a.pendingAt, b.pendingAt, ea & 1, eb & 1) ? 1 : 0) |
    (takeB(a.sentAt, b.sentAt, ea & 2, eb & 2) ? 2 : 0) |
    (takeB(a.deliveredAt, b.deliveredAt, ea & 4, eb & 4) ? 4 : 0) |
    (takeB(a.readAt, b.readAt, ea & 8, eb & 8) ? 8 : 0) |
    (takeB(a.playedAt, b.playedAt, ea & 16, eb & 16) ? 16 : 0) |
    (takeB(a.failedAt, b.failedAt, ea & 32, eb & 32) ? 32 : 0) |
    (takeB(a.deletedAt, b.deletedAt, ea & 64, eb & 64) ? 64 : 0) |
    (takeB(a.warningAt, b.warningAt, ea & 128, eb & 128) ? 128 : 0);
  const out: DeliveryState = {
    provider: a.provider,
    messageId: a.messageId,
    participantId: a.participantId,
    accountId: maxStr(a.accountId, b.accountId),
    recipientId: maxStr(a.recipientId, b.recipientId),
    rank: a.rank >= b.rank ? a.rank : b.rank,
    pendingAt: fromB & 1 ? b.pendingAt : a.pendingAt,
    sentAt: fromB & 2 ? b.sentAt : a.sentAt,
    deliveredAt: fromB & 4 ? b.deliveredAt : a.deliveredAt,
    readAt: fromB & 8 ? b.readAt : a.readAt,
    playedAt: fromB & 16 ? b.playedAt : a.playedAt,
    failedAt: fromB & 32 ? b.failedAt : a.failedAt,
    deletedAt: fromB & 64 ? b.deletedAt : a.deletedAt,
    warningAt: fromB & 128 ? b.warningAt : a.warningAt,
    // Only the eight time bits survive a join (as in the SQL and Lua ports).
    estimated: (eb & fromB) | (ea & ~fromB & 0xff),
    errors: mergeErrors(a.errors, b.errors),
    billingRank,
    pricing,
    conversation,
    bizOpaqueCallbackData: maxStr(a.bizOpaqueCallbackData, b.bizOpaqueCallbackData),
    annotations: unionSorted(a.annotations, b.annotations, MAX_ANNOTATIONS),
    tracked: a.tracked || b.tracked,
    meta: mergeMeta(a.meta, b.meta),
  };
  return unchanged(a, out) ? a : out;
}

/** True when `out` (built from `a` by merge) changed nothing: every field is the same value or object. */
function unchanged(a: DeliveryState, out: DeliveryState): boolean {
  return (
    a.pendingAt === out.pendingAt &&
    a.sentAt === out.sentAt &&
    a.deliveredAt === out.deliveredAt &&
    a.readAt === out.readAt &&
    a.playedAt === out.playedAt &&
    a.failedAt === out.failedAt &&
    a.deletedAt === out.deletedAt &&
    a.warningAt === out.warningAt &&
    a.rank === out.rank &&
    a.estimated === out.estimated &&
    a.errors === out.errors &&
    a.billingRank === out.billingRank &&
    a.pricing === out.pricing &&
    a.conversation === out.conversation &&
    a.bizOpaqueCallbackData === out.bizOpaqueCallbackData &&
    a.annotations === out.annotations &&
    a.tracked === out.tracked &&
    a.meta === out.meta &&
    a.accountId === out.accountId &&
    a.recipientId === out.recipientId
  );
}

/**
 * Folds one status event into a state (`null` = nothing seen yet). Pure.
 *
 * @example
 * ```ts
 * let state = null;
 * for (const e of statusEvents) state = applyEvent(state, e);
 * ```
 */
export function applyEvent(state: DeliveryState | null, event: StatusEvent): DeliveryState {
  const obs = observe(event);
  return state === null ? obs : merge(state, obs);
}
