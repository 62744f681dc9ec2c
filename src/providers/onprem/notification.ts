import { hashJson, joinId } from '../../event/ids.js';
import type { CanonicalEvent, NotificationEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';

/**
 * Records an On-Premises item that cannot become a message or status (no id, not an object) as a
 * notification on its array's name, so nothing in a batch is silently dropped.
 */
export function pushOnPremNotification(
  out: CanonicalEvent[],
  topic: 'messages' | 'statuses',
  item: unknown,
  ctx: NormalizeContext,
): void {
  const event: NotificationEvent = {
    schemaVersion: 1,
    id: joinId(['onprem', 'notification', topic, hashJson(item)]),
    kind: 'notification',
    provider: 'onprem',
    accountId: null,
    phoneNumberId: null,
    occurredAt: ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    topic,
    data: item === undefined ? null : item,
  };
  if (ctx.keepRaw) event.raw = item;
  out.push(event);
}
