import { joinId } from '../../event/ids.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import type { CanonicalEvent, MessageContact, MessageEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { applyMetaMessageContent } from '../meta-message.js';
import { type Json, obj, str } from '../read.js';
import { pushOnPremNotification } from './notification.js';
import { digitsOf } from '../phone-digits.js';

/**
 * The sender's entry of the body's top-level `contacts[]`, matched by `wa_id`. A linear scan:
 * On-Premises batches hold a handful of contacts, fewer than building a map would pay for.
 */
function contactFor(contacts: unknown[], from: string | undefined): MessageContact {
  if (from === undefined) return {};
  for (const item of contacts) {
    const c = obj(item);
    if (c === undefined) continue;
    const waId = str(c.wa_id);
    if (waId === undefined || digitsOf(waId) !== from) continue;
    const contact: MessageContact = { waId: digitsOf(waId) };
    const name = str(obj(c.profile)?.name);
    if (name !== undefined) contact.name = name;
    const userId = str(c.user_id);
    if (userId !== undefined) contact.userId = userId;
    return contact;
  }
  return {};
}

/**
 * Maps one On-Premises `messages[]` item to an inbound message event. An item without an id has
 * no identity to deduplicate on: it becomes a `messages` notification instead, seen but untracked.
 */
export function pushOnPremMessage(
  out: CanonicalEvent[],
  item: unknown,
  contacts: unknown[],
  ctx: NormalizeContext,
): void {
  const m = obj(item);
  const messageId = m === undefined ? undefined : str(m.id);
  if (m === undefined || messageId === undefined) {
    pushOnPremNotification(out, 'messages', item, ctx);
    return;
  }
  const rawFrom = str(m.from);
  const from = rawFrom === undefined ? undefined : digitsOf(rawFrom.trim());
  // On-Premises webhooks only deliver what users sent; `recipient_id` (flat or under `message`)
  // appears on some forwarded payloads and names the business number the user wrote to.
  const to = str(m.recipient_id) ?? str(obj(m.message)?.recipient_id);
  const event: MessageEvent = {
    schemaVersion: 1,
    id: joinId(['onprem', 'message', messageId]),
    kind: 'message',
    provider: 'onprem',
    accountId: null,
    phoneNumberId: null,
    occurredAt: toIsoTimestamp(m.timestamp) ?? ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    messageId,
    direction: 'inbound',
    from: from ?? null,
    to: to === undefined ? null : digitsOf(to),
    contact: contactFor(contacts, from),
    type: 'unknown',
    providerType: '',
    text: null,
  };
  applyMetaMessageContent(event, m as Json);
  if (ctx.keepRaw) event.raw = item;
  out.push(event);
}
