import { hashJson, joinId } from '../../event/ids.js';
import type { ErrorEvent, NotificationEvent, ProviderError } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import type { MetaScope } from '../meta/scope.js';

/**
 * What every item of one `entry[].changes[]` shares. Built once per change (not per item) so the
 * item mappers stay allocation-light on the hot path.
 */
export interface ChangeInfo {
  /**
   * What the shared Meta item mappers need. Its own object (not fields of this one) so they see
   * one object shape from Cloud and On-Premises alike, and their property reads stay monomorphic.
   */
  scope: MetaScope;
  /** `entry[].time` as sent (part of notification/error ids: the same value on another day is another event). */
  entryTime: string;
  /** `changes[].field` (`"unknown"` when absent). */
  field: string;
  /** ISO time of `entry[].time`, else `receivedAt`: the occurredAt of items without their own timestamp. */
  fallbackAt: string;
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
    id: joinId(['cloud', 'notification', info.scope.accountId, info.entryTime, topic, hashJson(data)]),
    kind: 'notification',
    provider: 'cloud',
    accountId: info.scope.accountId,
    phoneNumberId: info.scope.phoneNumberId,
    occurredAt,
    receivedAt: ctx.receivedAt,
    topic,
    // A change without a `value` still has data: JSON has no undefined (it would vanish in transit).
    data: data === undefined ? null : data,
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
    id: joinId(['cloud', 'error', info.scope.accountId, info.entryTime, info.field, hashJson(raw)]),
    kind: 'error',
    provider: 'cloud',
    accountId: info.scope.accountId,
    phoneNumberId: info.scope.phoneNumberId,
    occurredAt: info.fallbackAt,
    receivedAt: ctx.receivedAt,
    errors,
  };
  if (ctx.keepRaw) event.raw = raw;
  out.push(event);
}
