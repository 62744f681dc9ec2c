import { hashJson, joinId } from '../../event/ids.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import { toProviderError } from '../../event/error-classes.js';
import type { ErrorEvent, NotificationEvent, ProviderError } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { phoneDigits } from '../read.js';

/**
 * What every item of one `entry[].changes[]` shares. Built once per change (not per item) so the
 * item mappers stay allocation-light on the hot path.
 */
export interface ChangeInfo {
  /** `entry[].id`: the WABA id. */
  accountId: string | null;
  /** `entry[].time` as sent (part of notification/error ids: the same value on another day is another event). */
  entryTime: string;
  /** `changes[].field` (`"unknown"` when absent). */
  field: string;
  /** `value.metadata.phone_number_id`. */
  phoneNumberId: string | null;
  /** `value.metadata.display_phone_number` as digits: the business side of an inbound message. */
  businessNumber: string | null;
  /** `value.contacts[]` (empty when absent). */
  contacts: readonly unknown[];
  /** ISO time of `entry[].time`, else `receivedAt`: the occurredAt of items without their own timestamp. */
  fallbackAt: string;
}

/**
 * Phone digits of a provider number. The common case (already bare digits) returns the same
 * string without running a regex or allocating; `+250 788 123 200` becomes `250788123200`;
 * anything that is not a phone number (BSUIDs, placeholders) is returned unchanged.
 */
export function digits(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return phoneDigits(value);
  }
  return value;
}

/**
 * Provider errors from an `errors` array, or from a lone error object sent without its array.
 * An explicit loop rather than `Array.prototype.map`, which would carry holes of a sparse array
 * through as `undefined` entries.
 */
export function errorsOf(value: unknown): ProviderError[] {
  if (!Array.isArray(value)) return value !== null && typeof value === 'object' ? [toProviderError(value)] : [];
  const out: ProviderError[] = [];
  for (let i = 0; i < value.length; i++) out.push(toProviderError(value[i]));
  return out;
}

/*
 * Timestamps: a batch's items carry seconds that are close together (a burst of statuses, the
 * same conversation expiry). Formatting is a large share of mapping cost, so integral seconds
 * reuse the ISO text of their minute ("2025-06-15T23:27:") from the previous call and only
 * append the seconds. Everything else goes through toIsoTimestamp unchanged.
 */
// Two slots: an item's own time and a conversation expiry (a day later) alternate in a batch.
let minuteA = Number.NaN;
let prefixA = '';
let minuteB = Number.NaN;
let prefixB = '';

function secondsIso(n: number): string | undefined {
  const minute = Math.floor(n / 60);
  const prefix = minute === minuteA ? prefixA : minute === minuteB ? prefixB : undefined;
  if (prefix !== undefined) {
    const s = n - minute * 60;
    return prefix + (s < 10 ? '0' : '') + s + '.000Z';
  }
  const iso = toIsoTimestamp(n);
  if (iso !== undefined) {
    minuteB = minuteA;
    prefixB = prefixA;
    minuteA = minute;
    prefixA = iso.slice(0, 17);
  }
  return iso;
}

/**
 * `toIsoTimestamp(value)` (same output, property-tested), or `fallback` when the value is missing
 * or unusable (`"asdf"`).
 */
export function isoOr(value: unknown, fallback: string): string {
  let n: number;
  if (typeof value === 'string') {
    // Meta's usual 10-digit seconds; other lengths (ms, odd text) take the general path.
    if (value.length !== 10) return toIsoTimestamp(value) ?? fallback;
    n = Number(value);
  } else if (typeof value === 'number') {
    n = value;
  } else {
    return fallback;
  }
  // Integral seconds between 1 and 1e10 (year 2286), well inside toIsoTimestamp's seconds range.
  if (n > 0 && n < 1e10 && Math.floor(n) === n) return secondsIso(n) ?? fallback;
  return toIsoTimestamp(value) ?? fallback;
}

let lastExpiry: unknown;
let lastExpiryIso = '';

/**
 * ISO of a conversation's `expiration_timestamp`, or '' when unusable. A batch's statuses share
 * one conversation expiry, so the last one is remembered (apart from the item timestamps it
 * would alternate with in {@link isoOr}'s cache).
 */
export function expiryIso(value: unknown): string {
  if (value !== lastExpiry) {
    lastExpiryIso = isoOr(value, '');
    lastExpiry = value;
  }
  return lastExpiryIso;
}

/** One id part exactly as {@link joinId} escapes it. */
function idPart(text: string): string {
  return text.includes(':') || text.includes('%') ? text.replace(/%/g, '%25').replace(/:/g, '%3A') : text;
}

/**
 * `joinId(['cloud', 'status', messageId, recipient, participant, providerStatus])`, built without
 * the intermediate array (one status id per item of a 50-status batch). Tested equal to joinId.
 */
export function statusId(messageId: string, recipient: string, participant: string, providerStatus: string): string {
  return 'cloud:status:' + idPart(messageId) + ':' + idPart(recipient) + ':' + idPart(participant) + ':' + idPart(providerStatus);
}

/** `joinId(['cloud', 'message', messageId])` without the intermediate array. Tested equal to joinId. */
export function messageEventId(messageId: string): string {
  return 'cloud:message:' + idPart(messageId);
}

/**
 * One notification: a non-`messages` change (`data` = the whole `value`), or an item we cannot
 * map as a message or a delivery status (`data` = that item). Its id hashes the data, scoped by
 * entry id, entry time and field, because such items carry no identity of their own.
 */
export function pushNotification(
  out: unknown[],
  info: ChangeInfo,
  topic: string,
  data: unknown,
  occurredAt: string,
  ctx: NormalizeContext,
): void {
  const event: NotificationEvent = {
    schemaVersion: 1,
    id: joinId(['cloud', 'notification', info.accountId, info.entryTime, topic, hashJson(data)]),
    kind: 'notification',
    provider: 'cloud',
    accountId: info.accountId,
    phoneNumberId: info.phoneNumberId,
    occurredAt,
    receivedAt: ctx.receivedAt,
    topic,
    data,
  };
  if (ctx.keepRaw) event.raw = data;
  out.push(event);
}

/**
 * The value-level `errors[]` of one change as ONE error event carrying all of them: Meta sends
 * them together about one failure of the app or account (for example a rate limit), and one
 * event per change keeps a retried payload from fanning out into several alerts.
 */
export function pushErrors(out: unknown[], info: ChangeInfo, raw: unknown[], errors: ProviderError[], ctx: NormalizeContext): void {
  const event: ErrorEvent = {
    schemaVersion: 1,
    id: joinId(['cloud', 'error', info.accountId, info.entryTime, info.field, hashJson(raw)]),
    kind: 'error',
    provider: 'cloud',
    accountId: info.accountId,
    phoneNumberId: info.phoneNumberId,
    occurredAt: info.fallbackAt,
    receivedAt: ctx.receivedAt,
    errors,
  };
  if (ctx.keepRaw) event.raw = raw;
  out.push(event);
}
