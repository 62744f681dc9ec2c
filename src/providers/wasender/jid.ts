/**
 * People and chats of WhatsApp Web JIDs (`5511999990002@s.whatsapp.net`, `…@lid`, `…@g.us`), as
 * bluetick prints them. Index arithmetic instead of splitting: a 50-status `messages.update`
 * reads a JID per item, and slicing out a domain only to compare it would allocate each time.
 */
import { type Json, phoneDigits, str } from '../read.js';

/** Whether `jid` has exactly this domain after its first `@`. */
export function hasDomain(jid: string, domain: string): boolean {
  const at = jid.indexOf('@');
  return at !== -1 && jid.length - at - 1 === domain.length && jid.endsWith(domain);
}

/** Whether the JID (or a bare number, `at === -1`) addresses a phone: `s.whatsapp.net` or the older `c.us`. */
function isPhone(jid: string, at: number): boolean {
  if (at === -1) return true;
  const n = jid.length - at - 1;
  // An empty domain (`1234@`) reads as no domain at all.
  return n === 14 ? jid.endsWith('s.whatsapp.net') : n === 4 ? jid.endsWith('c.us') : n === 0;
}

/** Whether `s` is ASCII digits from 0 to `end`. */
function digitsUpTo(s: string, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The user part: before the `@`, without a `:device` suffix. */
function userPart(jid: string, at: number): string {
  const end = at === -1 ? jid.length : at;
  const colon = jid.indexOf(':');
  const stop = colon !== -1 && colon < end ? colon : end;
  return stop === jid.length ? jid : jid.slice(0, stop);
}

/**
 * The id of a JID as bluetick prints people: phone digits for phone JIDs (`+1234567890`,
 * `1234567890@s.whatsapp.net`), the bare user part for groups, `@lid` and newsletters (whose
 * hyphens are part of the id, not phone formatting).
 *
 * @example
 * ```ts
 * jidId('5511999990002:12@s.whatsapp.net'); // '5511999990002'
 * jidId('123456789012345@lid');             // '123456789012345'
 * ```
 */
export function jidId(jid: string): string {
  const at = jid.indexOf('@');
  // Nearly every JID is `<digits>@s.whatsapp.net`: one scan and one slice, no regex.
  if (at > 0 && isPhone(jid, at) && digitsUpTo(jid, at)) return jid.slice(0, at);
  const user = userPart(jid, at);
  return isPhone(jid, at) ? phoneDigits(user) : user;
}

/** A JID value's phone digits when it names a phone number (not an `@lid`, group or newsletter), else undefined. */
export function phoneOf(jid: unknown): string | undefined {
  const s = str(jid);
  if (s === undefined) return undefined;
  const at = s.indexOf('@');
  if (!isPhone(s, at)) return undefined;
  return at > 0 && digitsUpTo(s, at) ? s.slice(0, at) : phoneDigits(userPart(s, at));
}

/** {@link jidId} of a JID value, undefined when it is not a usable string. */
export function idOf(jid: unknown): string | undefined {
  const s = str(jid);
  return s === undefined ? undefined : jidId(s);
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
