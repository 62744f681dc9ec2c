/**
 * The presented view of a {@link DeliveryState}: what hosts read and what transitions compare.
 * A pure function of the merged state and the failure policy.
 */
import type { Conversation, DeliveryStatus, Pricing, Provider, ProviderError } from '../event/types.js';
import { RANK_STATUS, type DeliveryState, type TrackMeta } from './state.js';
import { msToIso } from './time.js';

/**
 * How a failure weighs against progress. `delivery-wins` (default): evidence of delivery
 * (rank ≥ delivered) beats a failure, flagged `failedAfterDelivery`; below that any failure means
 * `failed`. `absorbing`: once failed, always failed.
 */
export type FailedPolicy = 'delivery-wins' | 'absorbing';

/**
 * A delivery state as hosts see it: ISO timestamps made monotone
 * (`sentAt ≤ deliveredAt ≤ readAt ≤ playedAt`), errors as a sorted array, one `status`.
 */
export interface PresentedState {
  provider: Provider;
  accountId: string | null;
  messageId: string;
  recipientId: string | null;
  participantId: string | null;
  status: DeliveryStatus;
  pendingAt: string | null;
  sentAt: string | null;
  deliveredAt: string | null;
  readAt: string | null;
  playedAt: string | null;
  failedAt: string | null;
  deletedAt: string | null;
  warningAt: string | null;
  /** Sorted by code. */
  errors: ProviderError[];
  /** `sentAt` was not observed and is taken from the next higher timestamp. */
  sentImplied: boolean;
  /** `deliveredAt` was not observed and is taken from `readAt` (or `playedAt`). */
  deliveredImplied: boolean;
  /** `readAt` was not observed and is taken from `playedAt`. */
  readImplied: boolean;
  /** A failure was observed for a message that also has evidence of delivery. */
  failedAfterDelivery: boolean;
  pricing: Pricing | null;
  conversation: Conversation | null;
  bizOpaqueCallbackData: string | null;
  /** `deleted`, `warning` and unknown provider statuses seen (sorted). */
  annotations: string[];
  /** Declared by the host with `tracker.track()`. */
  tracked: boolean;
  meta: TrackMeta | null;
}

/** Options of {@link present}. */
export interface PresentOptions {
  failedPolicy?: FailedPolicy;
}

/** True when the state carries evidence of failure: a `failed` observation or any error. */
export function hasFailure(state: DeliveryState): boolean {
  return state.failedAt !== 0 || state.errors !== null;
}

/**
 * The presented status of a state under a policy. With no progress and no failure it is
 * `deleted`, else `warning`, else `unknown` (a tracked message always has rank ≥ pending).
 *
 * @example
 * ```ts
 * presentedStatus(state, 'delivery-wins'); // 'delivered'
 * ```
 */
export function presentedStatus(state: DeliveryState, policy: FailedPolicy = 'delivery-wins'): DeliveryStatus {
  const failed = hasFailure(state);
  if (failed && (policy === 'absorbing' || state.rank < 3)) return 'failed';
  if (state.rank > 0) return RANK_STATUS[state.rank] as DeliveryStatus;
  const ann = state.annotations;
  if (ann !== null) {
    if (ann.includes('deleted')) return 'deleted';
    if (ann.includes('warning')) return 'warning';
  }
  return 'unknown';
}

const scratchA = new Float64Array(6);
const scratchB = new Float64Array(6);

/**
 * Monotone presented times into `out`: [pending, sent, delivered, read, played, flags] with
 * flags bit 1 sentImplied, 2 deliveredImplied, 4 readImplied. Walks down from played to sent;
 * `upper` is the presented time of the next higher status reached.
 */
function monotone(state: DeliveryState, out: Float64Array): Float64Array {
  const rank = state.rank;
  const played = rank >= 5 ? state.playedAt : 0;
  let read = rank >= 4 ? state.readAt : 0;
  let delivered = rank >= 3 ? state.deliveredAt : 0;
  let sent = rank >= 2 ? state.sentAt : 0;
  let flags = 0;
  let upper = played;
  if (rank >= 4) {
    if (read === 0 && upper !== 0) {
      read = upper;
      flags |= 4;
    } else if (upper !== 0 && read > upper) read = upper;
    if (read !== 0) upper = read;
  }
  if (rank >= 3) {
    if (delivered === 0 && upper !== 0) {
      delivered = upper;
      flags |= 2;
    } else if (upper !== 0 && delivered > upper) delivered = upper;
    if (delivered !== 0) upper = delivered;
  }
  if (rank >= 2) {
    if (sent === 0 && upper !== 0) {
      sent = upper;
      flags |= 1;
    } else if (upper !== 0 && sent > upper) sent = upper;
    if (sent !== 0) upper = sent;
  }
  let pending = state.pendingAt;
  if (pending !== 0 && upper !== 0 && pending > upper) pending = upper;
  out[0] = pending;
  out[1] = sent;
  out[2] = delivered;
  out[3] = read;
  out[4] = played;
  out[5] = flags;
  return out;
}

/**
 * Presents a state: one status, monotone ISO timestamps with "implied" flags, sorted errors.
 * A missing lower timestamp (within the reached rank) is filled from the next higher one; a lower
 * timestamp later than a higher one is clamped down to it. `pendingAt` is clamped, never filled.
 *
 * @example
 * ```ts
 * const view = present(state, { failedPolicy: 'absorbing' });
 * view.status; view.deliveredAt; view.deliveredImplied;
 * ```
 */
export function present(state: DeliveryState, options: PresentOptions = {}): PresentedState {
  const policy = options.failedPolicy ?? 'delivery-wins';
  const m = monotone(state, scratchA);
  const pending = m[0] as number;
  const sent = m[1] as number;
  const delivered = m[2] as number;
  const read = m[3] as number;
  const played = m[4] as number;
  const flags = m[5] as number;
  const sentImplied = (flags & 1) !== 0;
  const deliveredImplied = (flags & 2) !== 0;
  const readImplied = (flags & 4) !== 0;
  const rank = state.rank;
  const errors: ProviderError[] = [];
  if (state.errors !== null) {
    for (const code of Object.keys(state.errors).sort()) errors.push(state.errors[code] as ProviderError);
  }
  return {
    provider: state.provider,
    accountId: state.accountId,
    messageId: state.messageId,
    recipientId: state.recipientId,
    participantId: state.participantId,
    status: presentedStatus(state, policy),
    pendingAt: msToIso(pending),
    sentAt: msToIso(sent),
    deliveredAt: msToIso(delivered),
    readAt: msToIso(read),
    playedAt: msToIso(played),
    failedAt: msToIso(state.failedAt),
    deletedAt: msToIso(state.deletedAt),
    warningAt: msToIso(state.warningAt),
    errors,
    sentImplied,
    deliveredImplied,
    readImplied,
    failedAfterDelivery: hasFailure(state) && rank >= 3,
    pricing: state.pricing,
    conversation: state.conversation,
    bizOpaqueCallbackData: state.bizOpaqueCallbackData,
    annotations: state.annotations ?? [],
    tracked: state.tracked,
    meta: state.meta,
  };
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

/**
 * Whether two presented states are the same (deep, key-order-insensitive). The tracker emits a
 * `transition` exactly when this is false for the before/after of a merge.
 *
 * @example
 * ```ts
 * presentedEquals(present(a), present(merge(a, a))); // true
 * ```
 */
export function presentedEquals(a: PresentedState | null, b: PresentedState | null): boolean {
  return deepEqual(a, b);
}

/**
 * Whether two states of one key present alike under a policy, without building either view:
 * the tracker's hot path uses it to decide transitions. Agrees with
 * `presentedEquals(present(a), present(b))`.
 *
 * @example
 * ```ts
 * samePresentation(before, after, 'delivery-wins'); // false → emit a transition
 * ```
 */
export function samePresentation(a: DeliveryState, b: DeliveryState, policy: FailedPolicy = 'delivery-wins'): boolean {
  if (a === b) return true;
  if (
    presentedStatus(a, policy) !== presentedStatus(b, policy) ||
    hasFailure(a) !== hasFailure(b) ||
    (a.rank >= 3) !== (b.rank >= 3) ||
    a.failedAt !== b.failedAt ||
    a.deletedAt !== b.deletedAt ||
    a.warningAt !== b.warningAt ||
    a.tracked !== b.tracked ||
    a.bizOpaqueCallbackData !== b.bizOpaqueCallbackData ||
    a.provider !== b.provider ||
    a.accountId !== b.accountId ||
    a.messageId !== b.messageId ||
    a.recipientId !== b.recipientId ||
    a.participantId !== b.participantId
  ) {
    return false;
  }
  const ma = monotone(a, scratchA);
  const mb = monotone(b, scratchB);
  for (let i = 0; i < 6; i++) if (ma[i] !== mb[i]) return false;
  return (
    deepEqual(a.errors ?? {}, b.errors ?? {}) &&
    deepEqual(a.pricing, b.pricing) &&
    deepEqual(a.conversation, b.conversation) &&
    deepEqual(a.annotations ?? [], b.annotations ?? []) &&
    deepEqual(a.meta, b.meta)
  );
}
