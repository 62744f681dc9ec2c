import { hashJson } from '../../event/ids.js';
import type { MessageContact, MessageContext, MessageEvent, MessageReferral } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { bool, obj, str, type Json } from '../read.js';
import { type ChangeInfo, digits, errorsOf, isoOr, messageEventId, pushNotification } from './change.js';
import { fillContent, inferType } from './message-content.js';

/**
 * The `contacts[]` entry describing the sender: the one whose `wa_id` / `user_id` matches the
 * message, else the only one. Meta sends one contact per message in practice.
 */
function findContact(contacts: readonly unknown[], from: string | undefined, userId: string | undefined): Json | undefined {
  if (contacts.length === 1) return obj(contacts[0]);
  for (let i = 0; i < contacts.length; i++) {
    const c = obj(contacts[i]);
    if (c === undefined) continue;
    if ((from !== undefined && c.wa_id === from) || (userId !== undefined && c.user_id === userId)) return c;
  }
  return undefined;
}

function readContext(c: Json): MessageContext {
  const context: MessageContext = {};
  const id = str(c.id);
  if (id !== undefined) context.messageId = id;
  const from = str(c.from);
  if (from !== undefined) context.from = digits(from);
  const forwarded = bool(c.forwarded);
  if (forwarded !== undefined) context.forwarded = forwarded;
  const frequently = bool(c.frequently_forwarded);
  if (frequently !== undefined) context.frequentlyForwarded = frequently;
  const product = obj(c.referred_product);
  if (product !== undefined) {
    const referredProduct: NonNullable<MessageContext['referredProduct']> = {};
    const catalogId = str(product.catalog_id);
    if (catalogId !== undefined) referredProduct.catalogId = catalogId;
    const productRetailerId = str(product.product_retailer_id);
    if (productRetailerId !== undefined) referredProduct.productRetailerId = productRetailerId;
    context.referredProduct = referredProduct;
  }
  return context;
}

/** Click-to-WhatsApp referral fields, snake_case → camelCase, only those present. */
const REFERRAL_KEYS: readonly (readonly [string, keyof MessageReferral])[] = [
  ['source_url', 'sourceUrl'],
  ['source_id', 'sourceId'],
  ['source_type', 'sourceType'],
  ['headline', 'headline'],
  ['body', 'body'],
  ['media_type', 'mediaType'],
  ['image_url', 'imageUrl'],
  ['video_url', 'videoUrl'],
  ['thumbnail_url', 'thumbnailUrl'],
  ['ctwa_clid', 'ctwaClid'],
];

function readReferral(r: Json): MessageReferral {
  const referral: MessageReferral = {};
  for (const [from, to] of REFERRAL_KEYS) {
    const value = str(r[from]);
    if (value !== undefined) referral[to] = value;
  }
  return referral;
}

/**
 * Maps one `value.messages[]` item to an inbound message event. A message without an `id` still
 * becomes a message (its content is what matters), with a content-hash message id; an item that
 * is not an object becomes a notification on the change's field.
 */
export function pushMessage(out: unknown[], item: unknown, info: ChangeInfo, ctx: NormalizeContext): void {
  const m = obj(item);
  if (m === undefined) {
    pushNotification(out, info, info.field, item, info.fallbackAt, ctx);
    return;
  }
  const messageId = str(m.id) ?? `hash-${hashJson(m)}`;
  const rawFrom = str(m.from);
  const fromUserId = str(m.from_user_id);
  const sender = info.contacts.length === 0 ? undefined : findContact(info.contacts, rawFrom, fromUserId);
  const contact: MessageContact = {};
  let waId: string | undefined;
  let userId = fromUserId;
  if (sender !== undefined) {
    const profile = obj(sender.profile);
    const name = profile === undefined ? undefined : str(profile.name);
    if (name !== undefined) contact.name = name;
    waId = str(sender.wa_id);
    if (waId !== undefined) contact.waId = digits(waId);
    userId = str(sender.user_id) ?? userId;
  }
  if (userId !== undefined) contact.userId = userId;
  // Without `from` (business-scoped ids), the contact's wa_id is still the sender's number.
  const fromValue = rawFrom ?? waId;
  const providerType = typeof m.type === 'string' ? m.type : '';
  const event: MessageEvent = {
    schemaVersion: 1,
    id: messageEventId(messageId),
    kind: 'message',
    provider: 'cloud',
    accountId: info.accountId,
    phoneNumberId: info.phoneNumberId,
    occurredAt: isoOr(m.timestamp, ctx.receivedAt),
    receivedAt: ctx.receivedAt,
    messageId,
    direction: 'inbound',
    from: fromValue === undefined ? null : digits(fromValue),
    to: info.businessNumber,
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
  if (m.errors !== undefined) event.errors = errorsOf(m.errors);
  if (ctx.keepRaw) event.raw = item;
  out.push(event);
}
