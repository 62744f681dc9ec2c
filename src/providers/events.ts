/**
 * The one builder of notification and error events, used by every provider mapper: the fields
 * every such event carries are written here only, so the providers cannot drift apart (a `data`
 * left `undefined`, a forgotten estimate flag, `raw` set without `keepRaw`).
 */
import type { ErrorEvent, NotificationEvent, Provider, ProviderError } from '../event/types.js';
import type { NormalizeContext } from './context.js';

/** Who and when an event is about; its id is the provider's own recipe. */
export interface EventOrigin {
  /** The event id (each provider hashes what identifies the item). */
  id: string;
  provider: Provider;
  accountId: string | null;
  phoneNumberId: string | null;
  occurredAt: string;
  /** `occurredAt` is the receive time, not a provider time (sets `occurredAtEstimated`). */
  estimated: boolean;
}

/**
 * A notification: `data` is the provider's object untouched, `null` when there is none (a change
 * without `value`), never `undefined`, which JSON drops and the schema then refuses.
 *
 * @example
 * ```ts
 * const origin = { id: 'cloud:notification:x', provider: 'cloud', accountId: null, phoneNumberId: null, occurredAt: at, estimated: false } as const;
 * notificationEvent(origin, 'account_update', { event: 'VERIFIED_ACCOUNT' }, ctx);
 * ```
 */
export function notificationEvent(origin: EventOrigin, topic: string, data: unknown, ctx: NormalizeContext): NotificationEvent {
  const value = data === undefined ? null : data;
  const event: NotificationEvent = {
    schemaVersion: 1,
    id: origin.id,
    kind: 'notification',
    provider: origin.provider,
    accountId: origin.accountId,
    phoneNumberId: origin.phoneNumberId,
    occurredAt: origin.occurredAt,
    receivedAt: ctx.receivedAt,
    topic,
    data: value,
  };
  if (origin.estimated) event.occurredAtEstimated = true;
  if (ctx.keepRaw) event.raw = value;
  return event;
}

/**
 * An error event: errors not tied to one message (value-level, top-level, a send rejected before
 * any message id existed). `raw` is what the provider sent, kept only with `keepRaw`.
 *
 * @example
 * ```ts
 * errorEvent(origin, [{ code: '130429', class: 'retryable' }], rawErrors, ctx);
 * ```
 */
export function errorEvent(origin: EventOrigin, errors: ProviderError[], raw: unknown, ctx: NormalizeContext): ErrorEvent {
  const event: ErrorEvent = {
    schemaVersion: 1,
    id: origin.id,
    kind: 'error',
    provider: origin.provider,
    accountId: origin.accountId,
    phoneNumberId: origin.phoneNumberId,
    occurredAt: origin.occurredAt,
    receivedAt: ctx.receivedAt,
    errors,
  };
  if (origin.estimated) event.occurredAtEstimated = true;
  if (ctx.keepRaw) event.raw = raw;
  return event;
}
