/**
 * The lattice join. `merge` is commutative, associative and idempotent (as values), so every
 * permutation and duplication of the same observations folds to the same state. It returns `a`
 * itself when `b` adds nothing, which is how callers detect "no change" without a deep compare.
 * The field-by-field rules are specified in docs/delivery-state.md for the SQL and Lua ports.
 */
import type { Conversation, Pricing, ProviderError, StatusEvent } from '../event/types.js';
import { compareErrors, observe } from './observe.js';
import { MAX_ANNOTATIONS, MAX_ERRORS, MAX_TAGS, type DeliveryState, type TrackMeta } from './state.js';

/** Earliest non-zero timestamp (0 = never seen). */
function minTs(x: number, y: number): number {
  if (x === 0) return y;
  if (y === 0) return x;
  return x < y ? x : y;
}

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

function mergeErrors(
  a: Record<string, ProviderError> | null,
  b: Record<string, ProviderError> | null,
): Record<string, ProviderError> | null {
  if (b === null || b === a) return a;
  if (a === null) return b;
  const all: Record<string, ProviderError> = { ...a };
  let changed = false;
  for (const code in b) {
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
  const out: Record<string, ProviderError> = {};
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

function mergeMeta(a: TrackMeta | null, b: TrackMeta | null): TrackMeta | null {
  if (b === null || b === a) return a;
  if (a === null) return b;
  const campaign = maxStr(a.campaign, b.campaign);
  const wasenderMsgId = maxStr(a.wasenderMsgId, b.wasenderMsgId);
  const tags = unionSorted(a.tags ?? null, b.tags ?? null, MAX_TAGS);
  if (campaign === a.campaign && wasenderMsgId === a.wasenderMsgId && tags === (a.tags ?? null)) return a;
  const out: TrackMeta = {};
  if (campaign !== undefined) out.campaign = campaign;
  if (tags !== null) out.tags = tags;
  if (wasenderMsgId !== undefined) out.wasenderMsgId = wasenderMsgId;
  return out;
}

/**
 * Joins two states of the same tracking key. Pure; returns `a` (the same object) when `b` adds
 * nothing to it.
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
  const out: DeliveryState = {
    provider: a.provider,
    accountId: maxStr(a.accountId, b.accountId),
    messageId: a.messageId,
    recipientId: maxStr(a.recipientId, b.recipientId),
    participantId: maxStr(a.participantId, b.participantId),
    rank: a.rank >= b.rank ? a.rank : b.rank,
    pendingAt: minTs(a.pendingAt, b.pendingAt),
    sentAt: minTs(a.sentAt, b.sentAt),
    deliveredAt: minTs(a.deliveredAt, b.deliveredAt),
    readAt: minTs(a.readAt, b.readAt),
    playedAt: minTs(a.playedAt, b.playedAt),
    failedAt: minTs(a.failedAt, b.failedAt),
    deletedAt: minTs(a.deletedAt, b.deletedAt),
    warningAt: minTs(a.warningAt, b.warningAt),
    errors: mergeErrors(a.errors, b.errors),
    billingRank,
    pricing,
    conversation,
    bizOpaqueCallbackData: maxStr(a.bizOpaqueCallbackData, b.bizOpaqueCallbackData),
    annotations: unionSorted(a.annotations, b.annotations, MAX_ANNOTATIONS),
    tracked: a.tracked || b.tracked,
    meta: mergeMeta(a.meta, b.meta),
  };
  return sameState(a, out) ? a : out;
}

/** True when `out` (built from `a` by merge) changed nothing: every field is the same value or object. */
function sameState(a: DeliveryState, out: DeliveryState): boolean {
  return (
    a.rank === out.rank &&
    a.pendingAt === out.pendingAt &&
    a.sentAt === out.sentAt &&
    a.deliveredAt === out.deliveredAt &&
    a.readAt === out.readAt &&
    a.playedAt === out.playedAt &&
    a.failedAt === out.failedAt &&
    a.deletedAt === out.deletedAt &&
    a.warningAt === out.warningAt &&
    a.errors === out.errors &&
    a.billingRank === out.billingRank &&
    a.pricing === out.pricing &&
    a.conversation === out.conversation &&
    a.bizOpaqueCallbackData === out.bizOpaqueCallbackData &&
    a.annotations === out.annotations &&
    a.tracked === out.tracked &&
    a.meta === out.meta &&
    a.accountId === out.accountId &&
    a.recipientId === out.recipientId &&
    a.participantId === out.participantId
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
