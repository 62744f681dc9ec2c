/**
 * The delivery state: one element of a join-semilattice per tracking key. It is deliberately flat
 * (numbers, strings, one map of errors) so that every field maps to a SQL column or a Redis hash
 * field, and a port of {@link merge} to SQL or Lua is a field-by-field translation
 * (see docs/delivery-state.md).
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

/** Host metadata given to `tracker.track()`, merged field-wise (strings: greater wins; tags: union). */
export interface TrackMeta {
  campaign?: string;
  tags?: string[];
  /** WASender's numeric `msgId` from its send response, as a string. */
  wasenderMsgId?: string;
}

/**
 * The merged state of one outbound message for one recipient (or group participant).
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
  accountId: string | null;
  messageId: string;
  recipientId: string | null;
  participantId: string | null;
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

/** Errors kept per state: the smallest codes win, so the bound keeps the merge a lattice join. */
export const MAX_ERRORS = 16;
/** Annotations kept per state (the smallest values), for the same reason. */
export const MAX_ANNOTATIONS = 8;
/** Tags kept per state (the smallest values). */
export const MAX_TAGS = 32;

/**
 * The rank of a canonical status value; `failed`, `deleted`, `warning` and unknown values have
 * no rank (0): they never move progress.
 */
export function rankOf(status: string): number {
  switch (status) {
    case 'pending':
      return 1;
    case 'sent':
      return 2;
    case 'delivered':
      return 3;
    case 'read':
      return 4;
    case 'played':
      return 5;
    default:
      return 0;
  }
}

/** Timestamp of a rank's status in a state (0 for rank 0 or when never seen). */
export function atOfRank(state: DeliveryState, rank: number): number {
  switch (rank) {
    case 1:
      return state.pendingAt;
    case 2:
      return state.sentAt;
    case 3:
      return state.deliveredAt;
    case 4:
      return state.readAt;
    case 5:
      return state.playedAt;
    default:
      return 0;
  }
}
