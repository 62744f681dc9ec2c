/**
 * What the funnel reads from one {@link DeliveryState}, defined on the raw merged state so that
 * the SQL port is a column-by-column translation (see docs/analytics.md):
 *
 * - anchor: the earliest non-zero of pendingAt, sentAt, deliveredAt, readAt, playedAt, failedAt;
 * - presented time of a progress status k: the least non-zero raw time of k and every higher
 *   status (exactly what `present()`'s monotone walk yields, implied values included);
 * - a latency from sent to delivered (read) exists when both raw times were observed and no
 *   progress time of the state is an estimate (a receipt time standing in for a missing provider
 *   time): latencies are provider times only.
 */
import { presentedStatus, type FailedPolicy } from '../state/present.js';
import { DELIVERED_RANK, type DeliveryState } from '../state/state.js';

/** Bits of `DeliveryState.estimated` that belong to the five progress times. */
export const PROGRESS_ESTIMATE_BITS = 0b11111;

/** Least non-zero of the arguments, 0 when all are 0. */
function leastSet(...values: number[]): number {
  let out = 0;
  for (const v of values) if (v !== 0 && (out === 0 || v < out)) out = v;
  return out;
}

/**
 * The time that puts a state in a funnel window: the first evidence about the message (0 when
 * the state only holds `deleted`/`warning`/unknown annotations: such states are in no window).
 *
 * @example
 * ```ts
 * anchorOf(state) >= fromMs && anchorOf(state) < toMs; // in the window
 * ```
 */
export function anchorOf(s: DeliveryState): number {
  return leastSet(s.pendingAt, s.sentAt, s.deliveredAt, s.readAt, s.playedAt, s.failedAt);
}

/** Presented (monotone) sent, delivered and read times, 0 when not reached. */
function presented(s: DeliveryState): { sent: number; delivered: number; read: number } {
  const read = leastSet(s.readAt, s.playedAt);
  const delivered = leastSet(s.deliveredAt, read);
  return { sent: leastSet(s.sentAt, delivered), delivered, read };
}

/** Milliseconds from the presented sent to the presented delivered time; null unless both were observed from the provider. */
export function sentToDelivered(s: DeliveryState): number | null {
  if (s.sentAt === 0 || s.deliveredAt === 0 || (s.estimated & PROGRESS_ESTIMATE_BITS) !== 0) return null;
  const p = presented(s);
  return p.delivered - p.sent;
}

/** Milliseconds from the presented sent to the presented read time; null unless both were observed from the provider. */
export function sentToRead(s: DeliveryState): number | null {
  if (s.sentAt === 0 || s.readAt === 0 || (s.estimated & PROGRESS_ESTIMATE_BITS) !== 0) return null;
  const p = presented(s);
  return p.read - p.sent;
}

/**
 * The annotation reconciliation gives a message stale past its horizon with no way to ask
 * (`bluetick/reconcile`, docs/missed-updates.md). The funnel counts it; the SQL port uses it too.
 */
export const EXPIRED_ANNOTATION = 'expired';

/**
 * Whether a state counts as expired in the funnel: annotated `expired` by reconciliation, below
 * `delivered` and not failed (a late webhook that delivered or failed it settles its fate).
 *
 * @example
 * ```ts
 * isExpired(state, 'delivery-wins'); // true for a Cloud message stuck at sent past the horizon
 * ```
 */
export function isExpired(s: DeliveryState, policy: FailedPolicy): boolean {
  return s.rank < DELIVERED_RANK && s.annotations !== null && s.annotations.includes(EXPIRED_ANNOTATION) && !isFailed(s, policy);
}

/** Whether the state presents as `failed` under the policy. */
export function isFailed(s: DeliveryState, policy: FailedPolicy): boolean {
  return presentedStatus(s, policy) === 'failed';
}

/** UTC start (epoch ms) of the day or hour holding `t`. */
export function bucketStart(t: number, groupBy: 'day' | 'hour'): number {
  const size = groupBy === 'day' ? 86_400_000 : 3_600_000;
  return Math.floor(t / size) * size;
}
