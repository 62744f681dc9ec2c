/**
 * The people of a Baileys message key (`remoteJid`, `senderPn`, `participant`, …), reduced by the
 * one person reducer of `event/person.ts`.
 */
import { personId, phoneDigits, phoneOfId } from '../../event/person.js';
import { type Json, str } from '../read.js';

/** A JID value's phone digits when it names a phone number (not an `@lid`, group or newsletter), else undefined. */
export function phoneOf(jid: unknown): string | undefined {
  const s = str(jid);
  return s === undefined ? undefined : phoneOfId(s);
}

/** {@link personId} of a JID value, undefined when it is not a usable string. */
export function idOf(jid: unknown): string | undefined {
  const s = str(jid);
  return s === undefined ? undefined : personId(s);
}

/**
 * The phone number of the other party of a one-to-one chat key when any field gives one:
 * `cleanedSenderPn` / `senderPn` (inbound only: on our own messages they may name us), a phone
 * `remoteJid`, Baileys' `remoteJidAlt`. Callers fall back to `idOf(key.remoteJid)` (an `@lid`
 * still addresses the user on WhatsApp Web) rather than losing the party.
 */
export function chatPhone(key: Json, inbound: boolean): string | undefined {
  if (inbound) {
    const cleaned = str(key.cleanedSenderPn);
    const phone = cleaned === undefined ? phoneOf(key.senderPn) : phoneDigits(cleaned);
    if (phone !== undefined) return phone;
  }
  return phoneOf(key.remoteJid) ?? phoneOf(key.remoteJidAlt);
}

/**
 * The phone number of the group member who sent a message, when any field gives one; callers
 * fall back to `idOf(key.participant ?? item.participant)`.
 */
export function groupPhone(key: Json, item: Json): string | undefined {
  const cleaned = str(key.cleanedParticipantPn);
  if (cleaned !== undefined) return phoneDigits(cleaned);
  return phoneOf(key.participantPn) ?? phoneOf(key.participant) ?? phoneOf(key.participantAlt) ?? phoneOf(item.participant);
}
