/**
 * What a merge did to a state, as hosts see it. This is bluetick's ONE rule for "did the state
 * change?": two states are the same when everything `present()` shows of them is the same, so a
 * change nobody can see (a billing rank behind equal pricing, a later duplicate time) is no
 * change. It is computed on the states directly, with the same monotone-time walk `present()`
 * uses (no ISO strings are built on the ingest path); a property test holds it equal to comparing
 * `present(a)` with `present(b)` field by field.
 */
import { hasFailure, monotone, present, presentedStatus, type FailedPolicy, type PresentedState } from './present.js';
import { accountOf, DELIVERED_RANK, recipientOf, type DeliveryState } from './state.js';

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

/** Bits of `estimated` shown as they are (failedAt, deletedAt, warningAt); progress ones go through `monotone`. */
const OTHER_ESTIMATES = 0b11100000;

/**
 * Whether two states of one key present alike (under any policy: the status is compared apart).
 *
 * @example
 * ```ts
 * samePresentation(state, merge(state, observe(lateSentEvent))); // false when sentAt moved
 * ```
 */
export function samePresentation(a: DeliveryState, b: DeliveryState): boolean {
  if (a === b) return true;
  if (
    a.provider !== b.provider ||
    a.messageId !== b.messageId ||
    a.participantId !== b.participantId ||
    accountOf(a) !== accountOf(b) ||
    recipientOf(a) !== recipientOf(b) ||
    a.failedAt !== b.failedAt ||
    a.deletedAt !== b.deletedAt ||
    a.warningAt !== b.warningAt ||
    (a.estimated & OTHER_ESTIMATES) !== (b.estimated & OTHER_ESTIMATES) ||
    (hasFailure(a) && a.rank >= DELIVERED_RANK) !== (hasFailure(b) && b.rank >= DELIVERED_RANK) ||
    a.bizOpaqueCallbackData !== b.bizOpaqueCallbackData ||
    a.tracked !== b.tracked
  ) {
    return false;
  }
  // Same rank, progress times and estimates give the same monotone walk: only walk when they differ.
  if (a.rank !== b.rank || a.pendingAt !== b.pendingAt || a.sentAt !== b.sentAt || a.deliveredAt !== b.deliveredAt || a.readAt !== b.readAt || a.playedAt !== b.playedAt || a.estimated !== b.estimated) {
    const ma = monotone(a);
    const mb = monotone(b);
    for (let i = 0; i < ma.length; i++) {
      const x = ma[i];
      const y = mb[i];
      if (x?.t !== y?.t || x?.implied !== y?.implied || x?.estimated !== y?.estimated) return false;
    }
  }
  return (
    deepEqual(a.errors ?? {}, b.errors ?? {}) &&
    deepEqual(a.pricing, b.pricing) &&
    deepEqual(a.conversation, b.conversation) &&
    deepEqual(a.annotations ?? [], b.annotations ?? []) &&
    deepEqual(a.meta, b.meta)
  );
}

/**
 * What a merge changed: `transition` when the presented `status` changed (or the state is new),
 * `change` for any other presented change (a refined time, a flag, an implied time becoming
 * observed), `none` otherwise.
 */
export type ChangeKind = 'transition' | 'change' | 'none';

/**
 * The kind of a merge's change under a failure policy. Because the presented status only moves
 * up (docs/delivery-state.md), a `transition` happens at most once per status reached, per state.
 *
 * @example
 * ```ts
 * if (changeKind(before, after, 'delivery-wins') === 'transition') notify(after);
 * ```
 */
export function changeKind(before: DeliveryState | null, after: DeliveryState, policy: FailedPolicy = 'delivery-wins'): ChangeKind {
  if (before === null) return 'transition';
  if (before === after) return 'none';
  if (presentedStatus(before, policy) !== presentedStatus(after, policy)) return 'transition';
  return samePresentation(before, after) ? 'none' : 'change';
}

/** A merge's effect as hosts see it. */
export interface StateChange {
  kind: ChangeKind;
  /** Presented state before (null: the state is new). */
  before: PresentedState | null;
  after: PresentedState;
}

/**
 * {@link changeKind} with both presented states.
 *
 * @example
 * ```ts
 * const { kind, before, after } = classifyChange(r.before, r.after, 'delivery-wins');
 * ```
 */
export function classifyChange(before: DeliveryState | null, after: DeliveryState, policy: FailedPolicy = 'delivery-wins'): StateChange {
  return { kind: changeKind(before, after, policy), before: before === null ? null : present(before, { failedPolicy: policy }), after: present(after, { failedPolicy: policy }) };
}
