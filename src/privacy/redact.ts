// node:crypto is resolved at first use (not imported) so that the root entry loads without it.
import { nodeCrypto } from '../internal/node-crypto.js';
import { ConfigError } from '../errors.js';
import type { CanonicalEvent, MessageEvent, StatusEvent } from '../event/types.js';

/**
 * What may leave the process. Defaults keep everything: redaction is opt-in per sink and for logs.
 * - `phone`: `mask` keeps the first 4 and last 2 digits (`5511*******02`); `hash` replaces the number
 *   with an HMAC under `hashSecret` (`h:` + 20 hex), so hashed ids still join across events.
 * - `text`: message text, captions, flow responses, locations and shared contact cards.
 * - `media`: media ids, URLs and hashes (they fetch the user's file).
 * - `names`: profile names.
 */
export interface RedactionPolicy {
  phone?: 'mask' | 'hash' | 'keep';
  text?: 'drop' | 'keep';
  media?: 'drop' | 'keep';
  names?: 'drop' | 'keep';
  /** Secret for `phone: "hash"` (required then). */
  hashSecret?: string;
}

/** A function that returns a redacted copy of an event (the input is never mutated). */
export type Redactor = (event: CanonicalEvent) => CanonicalEvent;

// A run of 8–15 digits, possibly behind '+': a phone number or the user part of a JID.
const PHONE_RUN = /\+?\d{8,15}/g;

/**
 * Builds a {@link Redactor} for a policy. Event ids that embed numbers are rewritten too (see
 * the note on ids in docs/privacy.md); Meta's `wamid.` message ids encode numbers in base64 and
 * are kept as they are, since hosts need them to join with their own send records. Known personal fields are handled by name; free-form
 * provider objects (`raw`, notification `data`, message `details`) are walked and every phone-like
 * digit run inside every string is redacted too, so no number slips through a shape we don't know.
 *
 * @example
 * ```ts
 * const redact = createRedactor({ phone: 'mask', text: 'drop' });
 * redact(event); // from: '5511*******02', text: null, …
 * ```
 */
export function createRedactor(policy: RedactionPolicy): Redactor {
  const phoneMode = policy.phone ?? 'keep';
  if (phoneMode === 'hash' && !policy.hashSecret) {
    throw new ConfigError('missing_hash_secret', 'redact.phone = "hash" needs redact.hashSecret (an HMAC key of your own).');
  }
  const dropText = policy.text === 'drop';
  const dropMedia = policy.media === 'drop';
  const dropNames = policy.names === 'drop';
  if (phoneMode === 'keep' && !dropText && !dropMedia && !dropNames) return (event) => event;

  const phone = (value: string): string => {
    const digits = value.replace(/\D/g, '');
    if (phoneMode === 'hash') return 'h:' + nodeCrypto().createHmac('sha256', policy.hashSecret as string).update(digits || value).digest('hex').slice(0, 20);
    if (phoneMode === 'mask') return maskId(digits.length >= 7 ? digits : value);
    return value;
  };
  const phoneOrNull = (value: string | null): string | null => (value === null ? null : phone(value));
  // Event ids embed recipients' numbers (a status id names its recipient). They are idempotency
  // keys downstream, so they must stay unique and deterministic: hashing keeps both; masking alone
  // would merge two recipients who share the kept digits, so a masked id gets a keyed suffix of
  // the original. Without a hashSecret that key is per process (ids then stable within it only).
  const idKey = policy.hashSecret ?? nodeCrypto().randomBytes(32).toString('hex');
  const redactId = (id: string): string => {
    if (phoneMode === 'keep' || !/\d{8}/.test(id)) return id;
    const redacted = id.replace(PHONE_RUN, (run) => phone(run));
    if (phoneMode === 'hash') return redacted;
    return `${redacted}#${nodeCrypto().createHmac('sha256', idKey).update(id).digest('hex').slice(0, 16)}`;
  };
  const deep = (value: unknown): unknown => (phoneMode === 'keep' ? value : redactDeep(value, phone));

  return (event) => {
    const out = { ...event } as CanonicalEvent;
    out.id = redactId(out.id);
    if (out.raw !== undefined) out.raw = dropText || dropMedia || dropNames ? undefined : deep(out.raw);
    if (out.raw === undefined) delete out.raw;
    switch (out.kind) {
      case 'status':
        redactStatus(out, phoneOrNull, phone);
        break;
      case 'message':
        redactMessage(out, { phoneOrNull, deep, dropText, dropMedia, dropNames });
        break;
      case 'notification':
        out.data = dropNames || dropText ? dropStrings(deep(out.data)) : deep(out.data);
        break;
      case 'error':
        break;
    }
    return out;
  };
}

function redactStatus(out: StatusEvent, phoneOrNull: (v: string | null) => string | null, phone: (v: string) => string): void {
  out.recipientId = phoneOrNull(out.recipientId);
  if (out.participantId !== undefined) out.participantId = phone(out.participantId);
  if (out.recipientUserId !== undefined) out.recipientUserId = phone(out.recipientUserId);
}

interface MessageRules {
  phoneOrNull: (v: string | null) => string | null;
  deep: (v: unknown) => unknown;
  dropText: boolean;
  dropMedia: boolean;
  dropNames: boolean;
}

function redactMessage(out: MessageEvent, r: MessageRules): void {
  out.from = r.phoneOrNull(out.from);
  out.to = r.phoneOrNull(out.to);
  const contact = { ...out.contact };
  if (contact.waId !== undefined) contact.waId = r.phoneOrNull(contact.waId) ?? undefined;
  if (contact.userId !== undefined) contact.userId = r.phoneOrNull(contact.userId) ?? undefined;
  if (r.dropNames) delete contact.name;
  out.contact = contact;
  if (out.context?.from !== undefined) out.context = { ...out.context, from: r.phoneOrNull(out.context.from) ?? undefined };
  if (out.context?.mentions !== undefined) out.context = { ...out.context, mentions: out.context.mentions.map((m) => r.phoneOrNull(m) as string) };
  // Legacy WhatsApp group ids are "<creator's number>-<creation time>".
  if (out.groupId !== undefined) out.groupId = r.deep(out.groupId) as string;
  if (r.dropText) {
    out.text = null;
    delete out.location;
    delete out.details;
    if (out.interaction?.response !== undefined) {
      out.interaction = { ...out.interaction };
      delete out.interaction.response;
    }
    if (out.media?.caption !== undefined) {
      out.media = { ...out.media };
      delete out.media.caption;
    }
  } else {
    // Users type phone numbers into free text too.
    if (out.text !== null) out.text = r.deep(out.text) as string;
    if (out.media?.caption !== undefined) out.media = { ...out.media, caption: r.deep(out.media.caption) as string };
    if (out.interaction !== undefined) out.interaction = r.deep(out.interaction) as MessageEvent['interaction'];
    if (out.location !== undefined) out.location = r.deep(out.location) as MessageEvent['location'];
    if (out.details !== undefined) {
      out.details = (r.dropNames ? dropStrings(r.deep(out.details)) : r.deep(out.details)) as Record<string, unknown>;
    }
  }
  if (r.dropMedia && out.media !== undefined) {
    const { mimeType, fileSize, voice, animated, caption } = out.media;
    out.media = {};
    if (mimeType !== undefined) out.media.mimeType = mimeType;
    if (fileSize !== undefined) out.media.fileSize = fileSize;
    if (voice !== undefined) out.media.voice = voice;
    if (animated !== undefined) out.media.animated = animated;
    if (caption !== undefined && !r.dropText) out.media.caption = caption;
  }
}

/** Keeps the first 4 and last 2 characters of an id and stars the rest. */
export function maskId(value: string): string {
  if (value.length <= 6) return '*'.repeat(value.length);
  return value.slice(0, 4) + '*'.repeat(value.length - 6) + value.slice(-2);
}

function redactDeep(value: unknown, phone: (v: string) => string): unknown {
  if (typeof value === 'string') return value.replace(PHONE_RUN, (run) => phone(run));
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, phone));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, phone);
    return out;
  }
  return value;
}

/**
 * Free-form provider objects may hold names and texts anywhere: when names or text must not leave,
 * the string values of keys that carry them (`name`, `pushName`, `notify`, `verifiedName`, `body`,
 * `text`, `caption`, `conversation`, …) are replaced, keeping the structure and every other value.
 */
const PERSONAL_KEY = /name|notify|body|text|caption|conversation|description|title|address|vcard/i;

function dropStrings(value: unknown, personal = false): unknown {
  if (typeof value === 'string') return personal ? '[redacted]' : value;
  if (Array.isArray(value)) return value.map((v) => dropStrings(v, personal));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = dropStrings(v, personal || PERSONAL_KEY.test(k));
    return out;
  }
  return value;
}
