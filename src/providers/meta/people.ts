import type { MessageContact } from '../../event/types.js';
import { personId } from '../../event/person.js';
import { obj, str, type Json } from '../read.js';

/**
 * The `contacts[]` entry describing a message's sender: the one whose `wa_id` / `user_id` matches
 * the message, else the only one (Meta sends one contact per message in practice, and samples
 * without `from` rely on it).
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

/**
 * The sender as {@link MessageContact}: profile name, `wa_id` as digits and the business-scoped
 * `user_id` (from the contact, else the message's own `from_user_id`).
 */
export function senderContact(contacts: readonly unknown[], from: string | undefined, fromUserId: string | undefined): MessageContact {
  const contact: MessageContact = {};
  const sender = contacts.length === 0 ? undefined : findContact(contacts, from, fromUserId);
  let userId = fromUserId;
  if (sender !== undefined) {
    const profile = obj(sender.profile);
    const name = profile === undefined ? undefined : str(profile.name);
    if (name !== undefined) contact.name = name;
    const waId = str(sender.wa_id);
    if (waId !== undefined) contact.waId = personId(waId);
    userId = str(sender.user_id) ?? userId;
  }
  if (userId !== undefined) contact.userId = userId;
  return contact;
}

/**
 * An item's `recipient_id`, flat or under `message` (the newer shape some BSPs, Turn.io among
 * them, forward), as digits; null when neither is there.
 */
export function recipientOf(item: Json): string | null {
  let raw = str(item.recipient_id);
  if (raw === undefined) {
    const message = obj(item.message);
    if (message !== undefined) raw = str(message.recipient_id);
  }
  return raw === undefined ? null : personId(raw);
}
