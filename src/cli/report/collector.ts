/**
 * Follows a tracker's events and counts what a receiver saw (HTTP answers, accepted and duplicate
 * events, transitions and changes). The delivery figures come from the store, through
 * `tracker.funnel()`, when the report is built.
 */
import type { Tracker } from '../../tracking/tracker.js';
import { buildReport, type DeliveryReport, type EventCounters } from './model.js';

/** A live collector; `report()` can be called any time. */
export interface ReportCollector {
  /** Counts an HTTP answer of the receiver. */
  recordHttp(status: number | string): void;
  readonly counters: EventCounters;
  report(): Promise<DeliveryReport>;
  /** Stops listening. */
  detach(): void;
}

/**
 * Attaches a collector to a tracker.
 *
 * @example
 * ```ts
 * const collector = createReportCollector(tracker);
 * // … receive webhooks …
 * console.log(formatReport(await collector.report()));
 * ```
 */
export function createReportCollector(tracker: Tracker): ReportCollector {
  const http: Record<string, number> = {};
  const counters: EventCounters = { received: 0, accepted: 0, duplicates: 0, transitions: 0, changes: 0, byKind: { message: 0, status: 0, error: 0, notification: 0 } };
  const accept = (kind: keyof EventCounters['byKind']) => () => {
    counters.received++;
    counters.accepted++;
    counters.byKind[kind]++;
  };
  const listeners = {
    transition: () => void counters.transitions++,
    change: () => void counters.changes++,
    status: accept('status'),
    message: accept('message'),
    providerError: accept('error'),
    notification: accept('notification'),
    duplicate: () => {
      counters.received++;
      counters.duplicates++;
    },
  };
  for (const [name, fn] of Object.entries(listeners)) tracker.on(name as keyof typeof listeners, fn);
  return {
    counters,
    recordHttp(status) {
      const code = String(status);
      http[code] = (http[code] ?? 0) + 1;
    },
    report: () => buildReport(tracker, { ...(Object.keys(http).length > 0 ? { http: { ...http } } : {}), events: structuredClone(counters) }),
    detach() {
      for (const [name, fn] of Object.entries(listeners)) tracker.off(name as keyof typeof listeners, fn);
    },
  };
}
