import { hashJson } from '../../event/ids.js';
import type { MessageEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { messageEventId } from '../event-ids.js';
import { isoOr } from '../../event/timestamp.js';
import { personId } from '../../event/person.js';
import { obj, str, type Json } from '../read.js';
import { fillContent, inferType } from './content.js';
import { readContext, readReferral } from './context.js';
import { metaErrors } from './errors.js';
import { recipientOf, senderContact } from './people.js';
import { META_ID_HEADS, type MetaScope } from './scope.js';

/**
 * Maps one Meta `messages[]` item (Cloud or On-Premises) to an inbound message event.
 *
 * A message without an `id` still becomes a message (its content is what matters), with a
 * content-hash message id. Without `from` (business-scoped user ids), the sender contact's
 * `wa_id` is still the sender's number. `to` is the business number the envelope names, else the
 * item's own `recipient_id`.
 */
export function metaMessage(m: Json, scope: MetaScope, ctx: NormalizeContext): MessageEvent {
  const messageId = str(m.id) ?? `hash-${hashJson(m)}`;
  const rawFrom = str(m.from);
  const contact = senderContact(scope.contacts, rawFrom, str(m.from_user_id));
  const providerType = typeof m.type === 'string' ? m.type : '';
  const event: MessageEvent = {
    schemaVersion: 1,
    id: messageEventId(META_ID_HEADS[scope.provider].message, messageId),
    kind: 'message',
    provider: scope.provider,
    accountId: scope.accountId,
    phoneNumberId: scope.phoneNumberId,
    occurredAt: isoOr(m.timestamp, ctx.receivedAt),
    receivedAt: ctx.receivedAt,
    messageId,
    direction: 'inbound',
    from: rawFrom === undefined ? (contact.waId ?? null) : personId(rawFrom),
    to: scope.businessNumber ?? recipientOf(m),
    contact,
    type: 'unknown',
    providerType,
    text: null,
  };
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
