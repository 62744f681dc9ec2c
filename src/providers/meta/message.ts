import { hashJson } from '../../event/ids.js';
import type { MessageEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { messageEventId } from '../event-ids.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import { personId } from '../../event/person.js';
import { obj, str, type Json } from '../read.js';
import { fillContent, inferType } from './content.js';
import { readContext, readReferral } from './context.js';
import { metaErrors } from './errors.js';
import { recipientOf, senderContact } from './people.js';
import { META_ID_HEADS, type MetaScope } from './scope.js';

/**
 * Maps one Meta `messages[]` item (Cloud or On-Premises) to an inbound message event, or, with
 * `outbound`, one `message_echoes[]` item (a message the business sent from the WhatsApp
 * Business app, Coexistence) to an outbound one.
 *
 * A message without an `id` still becomes a message (its content is what matters), with a
 * content-hash message id. Inbound: without `from` (business-scoped user ids), the sender
 * contact's `wa_id` is still the sender's number; `to` is the business number the envelope
 * names, else the item's own `recipient_id`. Outbound: `from` is the business number, `to` the
 * customer, and `contact` describes the customer. The message id is the `wamid` statuses will
 * name, so the echo's delivery can be tracked like any message the business sent.
 */
export function metaMessage(m: Json, scope: MetaScope, ctx: NormalizeContext, outbound = false): MessageEvent {
  const messageId = str(m.id) ?? `hash-${hashJson(m)}`;
  const rawFrom = str(m.from);
  const rawTo = outbound ? str(m.to) : undefined;
  const contact = outbound ? senderContact(scope, rawTo, str(m.to_user_id)) : senderContact(scope, rawFrom, str(m.from_user_id));
  const providerType = typeof m.type === 'string' ? m.type : '';
  const at = toIsoTimestamp(m.timestamp);
  const event: MessageEvent = {
    schemaVersion: 1,
    id: messageEventId(META_ID_HEADS[scope.provider].message, messageId),
    kind: 'message',
    provider: scope.provider,
    accountId: scope.accountId,
    phoneNumberId: scope.phoneNumberId,
    occurredAt: at ?? ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    messageId,
    direction: outbound ? 'outbound' : 'inbound',
    from: outbound ? (scope.businessNumber ?? (rawFrom === undefined ? null : personId(rawFrom))) : rawFrom === undefined ? (contact.waId ?? null) : personId(rawFrom),
    to: outbound ? (rawTo === undefined ? (contact.waId ?? null) : personId(rawTo)) : (scope.businessNumber ?? recipientOf(m)),
    contact,
    type: 'unknown',
    text: null,
    providerType,
  };
  // An inferred type is ours, not the provider's: providerType stays absent. Deleted right away,
  // while it is the last property (V8 then just steps back to the shape without it); the common
  // case keeps it in the literal, so events are built in one shape without a later property add.
  if (providerType === '') delete event.providerType;
  if (at === undefined) event.occurredAtEstimated = true;
  fillContent(event, m, providerType === '' ? inferType(m) : providerType);
  const context = obj(m.context);
  if (context !== undefined) event.context = readContext(context);
  const referral = obj(m.referral);
  if (referral !== undefined) event.referral = readReferral(referral);
  const groupId = str(m.group_id);
  if (groupId !== undefined) event.groupId = groupId;
  if (m.identity !== undefined) {
    // Security notification: the sender's identity key changed (show_security_notifications).
    if (event.details === undefined) event.details = { identity: m.identity };
    else event.details.identity = m.identity;
  }
  if (m.errors !== undefined) event.errors = metaErrors(m.errors);
  if (ctx.keepRaw) event.raw = m;
  return event;
}
