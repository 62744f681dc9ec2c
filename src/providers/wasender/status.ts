import { classifyErrorCode } from '../../event/error-classes.js';
import { hashJson, joinId } from '../../event/ids.js';
import type { CanonicalEvent, DeliveryStatus, ProviderError, StatusEvent } from '../../event/types.js';
import type { NormalizeContext } from '../context.js';
import { errorEvent } from '../events.js';
import { bool, type Json, obj, scalarText, str } from '../read.js';
import { ackStatus } from './ack.js';
import { statusEventId } from '../event-ids.js';
import { baileysIso, pushWasenderNotification, type WasenderEnvelope } from './envelope.js';
import { hasDomain, personId } from '../../event/person.js';
import { idOf, phoneOf } from './jid.js';

/*
 * Delivery tracking is about OUTBOUND messages: a status whose `key.fromMe === false` is a
 * receipt about a message the user sent us (the business's own phone reading it, a group member's
 * message being played). It becomes a `messages.update` / `message-receipt.update` notification
 * rather than a status, so it can never create or move a tracking state for a message we did not send.
 */

/**
 * Recipient of an outbound key: the group id for groups, else the chat party (phone first, then
 * the `@lid` id), else the receipt's `userJid`.
 */
function recipientOf(key: Json, userJid: string | undefined): string | null {
  // A phone remoteJid (the common case) is never a group: read it first, and only once.
  const phone = phoneOf(key.remoteJid);
  if (phone !== undefined) return phone;
  const remoteJid = str(key.remoteJid) ?? '';
  if (hasDomain(remoteJid, 'g.us')) return personId(remoteJid);
  return phoneOf(key.remoteJidAlt) ?? idOf(remoteJid) ?? (userJid === undefined ? null : personId(userJid));
}

/** The group member a receipt is about (group messages get one receipt per member). */
function participantOf(key: Json, userJid: string | undefined): string | undefined {
  return userJid !== undefined && hasDomain(str(key.remoteJid) ?? '', 'g.us') ? personId(userJid) : undefined;
}

function pushStatus(
  out: CanonicalEvent[],
  env: WasenderEnvelope,
  ctx: NormalizeContext,
  messageId: string,
  recipientId: string | null,
  participantId: string | undefined,
  status: DeliveryStatus,
  providerStatus: string,
  occurredAt: string,
  estimated: boolean,
  errors: ProviderError[],
  raw: unknown,
): void {
  const event: StatusEvent = {
    schemaVersion: 1,
    id: statusEventId(env.idHead, messageId, recipientId ?? '', participantId ?? '', providerStatus),
    kind: 'status',
    provider: 'wasender',
    accountId: env.accountId,
    phoneNumberId: null,
    occurredAt,
    receivedAt: ctx.receivedAt,
    messageId,
    recipientId,
    status,
    providerStatus,
    errors,
  };
  // No provider time: the receive time stands in, and must not pass for a delivered/read time.
  if (estimated) event.occurredAtEstimated = true;
  if (participantId !== undefined) event.participantId = participantId;
  if (ctx.keepRaw) event.raw = raw;
  out.push(event);
}

/**
 * `messages.update`: `{key, update: {status}}` items, status as a Baileys ack level. Items with no
 * `update.status` (edits, stars, poll updates) and inbound receipts are notifications.
 */
export function pushUpdate(out: CanonicalEvent[], item: unknown, env: WasenderEnvelope, ctx: NormalizeContext): void {
  const u = obj(item);
  const key = obj(u?.key);
  const messageId = str(key?.id);
  const update = obj(u?.update);
  const raw = update?.status;
  if (key === undefined || messageId === undefined || raw === undefined || raw === null || bool(key.fromMe) === false) {
    pushWasenderNotification(out, env, item, ctx);
    return;
  }
  const providerStatus = scalarText(raw);
  pushStatus(out, env, ctx, messageId, recipientOf(key, undefined), undefined, ackStatus(raw), providerStatus, env.occurredAt, env.estimated, [], item);
}

/** The `{key, receipt}` of a receipt item, sent flat or wrapped in `message`. */
function receiptItem(item: unknown): Json | undefined {
  const r = obj(item);
  if (r === undefined) return undefined;
  return obj(r.key) !== undefined ? r : obj(r.message);
}

/**
 * `message-receipt.update`: one status per receipt (group messages get one per member, with
 * `participantId` = the member). The status is the highest timestamp present: `playedTimestamp`
 * → played, `readTimestamp` → read, `receiptTimestamp` → delivered; `providerStatus` names that
 * field. A receipt with only a `status` value maps it like an ack level.
 */
export function pushReceipt(out: CanonicalEvent[], item: unknown, env: WasenderEnvelope, ctx: NormalizeContext): void {
  const r = receiptItem(item);
  const key = obj(r?.key);
  const messageId = str(key?.id);
  const one = r?.receipt;
  const receipts: unknown[] = Array.isArray(one) ? one : one === undefined || one === null ? [] : [one];
  if (key === undefined || messageId === undefined || bool(key.fromMe) === false || receipts[0] === undefined) {
    pushWasenderNotification(out, env, item, ctx);
    return;
  }
  for (const entry of receipts) {
    const receipt = obj(entry) ?? {};
    let status: DeliveryStatus = 'unknown';
    let providerStatus = '';
    let at = '';
    if (receipt.playedTimestamp !== undefined && receipt.playedTimestamp !== null) {
      status = 'played';
      providerStatus = 'playedTimestamp';
      at = baileysIso(receipt.playedTimestamp, '');
    } else if (receipt.readTimestamp !== undefined && receipt.readTimestamp !== null) {
      status = 'read';
      providerStatus = 'readTimestamp';
      at = baileysIso(receipt.readTimestamp, '');
    } else if (receipt.receiptTimestamp !== undefined && receipt.receiptTimestamp !== null) {
      status = 'delivered';
      providerStatus = 'receiptTimestamp';
      at = baileysIso(receipt.receiptTimestamp, '');
    } else if (receipt.status !== undefined && receipt.status !== null) {
      status = ackStatus(receipt.status);
      providerStatus = scalarText(receipt.status);
      at = baileysIso(receipt.t, '');
    }
    const userJid = str(receipt.userJid);
    const estimated = at === '' && env.estimated;
    if (at === '') at = env.occurredAt;
    pushStatus(out, env, ctx, messageId, recipientOf(key, userJid), participantOf(key, userJid), status, providerStatus, at, estimated, [], item);
  }
}

/** The error of a failed `message.sent`: an explicit code if any, else one derived from the text. */
function sendError(s: Json): ProviderError {
  const e = s.error;
  const eo = obj(e);
  const message = typeof e === 'string' && e.length > 0 ? e : (str(eo?.message) ?? str(s.reason));
  let code = str(eo?.code) ?? str(s.code) ?? str(s.errorCode);
  if (code === undefined && message !== undefined && /invalid number|invalid jid|not on whatsapp/i.test(message)) {
    code = 'invalid_number';
  }
  code ??= 'unknown';
  const error: ProviderError = { code, class: classifyErrorCode(code) };
  if (message !== undefined) error.message = message;
  return error;
}

/**
 * `message.sent`: the send result of one of our messages. Success → `sent` (or the ack level in
 * `status` when given); `success: false` → `failed` with the error. A failure without a message
 * id (WASender's "Invalid number JID" rejects before any id exists) cannot be tracked: it becomes
 * an `error` event, the canonical place for errors not tied to a message.
 */
export function pushSent(out: CanonicalEvent[], item: unknown, env: WasenderEnvelope, ctx: NormalizeContext): void {
  const s = obj(item);
  const key = obj(s?.key);
  const messageId = str(key?.id);
  const failed = s !== undefined && bool(s.success) === false;
  if (s === undefined || key === undefined || messageId === undefined) {
    if (!failed) {
      pushWasenderNotification(out, env, item, ctx);
      return;
    }
    const id = joinId(['wasender', 'error', env.accountId ?? '', hashJson(item) + (str(env.timestamp) ?? '')]);
    const origin = { id, provider: 'wasender', accountId: env.accountId, phoneNumberId: null, occurredAt: env.occurredAt, estimated: env.estimated } as const;
    out.push(errorEvent(origin, [sendError(s)], item, ctx));
    return;
  }
  const rawStatus = str(s.status);
  const providerStatus = rawStatus ?? (failed ? 'failed' : 'sent');
  const status: DeliveryStatus = failed ? 'failed' : rawStatus === undefined ? 'sent' : ackStatus(rawStatus);
  const errors = failed ? [sendError(s)] : [];
  pushStatus(out, env, ctx, messageId, recipientOf(key, undefined), undefined, status, providerStatus, env.occurredAt, env.estimated, errors, item);
}
