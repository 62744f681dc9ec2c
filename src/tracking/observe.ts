import type { Conversation, Pricing, ProviderError, StatusEvent } from '../event/types.js';
import { MAX_ERRORS, rankOf, type DeliveryState } from './state.js';
import { isoToMs } from './time.js';

/**
 * Normalizes a provider error to exactly the fields the lattice compares, dropping empty strings,
 * so two errors that print alike are alike (the tie-break in merge relies on it).
 */
export function cleanError(e: ProviderError): ProviderError {
  const out: ProviderError = { code: String(e.code), class: e.class };
  if (e.title) out.title = e.title;
  if (e.message) out.message = e.message;
  if (e.details) out.details = e.details;
  if (e.href) out.href = e.href;
  return out;
}

function cleanPricing(p: Pricing | undefined): Pricing | null {
  if (p === undefined || p === null) return null;
  const out: Pricing = {};
  if (typeof p.billable === 'boolean') out.billable = p.billable;
  if (p.model) out.model = p.model;
  if (p.category) out.category = p.category;
  if (p.type) out.type = p.type;
  return Object.keys(out).length === 0 ? null : out;
}

function cleanConversation(c: Conversation | undefined): Conversation | null {
  if (c === undefined || c === null) return null;
  const out: Conversation = {};
  if (c.id) out.id = c.id;
  if (c.origin) out.origin = c.origin;
  if (c.expiresAt) out.expiresAt = c.expiresAt;
  return Object.keys(out).length === 0 ? null : out;
}

function errorMap(errors: readonly ProviderError[]): Record<string, ProviderError> | null {
  if (errors.length === 0) return null;
  const codes = errors.map((e) => String(e.code)).sort();
  const keep = new Set(codes.slice(0, MAX_ERRORS));
  const out: Record<string, ProviderError> = {};
  for (const raw of errors) {
    const e = cleanError(raw);
    if (!keep.has(e.code)) continue;
    const prev = out[e.code];
    out[e.code] = prev === undefined || compareErrors(e, prev) > 0 ? e : prev;
  }
  return out;
}

/** Code-unit order of two strings, absent before present. */
function cmp(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

/**
 * Total order on two cleaned errors of the same code: title, message, details, href, class, each
 * absent < present, then code-unit order. The merge keeps the greater one.
 */
export function compareErrors(a: ProviderError, b: ProviderError): number {
  return cmp(a.title, b.title) || cmp(a.message, b.message) || cmp(a.details, b.details) || cmp(a.href, b.href) || cmp(a.class, b.class);
}

/**
 * Epoch ms of an event's provider time: `occurredAt`, else `receivedAt`, else now (only for
 * hand-built events with no usable time; the normalizers always give one).
 */
function eventTime(event: StatusEvent): number {
  let t = isoToMs(event.occurredAt);
  if (!(t > 0)) t = typeof event.receivedAt === 'string' ? isoToMs(event.receivedAt) : Number.NaN;
  return t > 0 ? t : Date.now();
}

/**
 * The lattice element one status event stands for: its rank, its one timestamp, its errors,
 * pricing, conversation and annotations. `applyEvent(state, e)` is `merge(state, observe(e))`.
 *
 * @example
 * ```ts
 * observe(sentEvent).rank; // 2
 * ```
 */
export function observe(event: StatusEvent, messageId: string = event.messageId): DeliveryState {
  const status = event.status;
  const rank = rankOf(status);
  const t = eventTime(event);
  const pricing = cleanPricing(event.pricing);
  const conversation = cleanConversation(event.conversation);
  const hasBilling = pricing !== null || conversation !== null;
  let annotations: string[] | null = null;
  if (status === 'deleted' || status === 'warning') annotations = [status];
  else if (status === 'unknown') annotations = [event.providerStatus || 'unknown'];
  return {
    provider: event.provider,
    accountId: event.accountId ?? null,
    messageId,
    recipientId: event.recipientId ?? null,
    participantId: event.participantId ?? null,
    rank,
    pendingAt: rank === 1 ? t : 0,
    sentAt: rank === 2 ? t : 0,
    deliveredAt: rank === 3 ? t : 0,
    readAt: rank === 4 ? t : 0,
    playedAt: rank === 5 ? t : 0,
    failedAt: status === 'failed' ? t : 0,
    deletedAt: status === 'deleted' ? t : 0,
    warningAt: status === 'warning' ? t : 0,
    errors: event.errors && event.errors.length > 0 ? errorMap(event.errors) : null,
    billingRank: hasBilling ? rank : -1,
    pricing,
    conversation,
    bizOpaqueCallbackData: event.bizOpaqueCallbackData || null,
    annotations,
    tracked: false,
    meta: null,
  };
}
