import { metaErrors } from '../meta-errors.js';
import { joinId } from '../../event/ids.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import type { CanonicalEvent, DeliveryStatus, StatusEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { metaConversation, metaPricing } from '../meta-status.js';
import { obj, str } from '../read.js';
import { pushOnPremNotification } from './notification.js';
import { digitsOf } from '../phone-digits.js';

/** On-Premises `statuses[].status` → canonical status; any other value is data (`unknown`). */
export function onPremStatus(value: string): DeliveryStatus {
  switch (value) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'failed':
    case 'deleted':
    case 'warning':
      return value;
    default:
      return 'unknown';
  }
}

/**
 * Maps one On-Premises `statuses[]` item to a status event. The recipient is `recipient_id`, or
 * `message.recipient_id` in the newer shape some BSPs (Turn.io) forward. A status without a
 * message id has no tracking key: it becomes a `statuses` notification instead.
 */
export function pushOnPremStatus(out: CanonicalEvent[], item: unknown, ctx: NormalizeContext): void {
  const s = obj(item);
  const messageId = s === undefined ? undefined : str(s.id);
  if (s === undefined || messageId === undefined) {
    pushOnPremNotification(out, 'statuses', item, ctx);
    return;
  }
  const rawRecipient = str(s.recipient_id) ?? str(obj(s.message)?.recipient_id);
  const recipientId = rawRecipient === undefined ? null : digitsOf(rawRecipient);
  const providerStatus = str(s.status) ?? '';
  const event: StatusEvent = {
    schemaVersion: 1,
    id: joinId(['onprem', 'status', messageId, recipientId ?? '', '', providerStatus]),
    kind: 'status',
    provider: 'onprem',
    accountId: null,
    phoneNumberId: null,
    occurredAt: toIsoTimestamp(s.timestamp) ?? ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    messageId,
    recipientId,
    status: onPremStatus(providerStatus),
    providerStatus,
    errors: metaErrors(s.errors),
  };
  const pricing = obj(s.pricing);
  if (pricing !== undefined) event.pricing = metaPricing(pricing);
  const conversation = obj(s.conversation);
  if (conversation !== undefined) event.conversation = metaConversation(conversation);
  const biz = str(s.biz_opaque_callback_data);
  if (biz !== undefined) event.bizOpaqueCallbackData = biz;
  if (ctx.keepRaw) event.raw = item;
  out.push(event);
}
