/**
 * The funnel over states held in memory: the reference implementation the SQL of the PostgreSQL
 * store is tested against (docs/analytics.md defines both).
 */
import type { ErrorClass } from '../event/types.js';
import { accountOf, type DeliveryState } from '../state/state.js';
import { buildReport, type RawInteraction, type RawStats } from './assemble.js';
import { latencyStats } from './percentile.js';
import { anchorOf, bucketStart, isExpired, isFailed, sentToDelivered, sentToRead } from './state-metrics.js';
import type { ConversionRecord, FailureCount, FunnelReport, InteractionRecord, PricingCount, RevenueStat, StoreFunnelQuery } from './types.js';

interface Acc {
  total: number;
  sent: number;
  delivered: number;
  read: number;
  played: number;
  failed: number;
  expired: number;
  toDelivered: number[];
  toRead: number[];
  codes: Map<string, FailureCount>;
  classes: Partial<Record<ErrorClass, number>>;
  pricing: Map<string, PricingCount>;
}

const newAcc = (): Acc => ({ total: 0, sent: 0, delivered: 0, read: 0, played: 0, failed: 0, expired: 0, toDelivered: [], toRead: [], codes: new Map(), classes: {}, pricing: new Map() });

function add(acc: Acc, s: DeliveryState, failed: boolean, expired: boolean): void {
  acc.total++;
  if (expired) acc.expired++;
  if (s.rank >= 2) acc.sent++;
  if (s.rank >= 3) acc.delivered++;
  if (s.rank >= 4) acc.read++;
  if (s.rank >= 5) acc.played++;
  const d = sentToDelivered(s);
  if (d !== null) acc.toDelivered.push(d);
  const r = sentToRead(s);
  if (r !== null) acc.toRead.push(r);
  if (failed) {
    acc.failed++;
    const seen = new Set<ErrorClass>();
    for (const e of Object.values(s.errors ?? {})) {
      const key = `${e.code}\u0000${e.class}`;
      const c = acc.codes.get(key);
      if (c === undefined) acc.codes.set(key, { code: e.code, class: e.class, count: 1 });
      else c.count++;
      seen.add(e.class);
    }
    for (const cls of seen) acc.classes[cls] = (acc.classes[cls] ?? 0) + 1;
  }
  const category = s.pricing?.category;
  if (category !== undefined) {
    const p = acc.pricing.get(category) ?? { category, count: 0, billable: 0 };
    p.count++;
    if (s.pricing?.billable === true) p.billable++;
    acc.pricing.set(category, p);
  }
}

function raw(acc: Acc): RawStats {
  return {
    total: acc.total,
    sent: acc.sent,
    delivered: acc.delivered,
    read: acc.read,
    played: acc.played,
    failed: acc.failed,
    expired: acc.expired,
    sentToDelivered: latencyStats(acc.toDelivered),
    sentToRead: latencyStats(acc.toRead),
    byCode: [...acc.codes.values()],
    byPricingCategory: [...acc.pricing.values()],
    byClass: acc.classes,
  };
}

/** Whether a state passes the query's filters (window and identity). */
export function inWindow(s: DeliveryState, q: StoreFunnelQuery): boolean {
  const anchor = anchorOf(s);
  if (anchor === 0 || anchor < q.fromMs || anchor >= q.toMs) return false;
  if (q.accountId !== undefined && accountOf(s) !== q.accountId) return false;
  if (q.provider !== undefined && s.provider !== q.provider) return false;
  if (q.campaign !== undefined && s.meta?.campaign !== q.campaign) return false;
  if (q.tracked !== undefined && s.tracked !== q.tracked) return false;
  return true;
}

/**
 * Computes a funnel report over states, interaction records and conversions.
 *
 * @example
 * ```ts
 * const report = computeFunnel(states, interactions, conversions, { fromMs, toMs, failedPolicy: 'delivery-wins' });
 * ```
 */
export function computeFunnel(
  states: Iterable<DeliveryState>,
  interactions: Iterable<InteractionRecord>,
  conversions: Iterable<ConversionRecord>,
  q: StoreFunnelQuery,
): FunnelReport {
  const overall = newAcc();
  const buckets = new Map<number, Acc>();
  // message id → greatest campaign over its states in the window (null when none has one).
  const messages = new Map<string, string | null>();
  const delivered = new Set<string>();
  for (const s of states) {
    if (!inWindow(s, q)) continue;
    const failed = isFailed(s, q.failedPolicy);
    const expired = isExpired(s, q.failedPolicy);
    add(overall, s, failed, expired);
    if (q.groupBy !== undefined) {
      const start = bucketStart(anchorOf(s), q.groupBy);
      let acc = buckets.get(start);
      if (acc === undefined) buckets.set(start, (acc = newAcc()));
      add(acc, s, failed, expired);
    }
    const campaign = s.meta?.campaign ?? null;
    const prev = messages.get(s.messageId);
    if (prev === undefined || (campaign !== null && (prev === null || campaign > prev))) messages.set(s.messageId, campaign);
    if (s.rank >= 3) delivered.add(s.messageId);
  }

  const replies = new Map<string, RawInteraction & { answered: Set<string> }>();
  for (const i of interactions) {
    if (i.repliedTo === null || !messages.has(i.repliedTo)) continue;
    const key = JSON.stringify([i.kind, i.replyId, i.title]);
    let r = replies.get(key);
    if (r === undefined) replies.set(key, (r = { kind: i.kind, replyId: i.replyId, title: i.title, replies: 0, messages: 0, answered: new Set() }));
    r.replies++;
    r.answered.add(i.repliedTo);
  }

  const revenue = new Map<string, RevenueStat & { micros: number }>();
  for (const c of conversions) {
    const campaign = messages.get(c.messageId);
    if (campaign === undefined) continue;
    const key = JSON.stringify([campaign, c.currency]);
    let r = revenue.get(key);
    if (r === undefined) revenue.set(key, (r = { campaign, currency: c.currency, value: 0, conversions: 0, micros: 0 }));
    r.micros += c.valueMicros;
    r.conversions++;
  }

  return buildReport(
    q,
    raw(overall),
    [...buckets].map(([start, acc]) => ({ start, stats: raw(acc) })),
    [...replies.values()].map(({ answered, ...r }) => ({ ...r, messages: answered.size })),
    delivered.size,
    [...revenue.values()].map(({ micros, ...r }) => ({ ...r, value: micros / 1e6 })),
  );
}
