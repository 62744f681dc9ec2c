import type { DeliveryStatus, StatusEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { statusEventId } from '../event-ids.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import { personId } from '../../event/person.js';
import { obj, str, type Json } from '../read.js';
import { metaConversation, metaPricing } from './billing.js';
import { metaErrors } from './errors.js';
import { recipientOf } from './people.js';
import { META_ID_HEADS, type MetaScope } from './scope.js';

/**
 * A Meta `statuses[].status` value → canonical status. Anything else is data: `"unknown"`, never
 * a throw (the raw value stays in `providerStatus`).
 *
 * @example
 * ```ts
 * metaStatusValue('read');     // 'read'
 * metaStatusValue('in_orbit'); // 'unknown'
 * ```
 */
export function metaStatusValue(value: string): DeliveryStatus {
  switch (value) {
    case 'sent':
    case 'delivered':
    case 'read':
    case 'played':
    case 'failed':
    case 'deleted':
    case 'warning':
      return value;
    default:
      return 'unknown';
  }
}

/**
 * Maps one Meta `statuses[]` item (Cloud or On-Premises) to a status event, or returns undefined
 * when it has no message id: such a status has no tracking key, and the caller records it as a
 * notification instead, so it is still seen but never corrupts delivery state.
 *
 * The recipient is `recipient_id` (or `message.recipient_id`) as digits, else the business-scoped
 * `recipient_user_id`; group statuses add the member as `participantId`. Payment statuses
 * (`type: "payment"`, values `captured | pending | failed`) describe an order's transaction, not
 * the message's delivery: they keep their raw value in `providerStatus` but map to `"unknown"`,
 * so a failed payment never marks a delivered message as failed.
 */
export function metaStatus(s: Json, scope: MetaScope, ctx: NormalizeContext): StatusEvent | undefined {
  const messageId = str(s.id);
  if (messageId === undefined) return undefined;
  const recipientId = recipientOf(s);
  const rawParticipant = str(s.recipient_participant_id);
  const participantId = rawParticipant === undefined ? undefined : personId(rawParticipant);
  const recipientUserId = str(s.recipient_user_id) ?? str(s.recipient_participant_user_id);
  const providerStatus = str(s.status) ?? '';
  const at = toIsoTimestamp(s.timestamp);
  const event: StatusEvent = {
    schemaVersion: 1,
    id: statusEventId(META_ID_HEADS[scope.provider].status, messageId, recipientId ?? recipientUserId ?? '', participantId ?? '', providerStatus),
    kind: 'status',
    provider: scope.provider,
    accountId: scope.accountId,
    phoneNumberId: scope.phoneNumberId,
    occurredAt: at ?? ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    messageId,
    recipientId,
    status: s.type === 'payment' ? 'unknown' : metaStatusValue(providerStatus),
    providerStatus,
    errors: s.errors === undefined ? [] : metaErrors(s.errors),
  };
  // No provider time: the receive time stands in, and must not pass for a delivered/read time.
  if (at === undefined) event.occurredAtEstimated = true;
  if (participantId !== undefined) event.participantId = participantId;
  if (recipientUserId !== undefined) event.recipientUserId = recipientUserId;
  const pricing = obj(s.pricing);
  if (pricing !== undefined) event.pricing = metaPricing(pricing);
  const conversation = obj(s.conversation);
  if (conversation !== undefined) event.conversation = metaConversation(conversation);
  const biz = str(s.biz_opaque_callback_data);
  if (biz !== undefined) event.bizOpaqueCallbackData = biz;
  if (ctx.keepRaw) event.raw = s;
  return event;
}
