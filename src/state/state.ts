/**
 * The delivery state: one element of a join-semilattice per message (and group participant). It
 * is deliberately flat (numbers, strings, small JSON) so that every field maps to a SQL column or
 * a JSON field, and the SQL and Lua ports of {@link merge} are field-by-field translations that
 * take their ranks and limits from this module (see docs/delivery-state.md).
 *
 * @packageDocumentation
 */
import type { Conversation, Pricing, Provider, ProviderError } from '../event/types.js';

/** Progress ranks: `none 0 < pending 1 < sent 2 < delivered 3 < read 4 < played 5`. */
export const RANK = { none: 0, pending: 1, sent: 2, delivered: 3, read: 4, played: 5 } as const;

/** A progress rank, 0 (none) to 5 (played). */
export type Rank = (typeof RANK)[keyof typeof RANK];

/** Status names by rank, index = rank. */
export const RANK_STATUS = ['none', 'pending', 'sent', 'delivered', 'read', 'played'] as const;

/** The progress statuses a stale search can ask for. */
export type ProgressStatus = 'pending' | 'sent' | 'delivered' | 'read';

/** The rank at which presentation lets evidence of delivery win over a failure (`delivered`). */
export const DELIVERED_RANK = RANK.delivered;

/** Errors kept per state: the smallest codes win, so the bound keeps the merge a lattice join. */
export const MAX_ERRORS = 16;
/** Annotations kept per state (the smallest values), for the same reason. */
export const MAX_ANNOTATIONS = 8;
/** Tags kept per state (the smallest values). */
export const MAX_TAGS = 32;

/**
 * The timestamp fields, in the order of their bits in {@link DeliveryState.estimated}: bit `1 << i`
 * belongs to `TIME_FIELDS[i]`. The first five are the progress ranks 1..5.
 */
export const TIME_FIELDS = ['pendingAt', 'sentAt', 'deliveredAt', 'readAt', 'playedAt', 'failedAt', 'deletedAt', 'warningAt'] as const;

/** One of {@link TIME_FIELDS}. */
export type TimeField = (typeof TIME_FIELDS)[number];

/**
 * What the host declared with `tracker.track()`, merged field-wise (strings: the greater wins;
 * tags: sorted union). `accountId` and `recipientId` are the host's spelling: the provider's own
 * values, when it sends any, take precedence when the state is presented.
 */
export interface TrackMeta {
  campaign?: string;
  tags?: string[];
  /** WASender's numeric `msgId` from its send response, as a string. */
  wasenderMsgId?: string;
  /** The account as the host wrote it at `track()`. */
  accountId?: string;
  /** The recipient as the host wrote it at `track()` (reduced to bare digits / a JID's user part). */
  recipientId?: string;
}

/**
 * The merged state of one outbound message (or one group participant's copy of it).
 *
 * Identity is `provider` + `messageId` + `participantId` (null for a one-to-one message and for a
 * group message as a whole): see `stateKey` in `bluetick/state`. `accountId` and `recipientId` are attributes
 * the provider reported, never identity.
 *
 * Timestamps are epoch milliseconds, `0` meaning "never seen"; each holds the EARLIEST provider
 * timestamp observed for its status. Optional parts are `null` when absent (never `undefined`), so
 * every state has the same shape and serializes to the same JSON keys.
 *
 * @example
 * ```ts
 * const state = applyEvent(null, statusEvent);
 * JSON.stringify(state); // safe: plain numbers, strings, arrays and objects
 * ```
 */
export interface DeliveryState {
  provider: Provider;
  messageId: string;
  /** Group member this state is about, else null. */
  participantId: string | null;
  /** Account the provider reported (the greater when several), else null. */
  accountId: string | null;
  /** Recipient the provider reported (the group id for group receipts), else null. */
  recipientId: string | null;
  /** Highest progress rank observed (0..5). */
  rank: number;
  pendingAt: number;
  sentAt: number;
  deliveredAt: number;
  readAt: number;
  playedAt: number;
  failedAt: number;
  deletedAt: number;
  warningAt: number;
  /**
   * Bit `1 << i` set: `TIME_FIELDS[i]` is only known from when the webhook was received (the
   * provider sent no usable time). A provider time always replaces such an estimate; analytics
   * leave estimated times out of latencies.
   */
  estimated: number;
  /** Errors keyed by code (at most {@link MAX_ERRORS}, the smallest codes), or null. */
  errors: Record<string, ProviderError> | null;
  /** Pricing/conversation of the highest-rank observation that carried either; -1 when none did. */
  billingRank: number;
  pricing: Pricing | null;
  conversation: Conversation | null;
  bizOpaqueCallbackData: string | null;
  /** Sorted set: `deleted`, `warning`, unknown raw provider statuses (at most {@link MAX_ANNOTATIONS}). */
  annotations: string[] | null;
  /** True once the host declared the message with `tracker.track()`. */
  tracked: boolean;
  meta: TrackMeta | null;
}

/**
 * The rank of a canonical status value; `failed`, `deleted`, `warning` and unknown values have
 * no rank (0): they never move progress.
 *
 * @example
 * ```ts
 * rankOf('read'); // 4
 * rankOf('failed'); // 0
 * ```
 */
export function rankOf(status: string): number {
  const rank = (RANK as Record<string, number | undefined>)[status];
  return rank === undefined || !Object.prototype.hasOwnProperty.call(RANK, status) ? 0 : rank;
}

/**
 * Timestamp of a rank's status in a state (0 for rank 0 or when never seen).
 *
 * @example
 * ```ts
 * atOfRank(state, state.rank); // when the message reached its current progress
 * ```
 */
export function atOfRank(state: DeliveryState, rank: number): number {
  return rank >= 1 && rank <= 5 ? state[TIME_FIELDS[rank - 1] as TimeField] : 0;
}

/**
 * The account of a state as presented: the provider's, else the host's from `track()`.
 *
 * @example
 * ```ts
 * accountOf(state); // '102290129340398'
 * ```
 */
export function accountOf(state: DeliveryState): string | null {
  return state.accountId ?? state.meta?.accountId ?? null;
}

/**
 * The recipient of a state as presented: the provider's, else the host's from `track()`.
 *
 * @example
 * ```ts
 * recipientOf(state); // '16505551234'
 * ```
 */
export function recipientOf(state: DeliveryState): string | null {
  return state.recipientId ?? state.meta?.recipientId ?? null;
}
