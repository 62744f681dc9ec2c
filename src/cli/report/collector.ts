/**
 * Follows a tracker's events and keeps what the delivery report needs: the latest presented
 * state per tracking key (from transitions), event counters and button clicks. Works with any
 * store, since it never reads the store back.
 */
import type { CanonicalEvent, MessageEvent } from '../../event/types.js';
import type { PresentedState } from '../../tracking/present.js';
import type { Tracker } from '../../tracking/tracker.js';
import type { Transition } from '../../tracking/tracker-types.js';
import { buildReport, type DeliveryReport, type EventCounters } from './model.js';

/** A live collector; `report()` can be called any time. */
export interface ReportCollector {
  /** Counts an HTTP answer of the receiver. */
  recordHttp(status: number | string): void;
  /** The latest presented state per tracking key. */
  readonly states: ReadonlyMap<string, PresentedState>;
  readonly counters: EventCounters;
  report(): DeliveryReport;
  /** Stops listening. */
  detach(): void;
}

/** The title a button click is counted under (template quick replies carry a payload). */
export function clickTitle(message: MessageEvent): string | null {
  const i = message.interaction;
  if (i === undefined) return null;
  if (i.kind !== 'button_reply' && i.kind !== 'quick_reply') return null;
  return i.title ?? i.payload ?? i.id ?? '(untitled)';
}

/**
 * Attaches a collector to a tracker.
 *
 * @example
 * ```ts
 * const collector = createReportCollector(tracker);
 * // … receive webhooks …
 * console.log(formatReport(collector.report()));
 * ```
 */
export function createReportCollector(tracker: Tracker): ReportCollector {
  const states = new Map<string, PresentedState>();
  const http: Record<string, number> = {};
  const counters: EventCounters = { received: 0, accepted: 0, duplicates: 0, transitions: 0, byKind: { message: 0, status: 0, error: 0, notification: 0 } };
  const clicks: Array<{ title: string; contextId: string | null }> = [];
  const accept = (kind: keyof EventCounters['byKind']) => {
    counters.received++;
    counters.accepted++;
    counters.byKind[kind]++;
  };
  const listeners = {
    transition: (t: Transition) => {
      counters.transitions++;
      states.set(t.key, t.after);
    },
    status: () => accept('status'),
    message: (m: MessageEvent) => {
      accept('message');
      const title = clickTitle(m);
      if (title !== null) clicks.push({ title, contextId: m.context?.messageId ?? null });
    },
    providerError: () => accept('error'),
    notification: () => accept('notification'),
    duplicate: (_e: CanonicalEvent) => {
      counters.received++;
      counters.duplicates++;
    },
  };
  tracker.on('transition', listeners.transition);
  tracker.on('status', listeners.status);
  tracker.on('message', listeners.message);
  tracker.on('providerError', listeners.providerError);
  tracker.on('notification', listeners.notification);
  tracker.on('duplicate', listeners.duplicate);
  return {
    states,
    counters,
    recordHttp(status) {
      const code = String(status);
      http[code] = (http[code] ?? 0) + 1;
    },
    report() {
      return buildReport({ states: [...states.values()], http: Object.keys(http).length > 0 ? { ...http } : undefined, events: structuredClone(counters), clicks });
    },
    detach() {
      tracker.off('transition', listeners.transition);
      tracker.off('status', listeners.status);
      tracker.off('message', listeners.message);
      tracker.off('providerError', listeners.providerError);
      tracker.off('notification', listeners.notification);
      tracker.off('duplicate', listeners.duplicate);
    },
  };
}
