/**
 * The On-Premises API mapper: a flat envelope with top-level `contacts[]`, `messages[]`,
 * `statuses[]` and `errors[]`, no `object`, no account or phone-number id. Every item of every
 * array becomes one event; nothing is read at `[0]` only. The items are the same Meta objects the
 * Cloud API sends, mapped by the same `meta/` code.
 */
import { hashJson, joinId } from '../../event/ids.js';
import type { CanonicalEvent } from '../../event/types.js';
import type { NormalizeContext, ProviderNormalizer } from '../context.js';
import { errorEvent } from '../events.js';
import { metaErrors } from '../meta/errors.js';
import { metaMessage } from '../meta/message.js';
import { unusedContacts } from '../meta/people.js';
import type { MetaScope } from '../meta/scope.js';
import { metaStatus } from '../meta/status.js';
import { obj } from '../read.js';
import { pushOnPremNotification } from './notification.js';

const NONE: readonly unknown[] = [];

/** A top-level array, or none (shared: most bodies carry only one of the arrays). */
function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : NONE;
}

/** Top-level keys that become message, status or error events. */
const MAPPED_KEYS = new Set(['contacts', 'messages', 'statuses', 'errors']);

function pushErrors(out: CanonicalEvent[], errors: readonly unknown[], ctx: NormalizeContext): void {
  const id = joinId(['onprem', 'error', hashJson(errors)]);
  // Top-level errors carry no timestamp: the receive time is the best evidence there is.
  const origin = { id, provider: 'onprem', accountId: null, phoneNumberId: null, occurredAt: ctx.receivedAt, estimated: true } as const;
  out.push(errorEvent(origin, metaErrors(errors), errors, ctx));
}

/**
 * Normalizes one On-Premises webhook body: every `messages[]` item to an inbound message event
 * (sender details from `contacts[]`), every `statuses[]` item to a status event, and the
 * top-level `errors[]` to one error event. An item that is not an object, or a status without a
 * message id (no tracking key), becomes a notification on its array's name instead; so do the
 * `contacts[]` no message was matched with (a body holding only contacts included) and any other
 * top-level key, so nothing the body holds is dropped.
 *
 * @example
 * ```ts
 * import { normalize } from 'bluetick';
 * const { events } = normalize({ statuses: [{ id: 'gBG1', status: 'read', timestamp: '1602535356', recipient_id: '16315553601' }] });
 * events[0]; // { kind: 'status', provider: 'onprem', messageId: 'gBG1', status: 'read', ... }
 * ```
 */
export const normalizeOnPrem: ProviderNormalizer = (body, ctx) => {
  const out: CanonicalEvent[] = [];
  const scope: MetaScope = { provider: 'onprem', accountId: null, phoneNumberId: null, businessNumber: null, contacts: list(body.contacts), used: 0, usedFar: null };
  const messages = list(body.messages);
  for (let i = 0; i < messages.length; i++) {
    const m = obj(messages[i]);
    if (m === undefined) pushOnPremNotification(out, 'messages', messages[i], ctx);
    else out.push(metaMessage(m, scope, ctx));
  }
  const statuses = list(body.statuses);
  for (let i = 0; i < statuses.length; i++) {
    const s = obj(statuses[i]);
    const event = s === undefined ? undefined : metaStatus(s, scope, ctx);
    if (event === undefined) pushOnPremNotification(out, 'statuses', statuses[i], ctx);
    else out.push(event);
  }
  const errors = list(body.errors);
  if (errors.length > 0) pushErrors(out, errors, ctx);
  if (scope.contacts.length > 0) {
    const rest = unusedContacts(scope);
    if (rest.length > 0) pushOnPremNotification(out, 'contacts', rest, ctx);
  }
  for (const key in body) {
    const value = body[key];
    if (value === undefined) continue;
    // A mapped key that is not an array (a lone object) was not mapped above: keep it as data too.
    if (!MAPPED_KEYS.has(key) || !Array.isArray(value)) pushOnPremNotification(out, key, value, ctx);
  }
  return out;
};
