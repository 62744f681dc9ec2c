/**
 * The On-Premises API mapper: a flat envelope with top-level `contacts[]`, `messages[]`,
 * `statuses[]` and `errors[]`, no `object`, no account or phone-number id. Every item of every
 * array becomes one event; nothing is read at `[0]` only.
 */
import { metaErrors } from '../meta-errors.js';
import { hashJson, joinId } from '../../event/ids.js';
import type { CanonicalEvent, ErrorEvent } from '../../event/types.js';
import type { NormalizeContext, ProviderNormalizer } from '../context.js';
import { arr } from '../read.js';
import { pushOnPremMessage } from './message.js';
import { pushOnPremStatus } from './status.js';

function pushErrors(out: CanonicalEvent[], errors: unknown[], ctx: NormalizeContext): void {
  const event: ErrorEvent = {
    schemaVersion: 1,
    id: joinId(['onprem', 'error', hashJson(errors)]),
    kind: 'error',
    provider: 'onprem',
    accountId: null,
    phoneNumberId: null,
    // Top-level errors carry no timestamp: the receive time is the best evidence there is.
    occurredAt: ctx.receivedAt,
    receivedAt: ctx.receivedAt,
    errors: metaErrors(errors),
  };
  if (ctx.keepRaw) event.raw = errors;
  out.push(event);
}

/**
 * Normalizes one On-Premises webhook body: every `messages[]` item to an inbound message event
 * (sender details from `contacts[]` by `wa_id`), every `statuses[]` item to a status event, and
 * the top-level `errors[]` to one error event.
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
  const contacts = arr(body.contacts);
  const messages = arr(body.messages);
  for (let i = 0; i < messages.length; i++) pushOnPremMessage(out, messages[i], contacts, ctx);
  const statuses = arr(body.statuses);
  for (let i = 0; i < statuses.length; i++) pushOnPremStatus(out, statuses[i], ctx);
  const errors = arr(body.errors);
  if (errors.length > 0) pushErrors(out, errors, ctx);
  return out;
};
