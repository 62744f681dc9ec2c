import type { Conversation, DeliveryStatus, Pricing, StatusEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { bool, obj, str, type Json } from '../read.js';
import { type ChangeInfo, digits, errorsOf, expiryIso, isoOr, pushNotification, statusId } from './change.js';

/** Cloud `statuses[].status` → canonical status. Anything else is data: `"unknown"`, never a throw. */
export function cloudStatus(value: string): DeliveryStatus {
  switch (value) {
    case 'sent':
      return 'sent';
    case 'delivered':
      return 'delivered';
    case 'read':
      return 'read';
    case 'played':
      return 'played';
    case 'failed':
      return 'failed';
    case 'deleted':
      return 'deleted';
    case 'warning':
      return 'warning';
    default:
      return 'unknown';
  }
}

function readPricing(p: Json): Pricing {
  const pricing: Pricing = {};
  const billable = bool(p.billable);
  if (billable !== undefined) pricing.billable = billable;
  const model = str(p.pricing_model);
  if (model !== undefined) pricing.model = model;
  const category = str(p.category);
  if (category !== undefined) pricing.category = category;
  const type = str(p.type);
  if (type !== undefined) pricing.type = type;
  return pricing;
}

function readConversation(c: Json): Conversation {
  const conversation: Conversation = {};
  const id = str(c.id);
  if (id !== undefined) conversation.id = id;
  const origin = obj(c.origin);
  const originType = origin === undefined ? str(c.origin) : str(origin.type);
  if (originType !== undefined) conversation.origin = originType;
  if (c.expiration_timestamp !== undefined) {
    const expiresAt = expiryIso(c.expiration_timestamp);
    if (expiresAt !== '') conversation.expiresAt = expiresAt;
  }
  return conversation;
}

/**
 * Maps one `value.statuses[]` item of a `messages` change to a status event.
 *
 * A status without a message id cannot be tracked (it has no tracking key), and a non-object
 * item is not a status at all: both become a notification on the change's field so they are
 * still seen, never silently dropped, and never corrupt delivery state.
 *
 * Payment statuses (`type: "payment"`, values `captured | pending | failed`) describe an order's
 * transaction, not the message's delivery: they keep their raw value in `providerStatus` but
 * map to `"unknown"`, so a failed payment never marks a delivered message as failed.
 */
export function pushStatus(out: unknown[], item: unknown, info: ChangeInfo, ctx: NormalizeContext): void {
  const s = obj(item);
  const messageId = s === undefined ? undefined : str(s.id);
  if (s === undefined || messageId === undefined) {
    pushNotification(out, info, info.field, item, info.fallbackAt, ctx);
    return;
  }
  const rawRecipient = str(s.recipient_id);
  const recipientId = rawRecipient === undefined ? null : digits(rawRecipient);
  const rawParticipant = str(s.recipient_participant_id);
  const participantId = rawParticipant === undefined ? undefined : digits(rawParticipant);
  const recipientUserId = str(s.recipient_user_id) ?? str(s.recipient_participant_user_id);
  const providerStatus = str(s.status) ?? '';
  const event: StatusEvent = {
    schemaVersion: 1,
    id: statusId(messageId, recipientId ?? recipientUserId ?? '', participantId ?? '', providerStatus),
    kind: 'status',
    provider: 'cloud',
    accountId: info.accountId,
    phoneNumberId: info.phoneNumberId,
    occurredAt: isoOr(s.timestamp, ctx.receivedAt),
    receivedAt: ctx.receivedAt,
    messageId,
    recipientId,
    status: s.type === 'payment' ? 'unknown' : cloudStatus(providerStatus),
    providerStatus,
    errors: s.errors === undefined ? [] : errorsOf(s.errors),
  };
  if (participantId !== undefined) event.participantId = participantId;
  if (recipientUserId !== undefined) event.recipientUserId = recipientUserId;
  const pricing = obj(s.pricing);
  if (pricing !== undefined) event.pricing = readPricing(pricing);
  const conversation = obj(s.conversation);
  if (conversation !== undefined) event.conversation = readConversation(conversation);
  const biz = str(s.biz_opaque_callback_data);
  if (biz !== undefined) event.bizOpaqueCallbackData = biz;
  if (ctx.keepRaw) event.raw = item;
  out.push(event);
}
