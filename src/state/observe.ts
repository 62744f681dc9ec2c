/**
 * From a status event to the lattice element it stands for (an "observation").
 */
import type { Conversation, Pricing, ProviderError, StatusEvent } from '../event/types.js';
import { isoToMs } from '../event/timestamp.js';
import { MAX_ERRORS, rankOf, type DeliveryState } from './state.js';

/**
 * Normalizes a provider error to exactly the fields the lattice compares, dropping empty strings,
 * so two errors that print alike are alike (the tie-break in merge relies on it).
 *
 * @example
 * ```ts
 * cleanError({ code: 131026, class: 'permanent', title: '' } as never); // { code: '131026', class: 'permanent' }
 * ```
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
  // Empty when no field was set (read off the fields: no Object.keys array per observation).
  return out.billable === undefined && out.model === undefined && out.category === undefined && out.type === undefined ? null : out;
}

function cleanConversation(c: Conversation | undefined): Conversation | null {
  if (c === undefined || c === null) return null;
  const out: Conversation = {};
  if (c.id) out.id = c.id;
  if (c.origin) out.origin = c.origin;
  if (c.expiresAt) out.expiresAt = c.expiresAt;
  return out.id === undefined && out.origin === undefined && out.expiresAt === undefined ? null : out;
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
 *
 * @example
 * ```ts
 * compareErrors({ code: '1', class: 'unknown' }, { code: '1', class: 'unknown', title: 'x' }); // -1
 * ```
 */
export function compareErrors(a: ProviderError, b: ProviderError): number {
  return cmp(a.title, b.title) || cmp(a.message, b.message) || cmp(a.details, b.details) || cmp(a.href, b.href) || cmp(a.class, b.class);
}

function errorMap(errors: readonly ProviderError[]): Record<string, ProviderError> | null {
  if (errors.length === 0) return null;
  const codes = errors.map((e) => String(e.code)).sort();
  const keep = new Set(codes.slice(0, MAX_ERRORS));
  // A prototype-free map: error codes are provider text ("constructor", "__proto__" are codes too).
  const out = Object.create(null) as Record<string, ProviderError>;
  for (const raw of errors) {
    const e = cleanError(raw);
    if (!keep.has(e.code)) continue;
    const prev = out[e.code];
    out[e.code] = prev === undefined || compareErrors(e, prev) > 0 ? e : prev;
  }
  return out;
}

/**
 * Epoch ms of an event's time: `occurredAt`, else `receivedAt`, else now (only for hand-built
 * events with no usable time; the normalizers always give one). The fallbacks are estimates.
 */
function eventTime(event: StatusEvent, occurred: number): number {
  if (occurred > 0) return occurred;
  const received = typeof event.receivedAt === 'string' ? isoToMs(event.receivedAt) : Number.NaN;
  return received > 0 ? received : Date.now();
}

/** The timestamp field a status writes (none for `unknown`). */
function timeFieldOf(status: string, rank: number): number {
  if (rank > 0) return rank - 1;
  if (status === 'failed') return 5;
  if (status === 'deleted') return 6;
  if (status === 'warning') return 7;
  return -1;
}

/**
 * The lattice element one status event stands for: its rank, its one timestamp, its errors,
 * pricing, conversation and annotations. `applyEvent(state, e)` is `merge(state, observe(e))`.
 * `messageId` overrides the event's (a resolved WASender alias).
 *
 * @example
 * ```ts
 * observe(sentEvent).rank; // 2
 * ```
 */
export function observe(event: StatusEvent, messageId: string = event.messageId): DeliveryState {
  const status = event.status;
  const rank = rankOf(status);
  const occurred = isoToMs(event.occurredAt);
  const t = eventTime(event, occurred);
  const estimated = occurred > 0 ? event.occurredAtEstimated === true : true;
  const field = timeFieldOf(status, rank);
  const pricing = cleanPricing(event.pricing);
  const conversation = cleanConversation(event.conversation);
  const hasBilling = pricing !== null || conversation !== null;
  let annotations: string[] | null = null;
  if (status === 'deleted' || status === 'warning') annotations = [status];
  else if (status === 'unknown') annotations = [event.providerStatus || 'unknown'];
  const state: DeliveryState = {
    provider: event.provider,
    messageId,
    participantId: event.participantId ?? null,
    accountId: event.accountId ?? null,
    recipientId: event.recipientId ?? null,
    rank,
    // The event's one time goes to its status's field (TIME_FIELDS order), written out so the
    // object is built in one shape instead of by a keyed store.
    pendingAt: field === 0 ? t : 0,
    sentAt: field === 1 ? t : 0,
    deliveredAt: field === 2 ? t : 0,
    readAt: field === 3 ? t : 0,
    playedAt: field === 4 ? t : 0,
    failedAt: field === 5 ? t : 0,
    deletedAt: field === 6 ? t : 0,
    warningAt: field === 7 ? t : 0,
    estimated: field >= 0 && estimated ? 1 << field : 0,
    errors: event.errors && event.errors.length > 0 ? errorMap(event.errors) : null,
    billingRank: hasBilling ? rank : -1,
    pricing,
    conversation,
    bizOpaqueCallbackData: event.bizOpaqueCallbackData || null,
    annotations,
    tracked: false,
    meta: null,
  };
  return state;
}
