import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import { normalize } from '../../src/normalize.js';
import { ownFixture } from '../helpers/fixtures.js';
import { cloudEvents, expectedStatus, iso, RECEIVED_AT } from './cloud-helpers.js';

const account = { accountId: '102290129340398', phoneNumberId: '106540352242922' };

describe('cloud statuses', () => {
  const events = cloudEvents('statuses.json');

  it('every status item is an event, each valid', () => {
    expect(events).toHaveLength(8);
    for (const e of events) expect(eventSchema.parse(e)).toEqual(e);
  });

  it('CBP pricing, conversation with expiry, biz_opaque_callback_data', () => {
    expect(events[0]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.CBP1:16505551234::sent',
        messageId: 'wamid.CBP1',
        recipientId: '16505551234',
        occurredAt: iso(1673020317),
        status: 'sent',
        providerStatus: 'sent',
        pricing: { billable: true, model: 'CBP', category: 'business_initiated' },
        conversation: { id: '8eb644d2350611f3746e7f0985bddfc1', origin: 'business_initiated', expiresAt: iso(1673031000) },
        bizOpaqueCallbackData: 'order-42',
      }),
    );
  });

  it('PMP pricing (with its type) and a numeric timestamp', () => {
    expect(events[1]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.PMP1:16505551234::delivered',
        messageId: 'wamid.PMP1',
        recipientId: '16505551234',
        occurredAt: iso(1750030073),
        status: 'delivered',
        providerStatus: 'delivered',
        pricing: { billable: true, model: 'PMP', category: 'marketing', type: 'regular' },
      }),
    );
  });

  it('group status: participant (as digits) and participant user id, both in the id', () => {
    expect(events[2]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.GROUPOUT1:120363025246125486:5511999990002:read',
        messageId: 'wamid.GROUPOUT1',
        recipientId: '120363025246125486',
        participantId: '5511999990002',
        recipientUserId: 'US.123456',
        occurredAt: iso(1698266945),
        status: 'read',
        providerStatus: 'read',
      }),
    );
  });

  it('status-level errors, classified', () => {
    expect(events[3]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.FAILED1:16505551234::failed',
        messageId: 'wamid.FAILED1',
        recipientId: '16505551234',
        occurredAt: iso(1750030100),
        status: 'failed',
        providerStatus: 'failed',
        errors: [
          {
            code: '131049',
            title: 'This message was not delivered to maintain healthy ecosystem engagement.',
            message: 'This message was not delivered to maintain healthy ecosystem engagement.',
            details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
            href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            class: 'policy',
          },
        ],
      }),
    );
  });

  it('an unknown status value is data: status "unknown", raw value kept', () => {
    expect(events[4]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.ORBIT1:16505551234::in_orbit',
        messageId: 'wamid.ORBIT1',
        recipientId: '16505551234',
        occurredAt: iso(1750030101),
        status: 'unknown',
        providerStatus: 'in_orbit',
      }),
    );
  });

  it('recipient known only by business-scoped user id: recipientId null, the user id keys the event', () => {
    expect(events[5]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.BSUIDOUT1:US.1234::played',
        messageId: 'wamid.BSUIDOUT1',
        recipientId: null,
        recipientUserId: 'US.1234',
        occurredAt: iso(1750030102),
        status: 'played',
        providerStatus: 'played',
      }),
    );
  });

  it('a payment status is not a delivery status: "failed" payment maps to unknown', () => {
    expect(events[6]).toEqual(
      expectedStatus({
        ...account,
        id: 'cloud:status:wamid.ORDERDETAILS1:::failed',
        messageId: 'wamid.ORDERDETAILS1',
        recipientId: null,
        occurredAt: iso(1750030103),
        status: 'unknown',
        providerStatus: 'failed',
      }),
    );
  });

  it('a status without a message id cannot be tracked: it becomes a notification holding the item', () => {
    const item = { status: 'delivered', timestamp: '1750030104', recipient_id: '16505551234' };
    expect(events[7]).toMatchObject({ kind: 'notification', topic: 'messages', data: item, occurredAt: RECEIVED_AT });
    expect(events[7]?.id).toMatch(/^cloud:notification:102290129340398::messages:[0-9a-f]{16}$/);
  });

  it('every canonical status value is mapped from its Cloud value', () => {
    const values = ['sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning'] as const;
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field: 'messages', value: { statuses: values.map((status, i) => ({ id: `m${i}`, status, recipient_id: '1' })) } }] }],
    };
    const statuses = cloudEventsFromObject(body).map((e) => (e.kind === 'status' ? e.status : e.kind));
    expect(statuses).toEqual([...values]);
  });
});

describe('calls are not delivery statuses', () => {
  it('calls[] and call statuses[] become one notification per change, topic "calls", value untouched', () => {
    const events = cloudEvents('calls.json');
    expect(events.map((e) => e.kind)).toEqual(['notification', 'notification']);
    const body = JSON.parse(ownFixture('cloud/calls.json'));
    expect(events[0]).toMatchObject({ topic: 'calls', data: body.entry[0].changes[0].value, phoneNumberId: '743897493242' });
    expect(events[1]).toMatchObject({ topic: 'calls', data: body.entry[0].changes[1].value });
    expect(events[0]?.id).not.toBe(events[1]?.id);
  });
});

function cloudEventsFromObject(body: object) {
  return normalize(body, { receivedAt: RECEIVED_AT }).events;
}
