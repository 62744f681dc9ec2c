import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import { hashJson } from '../../src/event/ids.js';
import type { CanonicalEvent, DeliveryStatus } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import { ownFixture } from '../helpers/fixtures.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const ENVELOPE_AT = '2025-05-20T21:10:31.467Z';

function events(body: string | object): CanonicalEvent[] {
  const result = normalize(body, { receivedAt: RECEIVED });
  for (const event of result.events) eventSchema.parse(event);
  return result.events;
}

function status(accountId: string, messageId: string) {
  return {
    schemaVersion: 1,
    kind: 'status',
    provider: 'wasender',
    accountId,
    phoneNumberId: null,
    receivedAt: RECEIVED,
    messageId,
    errors: [],
  } as const;
}

/** The whole notification an item that is not one of our statuses becomes (envelope timestamp 1747775431467). */
function notification(accountId: string, topic: string, data: unknown) {
  return {
    schemaVersion: 1,
    id: `wasender:notification:${topic}:${hashJson(data)}1747775431467`,
    kind: 'notification',
    provider: 'wasender',
    accountId,
    phoneNumberId: null,
    occurredAt: ENVELOPE_AT,
    receivedAt: RECEIVED,
    topic,
    data,
  } as const;
}

describe('WASender messages.update: Baileys ack levels', () => {
  const levels: [number, string, DeliveryStatus][] = [
    [0, 'ERROR', 'failed'],
    [1, 'PENDING', 'pending'],
    [2, 'SERVER_ACK', 'sent'],
    [3, 'DELIVERY_ACK', 'delivered'],
    [4, 'READ', 'read'],
    [5, 'PLAYED', 'played'],
  ];
  const body = (value: unknown) => ({
    event: 'messages.update',
    sessionId: 's1',
    timestamp: 1747775431467,
    data: { key: { id: 'M1', fromMe: true, remoteJid: '5511999990002@s.whatsapp.net' }, update: { status: value } },
  });

  for (const [level, name, expected] of levels) {
    it(`${level} / "${level}" / "${name}" → ${expected}`, () => {
      for (const value of [level, String(level), name]) {
        expect(events(body(value))).toEqual([
          {
            ...status('s1', 'M1'),
            id: `wasender:status:s1:M1:5511999990002::${String(value)}`,
            occurredAt: ENVELOPE_AT,
            recipientId: '5511999990002',
            status: expected,
            providerStatus: String(value),
          },
        ]);
      }
    });
  }

  it('anything else is unknown with the raw value kept', () => {
    for (const value of [6, -1, '9', 'in_orbit', 2.5]) {
      const [event] = events(body(value));
      expect(event).toMatchObject({ kind: 'status', status: 'unknown', providerStatus: String(value) });
    }
  });

  it('a batch: statuses for our messages, notifications for inbound receipts and non-status updates', () => {
    const body = JSON.parse(ownFixture('wasender/update-batch.json')) as { data: unknown[] };
    expect(events(body)).toEqual([
      {
        ...status('sess-6', '3EB0A'),
        id: 'wasender:status:sess-6:3EB0A:5511999990002::3',
        occurredAt: ENVELOPE_AT,
        recipientId: '5511999990002',
        status: 'delivered',
        providerStatus: '3',
      },
      {
        ...status('sess-6', '3EB0A'),
        id: 'wasender:status:sess-6:3EB0A:5511999990002::READ',
        occurredAt: ENVELOPE_AT,
        recipientId: '5511999990002',
        status: 'read',
        providerStatus: 'READ',
      },
      {
        ...status('sess-6', '3EB0B'),
        id: 'wasender:status:sess-6:3EB0B:120363000000000001::2',
        occurredAt: ENVELOPE_AT,
        recipientId: '120363000000000001',
        status: 'sent',
        providerStatus: '2',
      },
      notification('sess-6', 'messages.update', body.data[3]),
      notification('sess-6', 'messages.update', body.data[4]),
    ]);
  });
});

describe('WASender message-receipt.update', () => {
  it('one status per group participant receipt; the highest timestamp present decides', () => {
    const body = JSON.parse(ownFixture('wasender/receipt-group.json')) as { data: unknown[] };
    const group = { recipientId: '120363000000000001' };
    expect(events(body)).toEqual([
      {
        ...status('sess-5', '3EB0GRPOUT'),
        ...group,
        id: 'wasender:status:sess-5:3EB0GRPOUT:120363000000000001:5511999990007:readTimestamp',
        occurredAt: '2025-05-20T21:11:40.000Z',
        participantId: '5511999990007',
        status: 'read',
        providerStatus: 'readTimestamp',
      },
      {
        ...status('sess-5', '3EB0GRPOUT'),
        ...group,
        id: 'wasender:status:sess-5:3EB0GRPOUT:120363000000000001:5511999990008:receiptTimestamp',
        occurredAt: '2025-05-20T21:10:50.000Z',
        participantId: '5511999990008',
        status: 'delivered',
        providerStatus: 'receiptTimestamp',
      },
      {
        ...status('sess-5', '3EB0GRPOUT'),
        ...group,
        id: 'wasender:status:sess-5:3EB0GRPOUT:120363000000000001:5511999990009:playedTimestamp',
        occurredAt: '2025-05-20T21:13:20.000Z',
        participantId: '5511999990009',
        status: 'played',
        providerStatus: 'playedTimestamp',
      },
      notification('sess-5', 'message-receipt.update', body.data[2]),
    ]);
  });

  it('a one-to-one receipt has the chat as recipient and no participant', () => {
    const body = {
      event: 'message-receipt.update',
      sessionId: 's1',
      data: { message: { key: { id: 'M2', fromMe: true, remoteJid: '5511999990002@s.whatsapp.net' }, receipt: { userJid: '5511999990002@s.whatsapp.net', receiptTimestamp: 1747775450 } } },
    };
    expect(events(body)).toEqual([
      {
        ...status('s1', 'M2'),
        id: 'wasender:status:s1:M2:5511999990002::receiptTimestamp',
        occurredAt: '2025-05-20T21:10:50.000Z',
        recipientId: '5511999990002',
        status: 'delivered',
        providerStatus: 'receiptTimestamp',
      },
    ]);
  });
});

describe('WASender message.sent', () => {
  it('success → sent, failure with a key → failed with a classified error', () => {
    expect(events(ownFixture('wasender/sent-with-key.json'))).toEqual([
      {
        ...status('sess-7', '3EB0SENT'),
        id: 'wasender:status:sess-7:3EB0SENT:1987654321::sent',
        occurredAt: '2021-10-05T17:59:50.000Z',
        recipientId: '1987654321',
        status: 'sent',
        providerStatus: 'sent',
      },
      {
        ...status('sess-7', '3EB0FAIL'),
        id: 'wasender:status:sess-7:3EB0FAIL:1987654322::failed',
        occurredAt: '2021-10-05T17:59:50.000Z',
        recipientId: '1987654322',
        status: 'failed',
        providerStatus: 'failed',
        errors: [{ code: '429', message: 'Too many requests', class: 'retryable' }],
      },
    ]);
  });

  it('a failure with no message id becomes an error event', () => {
    const data = { success: false, error: 'Failed to send message: Invalid number JID: +123456787' };
    expect(events({ event: 'message.sent', timestamp: 1633456790, data })).toEqual([
      {
        schemaVersion: 1,
        id: `wasender:error::${hashJson(data)}1633456790`,
        kind: 'error',
        provider: 'wasender',
        accountId: null,
        phoneNumberId: null,
        occurredAt: '2021-10-05T17:59:50.000Z',
        receivedAt: RECEIVED,
        errors: [{ code: 'invalid_number', message: 'Failed to send message: Invalid number JID: +123456787', class: 'permanent' }],
      },
    ]);
  });
});
