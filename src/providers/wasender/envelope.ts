import { hashJson, joinId } from '../../event/ids.js';
import type { CanonicalEvent, NotificationEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { isoOr } from '../../event/timestamp.js';
import { num, obj, str } from '../read.js';

/** What every WASender item mapper needs from the envelope `{event, sessionId?, timestamp?, data}`. */
export interface WasenderEnvelope {
  /** The `event` (or `messages.upsert` for the legacy body that has none). */
  event: string;
  /** `sessionId`, or null when absent. */
  accountId: string | null;
  /** The envelope timestamp (ms or s, by magnitude) as ISO, else the receive time. */
  occurredAt: string;
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
 * again later (a second "connected" session status) is a new event.
 */
export function pushWasenderNotification(
  out: CanonicalEvent[],
  env: WasenderEnvelope,
  data: unknown,
  ctx: NormalizeContext,
): void {
  const value = data === undefined ? null : data;
  const event: NotificationEvent = {
    schemaVersion: 1,
    id: joinId(['wasender', 'notification', env.event, hashJson(value) + (str(env.timestamp) ?? '')]),
    kind: 'notification',
    provider: 'wasender',
    accountId: env.accountId,
    phoneNumberId: null,
    occurredAt: env.occurredAt,
    receivedAt: ctx.receivedAt,
    topic: env.event,
    data: value,
  };
  if (ctx.keepRaw) event.raw = data;
  out.push(event);
}
