import type { CanonicalEvent, MessageEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { messageEventId } from '../event-ids.js';
import { jidDomain, jidUser, personId } from '../../event/person.js';
import { bool, obj, str } from '../read.js';
import { applyBaileysContent } from './content.js';
import { baileysIso, pushWasenderNotification, type WasenderEnvelope } from './envelope.js';
import { chatPhone, groupPhone, idOf } from './jid.js';

/**
 * Maps one Baileys `WAMessage` (`{key, message, pushName?, messageTimestamp?, messageBody?}`) to a
 * message event. `key.fromMe` gives the direction. People are phone digits where any field gives a
 * number (`cleanedSenderPn`, `cleanedParticipantPn`, `senderPn`, a phone `remoteJid`), because
 * `remoteJid` may be an opaque `@lid`. An item without `key.id` has no identity: it becomes a
 * notification on the event instead, seen but never deduplicated wrongly.
 */
export function pushWasenderMessage(
  out: CanonicalEvent[],
  item: unknown,
  env: WasenderEnvelope,
  ctx: NormalizeContext,
): void {
  const m = obj(item);
  const key = obj(m?.key);
  const messageId = str(key?.id);
  if (m === undefined || key === undefined || messageId === undefined) {
    pushWasenderNotification(out, env, item, ctx);
    return;
  }
  const inbound = bool(key.fromMe) !== true;
  const remoteJid = str(key.remoteJid) ?? '';
  const domain = jidDomain(remoteJid);
  let from: string | null = null;
  let to: string | null = null;
  let phone: string | undefined;
  let groupId: string | undefined;
  if (domain === 'g.us' || domain === 'broadcast') {
    // Groups and status broadcasts: the chat is not a person, the sender is `participant`.
    if (domain === 'g.us') groupId = jidUser(remoteJid);
    if (inbound) {
      phone = groupPhone(key, m);
      from = phone ?? idOf(key.participant) ?? idOf(m.participant) ?? null;
    }
  } else if (domain === 'newsletter') {
    // A channel post: the channel itself is the sender.
    if (inbound) from = personId(remoteJid);
  } else {
    const partyPhone = chatPhone(key, inbound);
    const party = partyPhone ?? idOf(remoteJid) ?? null;
    if (inbound) {
      phone = partyPhone;
      from = party;
    } else {
      to = party;
    }
  }
  const own = baileysIso(m.messageTimestamp, '');
  const event: MessageEvent = {
    schemaVersion: 1,
    id: messageEventId(env.idHead, messageId),
    kind: 'message',
    provider: 'wasender',
    accountId: env.accountId,
    phoneNumberId: null,
    occurredAt: own === '' ? env.occurredAt : own,
    receivedAt: ctx.receivedAt,
    messageId,
    direction: inbound ? 'inbound' : 'outbound',
    from,
    to,
    contact: {},
    type: 'unknown',
    text: null,
    // Set by applyBaileysContent (removed there when there is no content): in the literal so
    // every event is built in one shape.
    providerType: '',
  };
  if (own === '' && env.estimated) event.occurredAtEstimated = true;
  const name = str(m.pushName);
  if (name !== undefined) event.contact.name = name;
  if (phone !== undefined) event.contact.waId = phone;
  applyBaileysContent(event, obj(m.message));
  // WASender's `messageBody` is its own flattening of the content: preferred when present.
  const body = str(m.messageBody);
  if (body !== undefined) event.text = body;
  if (groupId !== undefined) event.groupId = groupId;
  if (ctx.keepRaw) event.raw = item;
  out.push(event);
}
