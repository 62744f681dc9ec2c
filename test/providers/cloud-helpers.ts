import { normalize } from '../../src/normalize.js';
import type { CanonicalEvent, MessageEvent, StatusEvent } from '../../src/event/types.js';
import { ownFixture } from '../helpers/fixtures.js';

/** The fixed receive time every Cloud mapper test uses. */
export const RECEIVED_AT = '2026-01-01T00:00:00.000Z';

/** Normalizes one of our own Cloud fixtures (`test/fixtures/cloud/<name>`) at {@link RECEIVED_AT}. */
export function cloudEvents(name: string, keepRaw = false): CanonicalEvent[] {
  return normalize(ownFixture(`cloud/${name}`), { receivedAt: RECEIVED_AT, keepRaw }).events;
}

/** ISO-8601 of a Unix timestamp in seconds, computed independently of the code under test. */
export function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * A whole expected inbound message event: the fields every message of one fixture shares, plus
 * the per-message fields given. Tests compare with `toEqual` on the whole event.
 */
export function expectedMessage(
  shared: Pick<MessageEvent, 'accountId' | 'phoneNumberId' | 'to'>,
  fields: Partial<MessageEvent> & Pick<MessageEvent, 'messageId' | 'occurredAt' | 'type' | 'providerType'>,
): MessageEvent {
  return {
    schemaVersion: 1,
    id: `cloud:message:${fields.messageId}`,
    kind: 'message',
    provider: 'cloud',
    accountId: shared.accountId,
    phoneNumberId: shared.phoneNumberId,
    receivedAt: RECEIVED_AT,
    direction: 'inbound',
    from: null,
    to: shared.to,
    contact: {},
    text: null,
    ...fields,
  };
}

/** A whole expected status event (same idea as {@link expectedMessage}). */
export function expectedStatus(
  fields: Partial<StatusEvent> &
    Pick<StatusEvent, 'id' | 'messageId' | 'occurredAt' | 'status' | 'providerStatus' | 'recipientId' | 'accountId' | 'phoneNumberId'>,
): StatusEvent {
  return { schemaVersion: 1, kind: 'status', provider: 'cloud', receivedAt: RECEIVED_AT, errors: [], ...fields };
}
