/**
 * Emitting what a committed step accepted to the tracker's listeners. One code path for the
 * events this process just committed and for the listener deliveries it recovers from the outbox
 * (a process that stopped between its commit and its listeners).
 */
import type { CanonicalEvent, StatusEvent } from '../event/types.js';
import { emit as emitMetric, type MetricsHook } from '../metrics/hook.js';
import { changeKind } from '../state/change.js';
import { stateKey } from '../state/key.js';
import { present, presentedStatus, type FailedPolicy } from '../state/present.js';
import { rankOf, type DeliveryState } from '../state/state.js';
import type { Collector, ListenerHub } from './listeners.js';
import type { ChangeOrigin, Transition, TrackerEvents } from './tracker-types.js';

/** One accepted event and, for a status event, its merge. */
export interface Accepted {
  event: CanonicalEvent;
  before?: DeliveryState | null;
  after?: DeliveryState;
}

/** Counts of what was emitted. */
export interface EmitCounts {
  transitions: number;
  changes: number;
}

/** The emission context of one tracker. */
export interface EmitContext {
  hub: ListenerHub<TrackerEvents>;
  policy: FailedPolicy;
  metrics: MetricsHook | undefined;
}

/**
 * Emits a status event's merge: `transition` or `change` by the one rule of src/state/change.ts.
 * Returns which one it was.
 */
export function emitChange(
  ctx: EmitContext,
  collector: Collector,
  event: StatusEvent,
  before: DeliveryState | null,
  after: DeliveryState,
  origin: ChangeOrigin,
  recovered = false,
): 'transition' | 'change' | 'none' {
  const kind = changeKind(before, after, ctx.policy);
  if (kind === 'none') return 'none';
  if (kind === 'transition' && ctx.metrics?.transition) emitMetric(ctx.metrics, 'transition', presentedStatus(after, ctx.policy));
  // Presented views are built only for listeners that will read them.
  if (ctx.hub.has(kind)) {
    const shown = { failedPolicy: ctx.policy };
    const t: Transition = { key: stateKey(after), before: before === null ? null : present(before, shown), after: present(after, shown), event, state: after, origin };
    if (recovered) t.recovered = true;
    ctx.hub.emit(collector, kind, t);
  }
  return kind;
}

/** Emits one accepted event to its listeners; adds transitions and changes to `counts`. */
export function emitAccepted(ctx: EmitContext, collector: Collector, item: Accepted, counts: EmitCounts, origin: ChangeOrigin = 'ingest', recovered = false): void {
  const e = item.event;
  if (e.kind === 'status') {
    if (item.after === undefined) return; // a record without its merge (replayed dead letter): nothing to present
    const before = item.before ?? null;
    const seen = rankOf(e.status);
    if (before !== null && seen > 0 && seen < before.rank) emitMetric(ctx.metrics, 'preventedDowngrade');
    if (ctx.hub.has('status')) ctx.hub.emit(collector, 'status', e, present(item.after, { failedPolicy: ctx.policy }));
    const kind = emitChange(ctx, collector, e, before, item.after, origin, recovered);
    if (kind === 'transition') counts.transitions++;
    else if (kind === 'change') counts.changes++;
    return;
  }
  if (e.kind === 'message') ctx.hub.emit(collector, 'message', e);
  else if (e.kind === 'error') ctx.hub.emit(collector, 'providerError', e);
  else ctx.hub.emit(collector, 'notification', e);
}
