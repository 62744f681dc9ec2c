/**
 * The observation a `tracker.track()` call stands for: the host declares a message it sent, with
 * its own spelling of the account and the recipient and its metadata, as a `pending` observation.
 */
import { personId } from '../event/person.js';
import type { Provider } from '../event/types.js';
import { TIME_FIELDS, type DeliveryState, type TrackMeta } from './state.js';

/**
 * Recipient ids in events are bare phone digits or a JID's user part; hosts often hold
 * `+1 (555) 010-9999` or `5511…@s.whatsapp.net`. Reduce those to the same form, with the same
 * reducer the normalizers use (`personId` in `src/event/person.ts`).
 *
 * @example
 * ```ts
 * normalizeRecipient('+1 (650) 555-1234'); // '16505551234'
 * ```
 */
export function normalizeRecipient(recipient: string): string {
  return personId(recipient);
}

/** What `track()` records. */
export interface TrackedSend {
  provider: Provider;
  messageId: string;
  /** Epoch ms the host sent it. */
  sentAt: number;
  accountId?: string | null;
  recipientId?: string | null;
  campaign?: string;
  tags?: readonly string[];
  wasenderMsgId?: string;
  bizOpaqueCallbackData?: string;
}

/**
 * The `pending` observation of a send the host declares.
 *
 * @example
 * ```ts
 * const obs = trackedObservation({ provider: 'cloud', messageId: 'wamid.X', sentAt: Date.now(), recipientId: '+1 650 555 1234' });
 * obs.meta; // { recipientId: '16505551234' }
 * ```
 */
export function trackedObservation(send: TrackedSend): DeliveryState {
  const meta: TrackMeta = {};
  if (send.campaign) meta.campaign = send.campaign;
  if (send.tags && send.tags.length > 0) meta.tags = [...new Set(send.tags)].sort();
  if (send.wasenderMsgId !== undefined) meta.wasenderMsgId = send.wasenderMsgId;
  if (send.accountId) meta.accountId = send.accountId;
  if (send.recipientId) meta.recipientId = normalizeRecipient(send.recipientId);
  const state: DeliveryState = {
    provider: send.provider,
    messageId: send.messageId,
    participantId: null,
    accountId: null,
    recipientId: null,
    rank: 1,
    pendingAt: 0,
    sentAt: 0,
    deliveredAt: 0,
    readAt: 0,
    playedAt: 0,
    failedAt: 0,
    deletedAt: 0,
    warningAt: 0,
    estimated: 0,
    errors: null,
    billingRank: -1,
    pricing: null,
    conversation: null,
    bizOpaqueCallbackData: send.bizOpaqueCallbackData || null,
    annotations: null,
    tracked: true,
    meta: Object.keys(meta).length > 0 ? meta : null,
  };
  state[TIME_FIELDS[0]] = send.sentAt;
  return state;
}
