/**
 * What a merge did to a state, as hosts see it. This is bluetick's ONE rule for "did the state
 * change?": presented states are compared, never stored ones, so a change nobody can see (a
 * billing rank behind equal pricing, a later duplicate time) is no change.
 */
import { present, type FailedPolicy, type PresentedState } from './present.js';
import type { DeliveryState } from './state.js';

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
 * Whether two presented states are the same (deep, key-order-insensitive).
 *
 * @example
 * ```ts
 * samePresentation(present(a), present(merge(a, a))); // true
 * ```
 */
export function samePresentation(a: PresentedState | null, b: PresentedState | null): boolean {
  return deepEqual(a, b);
}

/**
 * What a merge changed: `transition` when the presented `status` changed (or the state is new),
 * `change` for any other presented change (a refined time, a flag, an implied time becoming
 * observed), `none` otherwise.
 */
export type ChangeKind = 'transition' | 'change' | 'none';

/** A merge's effect as hosts see it. */
export interface StateChange {
  kind: ChangeKind;
  /** Presented state before (null: the state is new). */
  before: PresentedState | null;
  after: PresentedState;
}

/**
 * Classifies a merge's before/after under a failure policy. Because presented status only moves
 * up (docs/delivery-state.md), a `transition` happens at most once per status reached, per state.
 *
 * @example
 * ```ts
 * const { kind } = classifyChange(before, after, 'delivery-wins');
 * if (kind === 'transition') notify(after);
 * ```
 */
export function classifyChange(before: DeliveryState | null, after: DeliveryState, policy: FailedPolicy = 'delivery-wins'): StateChange {
  const shown = present(after, { failedPolicy: policy });
  if (before === null) return { kind: 'transition', before: null, after: shown };
  const was = before === after ? shown : present(before, { failedPolicy: policy });
  if (was.status !== shown.status) return { kind: 'transition', before: was, after: shown };
  return { kind: samePresentation(was, shown) ? 'none' : 'change', before: was, after: shown };
}
