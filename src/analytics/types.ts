/**
 * Public types of delivery and interaction analytics: the funnel query, its report, interaction
 * and conversion records. Semantics are specified in docs/analytics.md; every store computes the
 * same report (the memory store in JavaScript, PostgreSQL in SQL) and the tests hold them equal.
 *
 * @packageDocumentation
 */
import type { ErrorClass, MessageInteraction, Provider } from '../event/types.js';
import type { FailedPolicy } from '../state/present.js';

/** A time bound: an ISO string, a Date or epoch milliseconds. */
export type TimeInput = string | Date | number;

/**
 * What `tracker.funnel()` takes.
 *
 * @example
 * ```ts
 * const query: FunnelQuery = { from: '2025-01-01', to: '2025-02-01', campaign: 'jan-promo', groupBy: 'day' };
 * ```
 */
export interface FunnelQuery {
  /** Inclusive start of the window (a state's anchor time, see docs/analytics.md). */
  from: TimeInput;
  /** Exclusive end of the window. */
  to: TimeInput;
  /** Only states of this account (`null`: states without an account). */
  accountId?: string | null;
  /** Only states the host tagged with this campaign at `track()` time. */
  campaign?: string;
  /** Only states of this provider. */
  provider?: Provider;
  /** Only states the host declared with `track()` (true), or only states seen in webhooks alone (false). */
  tracked?: boolean;
  /** Also split the window into UTC days or hours. */
  groupBy?: 'day' | 'hour';
}

/** A {@link FunnelQuery} with times resolved to epoch ms and the tracker's failure policy, as stores receive it. */
export interface StoreFunnelQuery {
  fromMs: number;
  toMs: number;
  accountId?: string | null;
  campaign?: string;
  provider?: Provider;
  tracked?: boolean;
  groupBy?: 'day' | 'hour';
  failedPolicy: FailedPolicy;
}

/** Nearest-rank percentiles of one latency, in milliseconds (null when `count` is 0). */
export interface LatencyStats {
  /** States that contributed a value. */
  count: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

/** Failed states per error code (a state with two codes counts under both). */
export interface FailureCount {
  code: string;
  class: ErrorClass;
  count: number;
}

/** States per pricing category. */
export interface PricingCount {
  category: string;
  count: number;
  /** Of those, states whose pricing said `billable: true`. */
  billable: number;
}

/** Counts, rates, latencies and breakdowns of a set of states. */
export interface FunnelStats {
  /** States in the window. */
  total: number;
  /** States that reached `sent` (rank ≥ sent, later stages included). */
  sent: number;
  /** Rank ≥ delivered. */
  delivered: number;
  /** Rank ≥ read. */
  read: number;
  /** Rank ≥ played. */
  played: number;
  /** States whose presented status is `failed` under the tracker's policy. */
  failed: number;
  /**
   * States reconciliation reported `expired` (annotated `expired`: past the horizon with no news)
   * that still never got to `delivered` and are not `failed`: the messages whose fate is unknown.
   */
  expired: number;
  /** Ratios (null when the denominator is 0): sent/total, delivered/sent, read/delivered, played/read, failed/total. */
  rates: { sent: number | null; delivered: number | null; read: number | null; played: number | null; failed: number | null };
  /** Presented time from sent to delivered, and from sent to read (both observed). */
  latency: { sentToDelivered: LatencyStats; sentToRead: LatencyStats };
  /** Failed states by error code (sorted by code, then class) and by error class. */
  failures: { byCode: FailureCount[]; byClass: Record<ErrorClass, number> };
  /** Sorted by category. */
  byPricingCategory: PricingCount[];
}

/** One UTC day or hour of a grouped funnel. */
export interface FunnelBucket extends FunnelStats {
  /** ISO start of the bucket. */
  start: string;
}

/** Replies to one button, list row, quick reply or flow, joined to the outbound messages in the window. */
export interface InteractionStat {
  kind: MessageInteraction['kind'];
  /** The reply id (`interaction.id`, else its `payload`), null when the provider gave none. */
  replyId: string | null;
  title: string | null;
  /** Reply events. */
  replies: number;
  /** Distinct outbound messages answered with it. */
  messages: number;
  /** `messages / delivered messages of the window` (null when none was delivered). */
  clickThroughRate: number | null;
}

/** Revenue of the conversions attributed to the window's messages, per campaign and currency. */
export interface RevenueStat {
  campaign: string | null;
  currency: string;
  /** Sum of the conversion values (exact to 6 decimals). */
  value: number;
  conversions: number;
}

/**
 * What `tracker.funnel()` returns.
 *
 * @example
 * ```ts
 * const report: FunnelReport = await tracker.funnel({ from, to });
 * console.log(report.rates.delivered, report.latency.sentToRead.p90, report.revenue);
 * ```
 */
export interface FunnelReport extends FunnelStats {
  from: string;
  to: string;
  groupBy: 'day' | 'hour' | null;
  /** Buckets that hold at least one state, in time order (empty without `groupBy`). */
  buckets: FunnelBucket[];
  /** Sorted by kind, reply id, title. */
  interactions: InteractionStat[];
  /** Sorted by campaign (null first), then currency. */
  revenue: RevenueStat[];
  /** Delivered messages (distinct message ids), the click-through denominator. */
  deliveredMessages: number;
}

/** An inbound reply to an interactive message, as the tracker records it. */
export interface InteractionRecord {
  /** The canonical event id (idempotency key). */
  id: string;
  provider: Provider;
  accountId: string | null;
  /** The reply's own message id. */
  messageId: string;
  /** The outbound message it answers (`context.messageId`, aliases resolved), null when unknown. */
  repliedTo: string | null;
  kind: MessageInteraction['kind'];
  replyId: string | null;
  title: string | null;
  from: string | null;
  /** Epoch ms of the reply. */
  at: number;
}

/**
 * What `tracker.recordConversion()` takes besides the message id.
 *
 * @example
 * ```ts
 * await tracker.recordConversion('wamid.HBg…', { value: 49.9, currency: 'BRL', id: 'order-1042' });
 * ```
 */
export interface ConversionInput {
  /** Revenue (at most 6 decimals are kept). */
  value: number;
  /** ISO 4217 code (upper-cased). */
  currency: string;
  /** Idempotency key (an order id): recording the same id twice counts once. Default: a random id. */
  id?: string;
  /** When it happened. Default now. */
  at?: TimeInput;
}

/** A conversion as stores keep it. */
export interface ConversionRecord {
  id: string;
  messageId: string;
  /** Value in millionths of the currency unit (integers sum exactly in JS and SQL). */
  valueMicros: number;
  currency: string;
  at: number;
}
