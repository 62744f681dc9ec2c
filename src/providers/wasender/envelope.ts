import { hashJson, joinId } from '../../event/ids.js';
import { isoOr } from '../../event/timestamp.js';
import type { CanonicalEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { notificationEvent } from '../events.js';
import { num, obj, str } from '../read.js';

/** What every WASender item mapper needs from the envelope `{event, sessionId?, timestamp?, data}`. */
export interface WasenderEnvelope {
  /** The `event` (or `messages.upsert` for the legacy body that has none). */
  event: string;
  /** `sessionId`, or null when absent. */
  accountId: string | null;
  /** The envelope timestamp (ms or s, by magnitude) as ISO, else the receive time. */
  occurredAt: string;
  /** `occurredAt` is the receive time (the envelope has no usable timestamp). */
  estimated: boolean;
  /** The envelope timestamp as sent: part of notification and error ids (two identical bodies sent at different times are different events). */
  timestamp: unknown;
  /** `idHead('wasender', 'message' | 'status', sessionId)` for this webhook's items: their ids are scoped by session. */
  idHead: string;
}

/**
 * The items of a `data` that may be an array, an object holding `messages` as an array or an
 * object, or one item unwrapped (`data.key` + `data.message`). Absent data has no items.
 */
export function dataItems(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  const d = obj(data);
  if (d === undefined) return data === undefined || data === null ? [] : [data];
  const messages = d.messages;
  if (Array.isArray(messages)) return messages;
  if (obj(messages) !== undefined) return [messages];
  return [d];
}

/**
 * A Baileys timestamp (a number, a numeric string or a protobuf Long `{low, high}`; seconds or
 * milliseconds by magnitude) as ISO, or `fallback` when it is missing or unusable.
 */
export function baileysIso(value: unknown, fallback: string): string {
  const long = obj(value);
  if (long === undefined) return isoOr(value, fallback);
  const low = num(long.low);
  return low === undefined ? fallback : isoOr((num(long.high) ?? 0) * 4294967296 + (low >>> 0), fallback);
}

/**
 * Pushes one notification (`topic` = the event, `data` untouched). Its id hashes the data and
 * the envelope timestamp: WASender retries resend both unchanged, while the same data sent
 * again later (a second "connected" session status) is a new event. Without an envelope
 * timestamp, the item's own time (`timestamp`, `messageTimestamp`, a call's `date`) is used
 * before the receive time.
 */
export function pushWasenderNotification(
  out: CanonicalEvent[],
  env: WasenderEnvelope,
  data: unknown,
  ctx: NormalizeContext,
): void {
  const value = data === undefined ? null : data;
  const id = joinId(['wasender', 'notification', env.event, hashJson(value) + (str(env.timestamp) ?? '')]);
  let occurredAt = env.occurredAt;
  let estimated = env.estimated;
  if (estimated) {
    const own = itemTime(value);
    if (own !== '') {
      occurredAt = own;
      estimated = false;
    }
  }
  out.push(notificationEvent({ id, provider: 'wasender', accountId: env.accountId, phoneNumberId: null, occurredAt, estimated }, env.event, value, ctx));
}

/** The own time of a notification's item (or its first item): `timestamp`, `messageTimestamp`, `t`, or an ISO `date` (calls), else ''. */
function itemTime(data: unknown): string {
  const item = obj(Array.isArray(data) ? data[0] : data);
  if (item === undefined) return '';
  const call = obj(item.call);
  if (call !== undefined) return itemTime(call);
  const at = baileysIso(item.timestamp ?? item.messageTimestamp ?? item.t, '');
  if (at !== '' || typeof item.date !== 'string') return at;
  const ms = Date.parse(item.date);
  return ms > 0 ? new Date(ms).toISOString() : '';
}
