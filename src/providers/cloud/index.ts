/**
 * The Meta WhatsApp Cloud API mapper: `{ object: "whatsapp_business_account", entry: [...] }` to
 * canonical events. Every entry, change, message, status and error is visited; nothing is read
 * at `[0]` only, and nothing a change holds is left out of every event.
 *
 * What becomes what:
 * - `field: "messages"` (or no `field`, when the value holds messages or statuses): each
 *   `messages[]` item → one inbound `message` event; each `statuses[]` item → one `status`
 *   event; the change's `errors[]` (value level) → ONE `error` event carrying all of them;
 *   `message_echoes[]` → outbound `message` events. Any other array or key beside them (`calls`,
 *   future ones) → one notification per key (`topic` = the key), and `contacts[]` entries no
 *   message was matched with → one `contacts` notification. A change with none of the items →
 *   one notification holding the whole value.
 * - `field: "smb_message_echoes"` (Coexistence: messages the business sent from the WhatsApp
 *   Business app) → outbound `message` events, read like a `messages` change.
 * - any other field (account/template/phone-number updates, `calls`, `user_preferences`,
 *   `smb_app_state_sync`, `history`, …) → one `notification` per change, `topic` = field, `data`
 *   = value, `occurredAt` = its first item's own time when it has one. In particular `calls`
 *   changes carry `statuses[]` that are CALL states (`RINGING`, …), never delivery statuses.
 * - odd entries or changes (not objects, no `changes` array) → a notification holding them.
 *
 * An event whose time is the receive time (no usable item, value or entry time) is marked
 * `occurredAtEstimated`. The message and status objects are the ones On-Premises sends too: both
 * mappers share `meta/`. Only an unusable envelope (`entry` not an array) throws.
 */
import { NormalizeError } from '../../errors.js';
import { personId } from '../../event/person.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import type { CanonicalEvent } from '../../event/types.js';
import type { NormalizeContext, ProviderNormalizer } from '../context.js';
import { metaErrors } from '../meta/errors.js';
import { metaMessage } from '../meta/message.js';
import { unusedContacts } from '../meta/people.js';
import type { MetaScope } from '../meta/scope.js';
import { metaStatus } from '../meta/status.js';
import { obj, str, type Json } from '../read.js';
import { type ChangeInfo, pushErrors, pushNotification } from './change.js';

const NONE: readonly unknown[] = [];

/** Items of a list field: the array, a lone object sent without its array, or nothing. */
function items(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? NONE : [value];
}

/** Change info for an entry or change too odd to have its own (no `changes` array, not an object). */
function oddInfo(accountId: string | null, entryTime: string, fallbackAt: string, fallbackEstimated: boolean): ChangeInfo {
  const scope: MetaScope = { provider: 'cloud', accountId, phoneNumberId: null, businessNumber: null, contacts: NONE, used: 0, usedFar: null };
  return { scope, entryTime, field: 'entry', fallbackAt, fallbackEstimated };
}

/** Keys of a `messages` change that become message, status or error events, or describe the envelope. */
function isMappedKey(key: string): boolean {
  switch (key) {
    case 'messaging_product':
    case 'metadata':
    case 'contacts':
    case 'messages':
    case 'statuses':
    case 'errors':
    case 'message_echoes':
      return true;
    default:
      return false;
  }
}

/**
 * A change's field; without one (some fixtures and BSP relays omit it), what its content says:
 * messages or statuses make it a `messages` change, echoes an `smb_message_echoes` one.
 */
function fieldOf(change: Json, v: Json | undefined): string {
  const field = str(change.field);
  if (field !== undefined) return field;
  if (v !== undefined) {
    if (v.messages !== undefined || v.statuses !== undefined) return 'messages';
    if (v.message_echoes !== undefined) return 'smb_message_echoes';
  }
  return 'unknown';
}

/**
 * The time of the first item of a notification's value that has one (`calls[].timestamp`,
 * `user_preferences[].timestamp`, `state_sync[].metadata.timestamp`, …), else the value's own
 * `timestamp`, else undefined.
 */
function itemTime(v: Json): string | undefined {
  for (const key in v) {
    const list = v[key];
    if (!Array.isArray(list)) continue;
    for (let i = 0; i < list.length; i++) {
      const item = obj(list[i]);
      if (item === undefined) continue;
      const meta = obj(item.metadata);
      const at = toIsoTimestamp(item.timestamp) ?? (meta === undefined ? undefined : toIsoTimestamp(meta.timestamp));
      if (at !== undefined) return at;
    }
  }
  return toIsoTimestamp(v.timestamp);
}

/** A notification timed by its own items when they carry a time, else by the change's fallback. */
function pushTimedNotification(out: CanonicalEvent[], info: ChangeInfo, topic: string, data: unknown, ctx: NormalizeContext): void {
  const v = obj(data);
  const at = v !== undefined ? itemTime(v) : Array.isArray(data) ? itemTime({ items: data }) : undefined;
  if (at === undefined) pushNotification(out, info, topic, data, info.fallbackAt, info.fallbackEstimated, ctx);
  else pushNotification(out, info, topic, data, at, false, ctx);
}

/**
 * A `messages[]`, `message_echoes[]` or `statuses[]` item that is not an object, or a status
 * without a message id, cannot be tracked: it becomes a notification on the change's field,
 * seen but never dropped.
 */
function pushItems(
  out: CanonicalEvent[],
  messages: readonly unknown[],
  echoes: readonly unknown[],
  statuses: readonly unknown[],
  info: ChangeInfo,
  ctx: NormalizeContext,
): void {
  for (let i = 0; i < messages.length; i++) {
    const m = obj(messages[i]);
    if (m === undefined) pushNotification(out, info, info.field, messages[i], info.fallbackAt, info.fallbackEstimated, ctx);
    else out.push(metaMessage(m, info.scope, ctx));
  }
  for (let i = 0; i < echoes.length; i++) {
    const m = obj(echoes[i]);
    if (m === undefined) pushNotification(out, info, info.field, echoes[i], info.fallbackAt, info.fallbackEstimated, ctx);
    else out.push(metaMessage(m, info.scope, ctx, true));
  }
  for (let i = 0; i < statuses.length; i++) {
    const s = obj(statuses[i]);
    const event = s === undefined ? undefined : metaStatus(s, info.scope, ctx);
    if (event === undefined) pushNotification(out, info, info.field, statuses[i], info.fallbackAt, info.fallbackEstimated, ctx);
    else out.push(event);
  }
}

/** What a `messages` (or echoes) change holds beside its items: unknown keys and unmatched contacts. */
function pushRest(out: CanonicalEvent[], info: ChangeInfo, v: Json, ctx: NormalizeContext): void {
  for (const key in v) {
    if (!isMappedKey(key) && v[key] !== undefined) pushTimedNotification(out, info, key, v[key], ctx);
  }
  if (info.scope.contacts.length > 0) {
    const rest = unusedContacts(info.scope);
    if (rest.length > 0) pushNotification(out, info, 'contacts', rest, info.fallbackAt, info.fallbackEstimated, ctx);
  } else if (v.contacts !== undefined && v.contacts !== null && !Array.isArray(v.contacts)) {
    pushNotification(out, info, 'contacts', v.contacts, info.fallbackAt, info.fallbackEstimated, ctx);
  }
}

function mapChange(out: CanonicalEvent[], info: ChangeInfo, value: unknown, ctx: NormalizeContext): void {
  const v = obj(value);
  if (v === undefined || (info.field !== 'messages' && info.field !== 'smb_message_echoes')) {
    if (v === undefined) pushNotification(out, info, info.field, value, info.fallbackAt, info.fallbackEstimated, ctx);
    else pushTimedNotification(out, info, info.field, value, ctx);
    return;
  }
  const messages = items(v.messages);
  const echoes = items(v.message_echoes);
  const statuses = items(v.statuses);
  const errors = items(v.errors);
  if (messages.length === 0 && echoes.length === 0 && statuses.length === 0 && errors.length === 0) {
    pushNotification(out, info, info.field, value, info.fallbackAt, info.fallbackEstimated, ctx);
    return;
  }
  pushItems(out, messages, echoes, statuses, info, ctx);
  if (errors.length > 0) pushErrors(out, info, errors as unknown[], metaErrors(errors), ctx);
  pushRest(out, info, v, ctx);
}

/**
 * Maps a parsed Cloud API webhook body to canonical events (see the module comment for the
 * rules). Called by {@link normalize}; use that instead unless you detect providers yourself.
 *
 * @throws {@link NormalizeError} `invalid_envelope` when `entry` is not an array.
 *
 * @example
 * ```ts
 * const events = normalizeCloud(JSON.parse(rawBody), {
 *   receivedAt: new Date().toISOString(),
 *   keepRaw: false,
 * });
 * ```
 */
export const normalizeCloud: ProviderNormalizer = (body, ctx) => {
  const entries = body.entry;
  if (!Array.isArray(entries)) {
    throw new NormalizeError('invalid_envelope', 'A Cloud API webhook body must have an "entry" array.');
  }
  const out: CanonicalEvent[] = [];
  for (let e = 0; e < entries.length; e++) {
    const entry = obj(entries[e]);
    const changes = entry === undefined ? undefined : entry.changes;
    const accountId = entry === undefined ? null : (str(entry.id) ?? null);
    const time = entry === undefined ? undefined : entry.time;
    const entryTime = str(time) ?? '';
    const entryAt = time === undefined ? undefined : toIsoTimestamp(time);
    const fallbackAt = entryAt ?? ctx.receivedAt;
    const fallbackEstimated = entryAt === undefined;
    if (!Array.isArray(changes)) {
      pushNotification(out, oddInfo(accountId, entryTime, fallbackAt, fallbackEstimated), 'entry', entries[e], fallbackAt, fallbackEstimated, ctx);
      continue;
    }
    for (let c = 0; c < changes.length; c++) {
      const change = obj(changes[c]);
      if (change === undefined) {
        pushNotification(out, oddInfo(accountId, entryTime, fallbackAt, fallbackEstimated), 'unknown', changes[c], fallbackAt, fallbackEstimated, ctx);
        continue;
      }
      const value = change.value;
      const v = obj(value);
      const metadata = v === undefined ? undefined : obj(v.metadata);
      const display = metadata === undefined ? undefined : str(metadata.display_phone_number);
      const scope: MetaScope = {
        provider: 'cloud',
        accountId,
        phoneNumberId: (metadata === undefined ? undefined : str(metadata.phone_number_id)) ?? null,
        businessNumber: display === undefined ? null : personId(display),
        contacts: v === undefined || !Array.isArray(v.contacts) ? NONE : v.contacts,
        used: 0,
        usedFar: null,
      };
      const info: ChangeInfo = { scope, entryTime, field: fieldOf(change, v), fallbackAt, fallbackEstimated };
      mapChange(out, info, value, ctx);
    }
  }
  return out;
};
