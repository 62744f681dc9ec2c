import type { MessageContact } from '../../event/types.js';
import { personId } from '../../event/person.js';
import { obj, str, type Json } from '../read.js';
import type { MetaScope } from './scope.js';

/**
 * The `contacts[]` entry describing a message's person: the one whose `wa_id` / `user_id` matches
 * the message's, else the only one when nothing contradicts it (it has no `wa_id`, or the message
 * has no number to compare with: samples without `from` rely on it). A lone contact whose
 * `wa_id` names someone else is not this person: attaching its name would mislabel the sender.
 */
function findContact(contacts: readonly unknown[], from: string | undefined, userId: string | undefined): number {
  for (let i = 0; i < contacts.length; i++) {
    const c = obj(contacts[i]);
    if (c === undefined) continue;
    if (from !== undefined && c.wa_id !== undefined && (c.wa_id === from || personId(str(c.wa_id) ?? '') === personId(from))) return i;
    if (userId !== undefined && c.user_id === userId) return i;
  }
  if (contacts.length !== 1) return -1;
  const only = obj(contacts[0]);
  return only !== undefined && (from === undefined || str(only.wa_id) === undefined) ? 0 : -1;
}

/**
 * The person of a message as {@link MessageContact} (the sender of an inbound message, the
 * customer an echo was sent to): profile name, `wa_id` as digits and the business-scoped
 * `user_id` (from the contact, else the message's own `from_user_id` / `to_user_id`).
 */
export function senderContact(scope: MetaScope, from: string | undefined, fromUserId: string | undefined): MessageContact {
  const contact: MessageContact = {};
  const contacts = scope.contacts;
  const index = contacts.length === 0 ? -1 : findContact(contacts, from, fromUserId);
  const sender = index === -1 ? undefined : obj(contacts[index]);
  let userId = fromUserId;
  if (sender !== undefined) {
    // Remembered so the change can tell which contacts no event carries (those become a notification).
    if (index < 30) scope.used |= 1 << index;
    else (scope.usedFar ??= []).push(index);
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

/**
 * The `contacts[]` entries no message of the change was matched with (statuses' recipients, a
 * stray profile), in their order; empty when every one was used. An empty object says nothing
 * and is left out.
 */
export function unusedContacts(scope: MetaScope): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < scope.contacts.length; i++) {
    const c = scope.contacts[i];
    if (i < 30 ? (scope.used & (1 << i)) !== 0 : scope.usedFar !== null && scope.usedFar.includes(i)) continue;
    const o = obj(c);
    if (o !== undefined && isEmpty(o)) continue;
    // Allocated only when there is something to keep: the common batch uses every contact.
    (out ??= []).push(c);
  }
  return out ?? NONE;
}

const NONE: unknown[] = [];

function isEmpty(o: Json): boolean {
  for (const _ in o) return false;
  return true;
}
