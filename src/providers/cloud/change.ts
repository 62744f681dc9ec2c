import { hashJson, joinId } from '../../event/ids.js';
import type { ProviderError } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { errorEvent, notificationEvent } from '../events.js';
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
  /** `changes[].field`; read from the content when absent (`"unknown"` when that says nothing either). */
  field: string;
  /** ISO time of `entry[].time`, else `receivedAt`: the occurredAt of items without their own timestamp. */
  fallbackAt: string;
  /** `fallbackAt` is the receive time (no usable `entry[].time`): events using it are marked estimated. */
  fallbackEstimated: boolean;
}

/**
 * One notification: a non-`messages` change (`data` = the whole `value`), an item we cannot map
 * as a message or a delivery status (`data` = that item), or a part of a `messages` change no
 * other event carries (`topic` = its key). Its id hashes the data, scoped by entry id, entry time
 * and topic, because such items carry no identity of their own.
 */
export function pushNotification(
  out: unknown[],
  info: ChangeInfo,
  topic: string,
  data: unknown,
  occurredAt: string,
  estimated: boolean,
  ctx: NormalizeContext,
): void {
  const value = data === undefined ? null : data;
  const id = joinId(['cloud', 'notification', info.scope.accountId, info.entryTime, topic, hashJson(data)]);
  const { accountId, phoneNumberId } = info.scope;
  out.push(notificationEvent({ id, provider: 'cloud', accountId, phoneNumberId, occurredAt, estimated }, topic, value, ctx));
}

/**
 * The value-level `errors[]` of one change as ONE error event carrying all of them: Meta sends
 * them together about one failure of the app or account (for example a rate limit), and one
 * event per change keeps a retried payload from fanning out into several alerts.
 */
export function pushErrors(out: unknown[], info: ChangeInfo, raw: unknown[], errors: ProviderError[], ctx: NormalizeContext): void {
  const id = joinId(['cloud', 'error', info.scope.accountId, info.entryTime, info.field, hashJson(raw)]);
  const { accountId, phoneNumberId } = info.scope;
  const origin = { id, provider: 'cloud', accountId, phoneNumberId, occurredAt: info.fallbackAt, estimated: info.fallbackEstimated } as const;
  out.push(errorEvent(origin, errors, raw, ctx));
}
