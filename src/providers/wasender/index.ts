/**
 * The WASenderApi mapper. Envelope `{event, sessionId?, timestamp?, data}`; `data` may be an
 * object, an array, hold `messages` as an object or an array, or hold one message unwrapped.
 * Message events become message events, `messages.update` / `message-receipt.update` /
 * `message.sent` become status events, everything else one notification per webhook.
 */
import { NormalizeError } from '../../errors.js';
import type { CanonicalEvent } from '../../event/types.js';
import type { ProviderNormalizer } from '../context.js';
import { idHead } from '../event-ids.js';
import { toIsoTimestamp } from '../../event/timestamp.js';
import { obj, str } from '../read.js';
import { dataItems, pushWasenderNotification, type WasenderEnvelope } from './envelope.js';
import { pushWasenderMessage } from './message.js';
import { pushReceipt, pushSent, pushUpdate } from './status.js';

type ItemKind = 'message' | 'update' | 'receipt' | 'sent' | 'other';

/** What the items of an event are: Baileys messages, ack updates, receipts, send results, or none of ours. */
function itemKind(event: string): ItemKind {
  switch (event) {
    case 'messages.received':
    case 'messages.upsert':
    case 'messages-personal.received':
    case 'messages-group.received':
    case 'messages-newsletter.received':
      return 'message';
    case 'messages.update':
      return 'update';
    case 'message-receipt.update':
      return 'receipt';
    case 'message.sent':
      return 'sent';
    default:
      return 'other';
  }
}

/**
 * Normalizes one WASenderApi webhook body. `accountId` is the `sessionId`; `phoneNumberId` is
 * always null. Unknown events are notifications; only a body with neither an `event` nor the
 * legacy `data.messages` throws (`invalid_envelope`).
 *
 * `messages.reaction` stays a notification on purpose: its items carry the key of the message
 * reacted to, not an id of the reaction itself, and the same reaction also arrives as a
 * `messages.upsert` `reactionMessage`, which becomes a `type: "reaction"` message event.
 *
 * @example
 * ```ts
 * import { normalize } from 'bluetick';
 * const { events } = normalize({ event: 'messages.update', sessionId: 's1', timestamp: 1747775431467,
 *   data: { key: { id: 'ABC', fromMe: true, remoteJid: '5511999990002@s.whatsapp.net' }, update: { status: 3 } } });
 * events[0]; // { kind: 'status', status: 'delivered', providerStatus: '3', recipientId: '5511999990002', ... }
 * ```
 */
export const normalizeWasender: ProviderNormalizer = (body, ctx) => {
  let event = typeof body.event === 'string' ? body.event : undefined;
  const data = body.data;
  if (event === undefined) {
    // WASender's older receiving guide prints a body with no `event` and `data.messages[]`.
    const d = obj(data);
    if (d === undefined || !Object.hasOwn(d, 'messages')) {
      throw new NormalizeError('invalid_envelope', 'A WASenderApi webhook needs an `event` string (or the legacy `data.messages`).');
    }
    event = 'messages.upsert';
  }
  const kind = itemKind(event);
  const accountId = str(body.sessionId) ?? null;
  const at = toIsoTimestamp(body.timestamp);
  const env: WasenderEnvelope = {
    event,
    accountId,
    occurredAt: at ?? ctx.receivedAt,
    estimated: at === undefined,
    timestamp: body.timestamp,
    // One webhook holds one kind of item: only its ids' head is needed.
    idHead: idHead('wasender', kind === 'message' ? 'message' : 'status', accountId ?? ''),
  };
  const out: CanonicalEvent[] = [];
  const items = kind === 'other' ? [] : dataItems(data);
  if (kind === 'other' || items.length === 0) {
    pushWasenderNotification(out, env, data, ctx);
    return out;
  }
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (kind === 'message') pushWasenderMessage(out, item, env, ctx);
    else if (kind === 'update') pushUpdate(out, item, env, ctx);
    else if (kind === 'receipt') pushReceipt(out, item, env, ctx);
    else pushSent(out, item, env, ctx);
  }
  return out;
};
