/**
 * The delivery report: a plain, JSON-serializable summary computed from presented delivery
 * states and the event counters of a run. Deliberately self-contained (it reads only
 * `PresentedState`s), so a store-side analytics implementation can replace `buildReport` later.
 */
import type { ErrorClass } from '../../event/types.js';
import type { PresentedState } from '../../tracking/present.js';

/** p50/p90/p99 of a duration sample, in milliseconds. */
export interface Percentiles {
  n: number;
  p50: number;
  p90: number;
  p99: number;
}

/** Counters of what a receiver saw (absent when the report is read back from a store). */
export interface EventCounters {
  received: number;
  accepted: number;
  duplicates: number;
  transitions: number;
  byKind: { message: number; status: number; error: number; notification: number };
}

/** A button (or quick reply) and how often it was pressed. */
export interface ButtonCount {
  title: string;
  clicks: number;
  /** Clicks whose `context.messageId` is a message this run tracked. */
  onTracked: number;
}

/** What {@link buildReport} reads. */
export interface ReportInput {
  states: readonly PresentedState[];
  http?: Record<string, number>;
  events?: EventCounters;
  /** Button clicks: title and the message id replied to (if any). */
  clicks?: ReadonlyArray<{ title: string; contextId: string | null }>;
}

/** The report. */
export interface DeliveryReport {
  http: Record<string, number> | null;
  events: EventCounters | null;
  funnel: {
    /** `tracked` when the host declared messages with track(); otherwise every state seen. */
    scope: 'tracked' | 'all';
    total: number;
    sent: number;
    delivered: number;
    read: number;
    failed: number;
    /** Still pending: nothing beyond the host's track() was observed. */
    pending: number;
  };
  latency: { toDelivered: Percentiles | null; toRead: Percentiles | null };
  failures: Array<{ code: string; class: ErrorClass; title: string; count: number }>;
  buttons: ButtonCount[];
  campaigns: Array<{ campaign: string; total: number; delivered: number; read: number; failed: number }>;
}

/** Nearest-rank percentiles of a sample (sorted in place). */
export function percentiles(sample: number[]): Percentiles | null {
  if (sample.length === 0) return null;
  sample.sort((a, b) => a - b);
  const at = (p: number) => sample[Math.min(sample.length - 1, Math.max(0, Math.ceil((p / 100) * sample.length) - 1))] as number;
  return { n: sample.length, p50: at(50), p90: at(90), p99: at(99) };
}

const ms = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

function failuresOf(states: readonly PresentedState[]): DeliveryReport['failures'] {
  const byCode = new Map<string, { code: string; class: ErrorClass; title: string; count: number }>();
  for (const s of states) {
    if (s.status !== 'failed') continue;
    for (const e of s.errors) {
      const row = byCode.get(e.code) ?? { code: e.code, class: e.class, title: e.title ?? e.message ?? '', count: 0 };
      row.count++;
      byCode.set(e.code, row);
    }
  }
  return [...byCode.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

function buttonsOf(clicks: ReportInput['clicks'], tracked: ReadonlySet<string>): ButtonCount[] {
  const byTitle = new Map<string, ButtonCount>();
  for (const c of clicks ?? []) {
    const row = byTitle.get(c.title) ?? { title: c.title, clicks: 0, onTracked: 0 };
    row.clicks++;
    if (c.contextId !== null && tracked.has(c.contextId)) row.onTracked++;
    byTitle.set(c.title, row);
  }
  return [...byTitle.values()].sort((a, b) => b.clicks - a.clicks || a.title.localeCompare(b.title));
}

/**
 * Computes the report from presented states (one per message and recipient) and run counters.
 *
 * @example
 * ```ts
 * const report = buildReport({ states: [...], http: { '200': 41 } });
 * report.funnel.delivered / report.funnel.total; // delivery rate
 * ```
 */
export function buildReport(input: ReportInput): DeliveryReport {
  const trackedStates = input.states.filter((s) => s.tracked);
  const scope = trackedStates.length > 0 ? 'tracked' : 'all';
  const states = scope === 'tracked' ? trackedStates : input.states;
  const funnel = { scope, total: states.length, sent: 0, delivered: 0, read: 0, failed: 0, pending: 0 } as DeliveryReport['funnel'];
  const toDelivered: number[] = [];
  const toRead: number[] = [];
  const campaigns = new Map<string, DeliveryReport['campaigns'][number]>();
  for (const s of states) {
    if (s.sentAt !== null) funnel.sent++;
    if (s.deliveredAt !== null) funnel.delivered++;
    if (s.readAt !== null) funnel.read++;
    if (s.status === 'failed') funnel.failed++;
    if (s.status === 'pending') funnel.pending++;
    const sent = s.sentImplied ? NaN : ms(s.sentAt);
    if (!s.deliveredImplied && Number.isFinite(sent) && Number.isFinite(ms(s.deliveredAt))) toDelivered.push(ms(s.deliveredAt) - sent);
    if (!s.readImplied && Number.isFinite(sent) && Number.isFinite(ms(s.readAt))) toRead.push(ms(s.readAt) - sent);
    const name = s.meta?.campaign;
    if (name !== undefined) {
      const c = campaigns.get(name) ?? { campaign: name, total: 0, delivered: 0, read: 0, failed: 0 };
      c.total++;
      if (s.deliveredAt !== null) c.delivered++;
      if (s.readAt !== null) c.read++;
      if (s.status === 'failed') c.failed++;
      campaigns.set(name, c);
    }
  }
  return {
    http: input.http ?? null,
    events: input.events ?? null,
    funnel,
    latency: { toDelivered: percentiles(toDelivered), toRead: percentiles(toRead) },
    failures: failuresOf(states),
    buttons: buttonsOf(input.clicks, new Set(trackedStates.map((s) => s.messageId))),
    campaigns: [...campaigns.values()].sort((a, b) => a.campaign.localeCompare(b.campaign)),
  };
}
