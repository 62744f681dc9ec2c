/**
 * Small, allocation-free readers for untrusted provider JSON. Provider payloads are lenient data:
 * a field may be missing, null, a number where a string was documented, or a placeholder. These
 * helpers return `undefined` instead of throwing, so one odd field never loses the whole item.
 */

/** A plain object, or undefined. */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string; numbers are stringified (ids and codes arrive as either). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length > 0) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/**
 * Reduces a WhatsApp Web JID to its user part: `5511999990002@s.whatsapp.net` → `5511999990002`,
 * `5511999990002:12@s.whatsapp.net` (device suffix) → `5511999990002`. Group (`@g.us`), `@lid`
 * and newsletter JIDs are returned reduced the same way; callers that need to know the kind use
 * {@link jidDomain}.
 */
export function jidUser(jid: string): string {
  const at = jid.indexOf('@');
  const user = at === -1 ? jid : jid.slice(0, at);
  const colon = user.indexOf(':');
  return colon === -1 ? user : user.slice(0, colon);
}

/** The server part of a JID (`s.whatsapp.net`, `g.us`, `lid`, `newsletter`, `broadcast`), or ''. */
export function jidDomain(jid: string): string {
  const at = jid.indexOf('@');
  return at === -1 ? '' : jid.slice(at + 1);
}

/**
 * Strips a leading `+` and spaces/dashes from a phone number as providers print it
 * (`+250 788 123 200` → `250788123200`); anything that is not a phone number (BSUIDs,
 * placeholders, `@lid` ids) is returned unchanged. A value that is already bare digits (nearly
 * every `wa_id`, `recipient_id` and JID user part) is returned as is, without a regex: this runs
 * for every person of every item.
 */
export function phoneDigits(value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return /^[+\d][\d\s-]*$/.test(value) ? value.replace(/[^\d]/g, '') : value;
  }
  return value;
}
