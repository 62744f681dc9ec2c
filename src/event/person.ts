/**
 * The one reducer of people's ids, shared by every provider mapper and by `tracker.track()`: a
 * phone number as a provider or a host prints it (`+1 (650) 555-1234`), a WhatsApp Web JID
 * (`5511999990002:12@s.whatsapp.net`, `…@lid`, `…@g.us`) or a bare `wa_id` all reduce to the
 * form events carry, so a recipient the host declares and the one a status names compare equal.
 * Index arithmetic instead of splitting: a 50-status batch reduces a person per item.
 */

/** Whether `value` is a phone number with formatting (`+`, spaces, dashes, parentheses, dots) and at least one digit. */
const FORMATTED_PHONE = /^\+?[\d\s\-().]*\d[\d\s\-().]*$/;

/**
 * Strips a leading `+` and spaces, dashes, parentheses and dots from a phone number
 * (`+250 788 123 200` → `250788123200`); anything that is not a phone number (BSUIDs,
 * placeholders) is returned unchanged. Bare digits (nearly every `wa_id` and JID user part) are
 * returned as they are, without a regex.
 *
 * @example
 * ```ts
 * phoneDigits('+1 (650) 555-1234');       // '16505551234'
 * phoneDigits('US.13491208655302741918'); // 'US.13491208655302741918'
 * ```
 */
export function phoneDigits(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return FORMATTED_PHONE.test(value) ? value.replace(/[^\d]/g, '') : value;
  }
  return value;
}

/**
 * A JID's user part: before the `@`, without a `:device` suffix (`5511999990002:12@s.whatsapp.net`
 * → `5511999990002`).
 *
 * @example
 * ```ts
 * jidUser('123-456@g.us'); // '123-456'
 * ```
 */
export function jidUser(jid: string): string {
  return userPart(jid, jid.indexOf('@'));
}

/**
 * The server part of a JID (`s.whatsapp.net`, `g.us`, `lid`, `newsletter`, `broadcast`), or ''.
 *
 * @example
 * ```ts
 * jidDomain('123-456@g.us'); // 'g.us'
 * ```
 */
export function jidDomain(jid: string): string {
  const at = jid.indexOf('@');
  return at === -1 ? '' : jid.slice(at + 1);
}

/**
 * Whether `jid` has exactly this domain after its first `@`.
 *
 * @example
 * ```ts
 * hasDomain('123-456@g.us', 'g.us'); // true
 * ```
 */
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
 * A person or chat as events print them: phone digits for phone numbers and phone JIDs
 * (`+1 650 555 1234`, `1234567890@s.whatsapp.net`), the bare user part for groups, `@lid` and
 * newsletters (whose hyphens are part of the id, not phone formatting), anything else unchanged.
 *
 * @example
 * ```ts
 * personId('5511999990002:12@s.whatsapp.net'); // '5511999990002'
 * personId('123456789012345@lid');             // '123456789012345'
 * personId('+1 (650) 555-1234');               // '16505551234'
 * ```
 */
export function personId(value: string): string {
  const at = value.indexOf('@');
  // Not a JID: a `:` is part of the id, not a device suffix.
  if (at === -1) return phoneDigits(value);
  // Nearly every JID is `<digits>@s.whatsapp.net`: one scan and one slice.
  if (at > 0 && isPhone(value, at) && digitsUpTo(value, at)) return value.slice(0, at);
  const user = userPart(value, at);
  return isPhone(value, at) ? phoneDigits(user) : user;
}

/**
 * The phone digits of an id when it names a phone number (a bare or formatted number, a phone
 * JID), else undefined (an `@lid`, group or newsletter JID, an empty string).
 *
 * @example
 * ```ts
 * phoneOfId('5511999990002@s.whatsapp.net'); // '5511999990002'
 * phoneOfId('123456789012345@lid');          // undefined
 * ```
 */
export function phoneOfId(value: string): string | undefined {
  if (value === '') return undefined;
  const at = value.indexOf('@');
  if (at === -1) return phoneDigits(value);
  if (!isPhone(value, at)) return undefined;
  return at > 0 && digitsUpTo(value, at) ? value.slice(0, at) : phoneDigits(userPart(value, at));
}
