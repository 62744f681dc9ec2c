import type { Provider, StatusEvent } from '../event/types.js';
import { TrackingError } from './errors.js';
import type { DeliveryState, TrackMeta } from './state.js';
import type { TrackInput } from './tracker-types.js';

function toMs(value: string | Date | number | undefined, now: number): number {
  if (value === undefined) return now;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms) || ms <= 0) throw new TypeError(`track(): invalid sentAt ${String(value)}`);
  return ms;
}

/**
 * Recipient ids in events are bare phone digits or a JID's user part; hosts often hold
 * `+1 (555) 010-9999` or `5511…@s.whatsapp.net`. Reduce those to the same form.
 */
export function normalizeRecipient(recipient: string): string {
  const at = recipient.indexOf('@');
  if (at > 0) return recipient.slice(0, at).split(':')[0] as string;
  return /^\+?[\d\s\-().]+$/.test(recipient) ? recipient.replace(/\D/g, '') : recipient;
}

/** The `pending` observation (and a synthetic status event for listeners) a `track()` call stands for. */
export function trackObservation(
  input: TrackInput,
  defaults: { provider?: Provider; accountId?: string | null },
  now: number,
): { observation: DeliveryState; event: StatusEvent } {
  const provider = input.provider ?? defaults.provider;
  if (provider === undefined) {
    throw new TrackingError('unresolved_key', 'track(): give a provider (or set createTracker({ provider })).');
  }
  const accountId = input.accountId !== undefined ? input.accountId : (defaults.accountId ?? null);
  const recipientId = normalizeRecipient(input.recipientId);
  const at = toMs(input.sentAt, now);
  const meta: TrackMeta = {};
  if (input.campaign) meta.campaign = input.campaign;
  if (input.tags && input.tags.length > 0) meta.tags = [...new Set(input.tags)].sort();
  if (input.wasenderMsgId !== undefined) meta.wasenderMsgId = String(input.wasenderMsgId);
  const observation: DeliveryState = {
    provider,
    accountId,
    messageId: input.messageId,
    recipientId,
    participantId: null,
    rank: 1,
    pendingAt: at,
    sentAt: 0,
    deliveredAt: 0,
    readAt: 0,
    playedAt: 0,
    failedAt: 0,
    deletedAt: 0,
    warningAt: 0,
    errors: null,
    billingRank: -1,
    pricing: null,
    conversation: null,
    bizOpaqueCallbackData: input.bizOpaqueCallbackData || null,
    annotations: null,
    tracked: true,
    meta: Object.keys(meta).length > 0 ? meta : null,
  };
  const iso = new Date(at).toISOString();
  const event: StatusEvent = {
    schemaVersion: 1,
    id: `track:${provider}:${input.messageId}:${recipientId}`,
    kind: 'status',
    provider,
    accountId,
    phoneNumberId: null,
    occurredAt: iso,
    receivedAt: new Date(now).toISOString(),
    messageId: input.messageId,
    recipientId,
    status: 'pending',
    providerStatus: 'track',
    errors: [],
  };
  if (input.bizOpaqueCallbackData) event.bizOpaqueCallbackData = input.bizOpaqueCallbackData;
  return { observation, event };
}
