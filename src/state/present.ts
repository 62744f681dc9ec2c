/**
 * The presented view of a {@link DeliveryState}: what hosts read and what transitions compare.
 * A pure function of the merged state and the failure policy.
 */
import type { Conversation, DeliveryStatus, Pricing, Provider, ProviderError } from '../event/types.js';
import { msToIso } from '../event/timestamp.js';
import { accountOf, DELIVERED_RANK, RANK_STATUS, recipientOf, TIME_FIELDS, type DeliveryState, type TimeField, type TrackMeta } from './state.js';

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
  /** The provider's account, else the one given to `track()`. */
  accountId: string | null;
  messageId: string;
  /** The provider's recipient, else the one given to `track()`. */
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
  /**
   * Timestamps shown here that are only the time the webhook was received (the provider sent
   * none), in {@link TIME_FIELDS} order. Analytics leave them out of latencies.
   */
  estimatedTimes: TimeField[];
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

/**
 * True when the state carries evidence of failure: a `failed` observation or any error.
 *
 * @example
 * ```ts
 * hasFailure(state); // true after a `failed` status
 * ```
 */
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
  if (hasFailure(state) && (policy === 'absorbing' || state.rank < DELIVERED_RANK)) return 'failed';
  if (state.rank > 0) return RANK_STATUS[state.rank] as DeliveryStatus;
  const ann = state.annotations;
  if (ann !== null) {
    if (ann.includes('deleted')) return 'deleted';
    if (ann.includes('warning')) return 'warning';
  }
  return 'unknown';
}

/** One presented progress time: its epoch ms, whether it was filled from a higher one, whether it is an estimate. */
export interface Shown {
  t: number;
  implied: boolean;
  estimated: boolean;
}

/**
 * Monotone presented progress times, index = rank - 1 (pending..played). Walks down from played
 * to sent; `upper` is the presented time of the next higher status reached. A missing time is
 * filled from `upper` (implied), a later one clamped to it; `pendingAt` is clamped, never filled.
 */
export function monotone(state: DeliveryState): Shown[] {
  const out: Shown[] = [];
  let upper: Shown | null = null;
  for (let rank = 5; rank >= 1; rank--) {
    const i = rank - 1;
    const field = TIME_FIELDS[i] as TimeField;
    const own: Shown = { t: rank <= state.rank || rank === 1 ? state[field] : 0, implied: false, estimated: (state.estimated & (1 << i)) !== 0 };
    let shown = own;
    if (rank === 1) {
      if (own.t !== 0 && upper !== null && own.t > upper.t) shown = { ...upper, implied: false };
    } else if (rank <= state.rank && upper !== null) {
      if (own.t === 0) shown = { t: upper.t, implied: true, estimated: upper.estimated };
      else if (own.t > upper.t) shown = { t: upper.t, implied: false, estimated: upper.estimated };
    }
    if (shown.t === 0) shown = { t: 0, implied: false, estimated: false };
    out[i] = shown;
    if (shown.t !== 0 && rank >= 2) upper = shown;
  }
  return out;
}

function sortedErrors(errors: Record<string, ProviderError> | null): ProviderError[] {
  if (errors === null) return [];
  return Object.keys(errors)
    .sort()
    .map((code) => ({ ...(errors[code] as ProviderError) }));
}

/**
 * Presents a state: one status, monotone ISO timestamps with "implied" flags, sorted errors,
 * the provider's account and recipient (else the host's from `track()`).
 *
 * @example
 * ```ts
 * const view = present(state, { failedPolicy: 'absorbing' });
 * view.status; view.deliveredAt; view.deliveredImplied;
 * ```
 */
export function present(state: DeliveryState, options: PresentOptions = {}): PresentedState {
  const policy = options.failedPolicy ?? 'delivery-wins';
  const shown = monotone(state) as [Shown, Shown, Shown, Shown, Shown];
  const estimatedTimes: TimeField[] = [];
  for (let i = 0; i < TIME_FIELDS.length; i++) {
    const estimated = i < 5 ? shown[i as 0 | 1 | 2 | 3 | 4].estimated : (state.estimated & (1 << i)) !== 0;
    if (estimated) estimatedTimes.push(TIME_FIELDS[i] as TimeField);
  }
  return {
    provider: state.provider,
    accountId: accountOf(state),
    messageId: state.messageId,
    recipientId: recipientOf(state),
    participantId: state.participantId,
    status: presentedStatus(state, policy),
    pendingAt: msToIso(shown[0].t),
    sentAt: msToIso(shown[1].t),
    deliveredAt: msToIso(shown[2].t),
    readAt: msToIso(shown[3].t),
    playedAt: msToIso(shown[4].t),
    failedAt: msToIso(state.failedAt),
    deletedAt: msToIso(state.deletedAt),
    warningAt: msToIso(state.warningAt),
    errors: sortedErrors(state.errors),
    sentImplied: shown[1].implied,
    deliveredImplied: shown[2].implied,
    readImplied: shown[3].implied,
    estimatedTimes,
    failedAfterDelivery: hasFailure(state) && state.rank >= DELIVERED_RANK,
    pricing: state.pricing,
    conversation: state.conversation,
    bizOpaqueCallbackData: state.bizOpaqueCallbackData,
    annotations: state.annotations ?? [],
    tracked: state.tracked,
    meta: state.meta,
  };
}
