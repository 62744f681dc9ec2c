/** Tiny builders of canonical events for tracker tests (the normalizers make the real ones). */
import type { CanonicalEvent, DeliveryStatus, MessageEvent, NotificationEvent, StatusEvent } from '../../src/event/types.js';

export interface StatusInit extends Partial<Omit<StatusEvent, 'kind' | 'occurredAt'>> {
  status: DeliveryStatus;
  /** Seconds since epoch, or an ISO string. */
  at?: number | string;
}

const BASE = 1_700_000_000;

export function statusEvent(init: StatusInit): StatusEvent {
  const messageId = init.messageId ?? 'wamid.M1';
  const recipientId = init.recipientId === undefined ? '15550001111' : init.recipientId;
  const at = init.at ?? BASE;
  const occurredAt = typeof at === 'number' ? new Date(at * 1000).toISOString() : at;
  const { at: _at, ...rest } = init;
  const e: StatusEvent = {
    schemaVersion: 1,
    kind: 'status',
    provider: 'cloud',
    accountId: 'waba1',
    phoneNumberId: 'pn1',
    receivedAt: occurredAt,
    providerStatus: init.status,
    errors: [],
    ...rest,
    id: init.id ?? `${messageId}:${init.status}:${init.participantId ?? recipientId ?? ''}:${occurredAt}`,
    messageId,
    recipientId,
    occurredAt,
  };
  return e;
}

export function messageEvent(id: string, text = 'hi'): MessageEvent {
  return {
    schemaVersion: 1,
    id,
    kind: 'message',
    provider: 'cloud',
    accountId: 'waba1',
    phoneNumberId: 'pn1',
    occurredAt: new Date(BASE * 1000).toISOString(),
    receivedAt: new Date(BASE * 1000).toISOString(),
    messageId: id,
    direction: 'inbound',
    from: '15550001111',
    to: null,
    contact: {},
    type: 'text',
    providerType: 'text',
    text,
  };
}

export function notificationEvent(id: string, topic = 'account_update'): NotificationEvent {
  return {
    schemaVersion: 1,
    id,
    kind: 'notification',
    provider: 'cloud',
    accountId: 'waba1',
    phoneNumberId: null,
    occurredAt: new Date(BASE * 1000).toISOString(),
    receivedAt: new Date(BASE * 1000).toISOString(),
    topic,
    data: { topic },
  };
}

export type { CanonicalEvent };
