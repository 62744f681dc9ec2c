/**
 * The Meta WhatsApp Cloud API mapper: `{ object: "whatsapp_business_account", entry: [...] }` to
 * canonical events. Every entry, change, message, status and error is visited; nothing is read
 * at `[0]` only.
 *
 * What becomes what:
 * - `field: "messages"`: each `messages[]` item → one `message` event; each `statuses[]` item →
 *   one `status` event; the change's `errors[]` (value level) → ONE `error` event carrying all of
 *   them. A `messages` change with none of the three → a notification, so nothing is dropped.
 * - any other field (account/template/phone-number updates, `calls`, `user_preferences`,
 *   `smb_message_echoes`, …) → one `notification` per change, `topic` = field, `data` = value.
 *   In particular `calls` changes carry `statuses[]` that are CALL states (`RINGING`, …), never
 *   delivery statuses.
 * - odd entries or changes (not objects, no `changes` array) → a notification holding them.
 *
 * The message and status objects are the ones On-Premises sends too: both mappers share `meta/`.
 * Only an unusable envelope (`entry` not an array) throws.
 */
import { NormalizeError } from '../../errors.js';
import type { CanonicalEvent } from '../../event/types.js';
import type { NormalizeContext, ProviderNormalizer } from '../context.js';
import { isoOr } from '../../event/timestamp.js';
import { metaErrors } from '../meta/errors.js';
import { metaMessage } from '../meta/message.js';
import type { MetaScope } from '../meta/scope.js';
import { metaStatus } from '../meta/status.js';
import { personId } from '../../event/person.js';
import { obj, str } from '../read.js';
import { type ChangeInfo, pushErrors, pushNotification } from './change.js';

const NONE: readonly unknown[] = [];

/** Items of a list field: the array, a lone object sent without its array, or nothing. */
function items(value: unknown): readonly unknown[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? NONE : [value];
}

/** Change info for an entry or change too odd to have its own (no `changes` array, not an object). */
function oddInfo(accountId: string | null, entryTime: string, fallbackAt: string): ChangeInfo {
  const scope: MetaScope = { provider: 'cloud', accountId, phoneNumberId: null, businessNumber: null, contacts: NONE };
  return { scope, entryTime, field: 'entry', fallbackAt };
}

/**
 * A `messages[]` or `statuses[]` item that is not an object, or a status without a message id,
 * cannot be tracked: it becomes a notification on the change's field, seen but never dropped.
 */
function pushItems(
  out: CanonicalEvent[],
  messages: readonly unknown[],
  statuses: readonly unknown[],
  info: ChangeInfo,
  ctx: NormalizeContext,
): void {
  for (let i = 0; i < messages.length; i++) {
    const m = obj(messages[i]);
    if (m === undefined) pushNotification(out, info, info.field, messages[i], info.fallbackAt, ctx);
    else out.push(metaMessage(m, info.scope, ctx));
  }
  for (let i = 0; i < statuses.length; i++) {
    const s = obj(statuses[i]);
    const event = s === undefined ? undefined : metaStatus(s, info.scope, ctx);
    if (event === undefined) pushNotification(out, info, info.field, statuses[i], info.fallbackAt, ctx);
    else out.push(event);
  }
}

function mapChange(out: CanonicalEvent[], info: ChangeInfo, value: unknown, ctx: NormalizeContext): void {
  const v = obj(value);
  if (info.field !== 'messages' || v === undefined) {
    const at = v === undefined ? info.fallbackAt : isoOr(v.timestamp, info.fallbackAt);
    pushNotification(out, info, info.field, value, at, ctx);
    return;
  }
  const messages = items(v.messages);
  const statuses = items(v.statuses);
  const errors = items(v.errors);
  pushItems(out, messages, statuses, info, ctx);
  if (errors.length > 0) pushErrors(out, info, errors as unknown[], metaErrors(errors), ctx);
  if (messages.length === 0 && statuses.length === 0 && errors.length === 0) {
    pushNotification(out, info, info.field, value, info.fallbackAt, ctx);
  }
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
    const fallbackAt = time === undefined ? ctx.receivedAt : isoOr(time, ctx.receivedAt);
    if (!Array.isArray(changes)) {
      pushNotification(out, oddInfo(accountId, entryTime, fallbackAt), 'entry', entries[e], fallbackAt, ctx);
      continue;
    }
    for (let c = 0; c < changes.length; c++) {
      const change = obj(changes[c]);
      if (change === undefined) {
        pushNotification(out, oddInfo(accountId, entryTime, fallbackAt), 'unknown', changes[c], fallbackAt, ctx);
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
      };
      const info: ChangeInfo = { scope, entryTime, field: str(change.field) ?? 'unknown', fallbackAt };
      mapChange(out, info, value, ctx);
    }
  }
  return out;
};
