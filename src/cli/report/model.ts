/**
 * The delivery report of the CLI and the demo: the store's own funnel (`tracker.funnel()`, the
 * public API), once over every state and once over the states the host tracked, plus what a
 * receiver counted itself (HTTP answers, events). It always says what it counts.
 */
import type { FunnelReport } from '../../analytics/types.js';
import type { Tracker } from '../../tracking/tracker.js';

/** Counters of what a receiver saw (absent when the report is read back from a store). */
export interface EventCounters {
  /** Events in the webhooks received. */
  received: number;
  /** New events: committed and emitted. */
  accepted: number;
  /** Events already accepted before (provider retries, replays): same event id. */
  duplicates: number;
  /** Presented-status changes, and other presented changes. */
  transitions: number;
  changes: number;
  byKind: { message: number; status: number; error: number; notification: number };
}

/** The report. */
export interface DeliveryReport {
  http: Record<string, number> | null;
  events: EventCounters | null;
  /** Every delivery state the store holds. */
  all: FunnelReport;
  /** The states the host declared with `track()` (null when there are none). */
  tracked: FunnelReport | null;
  /** States seen only in webhooks (`all.total - tracked.total`). */
  webhookOnly: number;
}

/**
 * Builds the report from the tracker's store (every state ever anchored up to now).
 *
 * @example
 * ```ts
 * const report = await buildReport(tracker, { http: { '200': 41 } });
 * report.all.rates.delivered; // delivery rate over every state
 * ```
 */
export async function buildReport(tracker: Tracker, extras: { http?: Record<string, number>; events?: EventCounters } = {}): Promise<DeliveryReport> {
  const window = { from: 0, to: Date.now() + 86_400_000 };
  const all = await tracker.funnel(window);
  const tracked = await tracker.funnel({ ...window, tracked: true });
  return {
    http: extras.http ?? null,
    events: extras.events ?? null,
    all,
    tracked: tracked.total > 0 ? tracked : null,
    webhookOnly: all.total - tracked.total,
  };
}
