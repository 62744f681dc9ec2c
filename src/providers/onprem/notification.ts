import { hashJson, joinId } from '../../event/ids.js';
import type { CanonicalEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { notificationEvent } from '../events.js';

/**
 * Records an On-Premises part that cannot become a message or status (an item with no id or not
 * an object, contacts no message was matched with, a top-level key of its own) as a notification
 * on its key, so nothing in a batch is silently dropped. The body carries no time of its own: the
 * receive time stands in, marked estimated.
 */
export function pushOnPremNotification(out: CanonicalEvent[], topic: string, item: unknown, ctx: NormalizeContext): void {
  const id = joinId(['onprem', 'notification', topic, hashJson(item)]);
  const origin = { id, provider: 'onprem', accountId: null, phoneNumberId: null, occurredAt: ctx.receivedAt, estimated: true } as const;
  out.push(notificationEvent(origin, topic, item, ctx));
}
