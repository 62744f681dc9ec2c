import { describe, expect, it } from 'vitest';
import { NormalizeError } from '../../src/errors.js';
import { eventSchema } from '../../src/event/schema.js';
import { normalize } from '../../src/normalize.js';
import { ownFixture } from '../helpers/fixtures.js';
import { cloudEvents, expectedMessage, expectedStatus, iso, RECEIVED_AT } from './cloud-helpers.js';

describe('cloud envelope: batches', () => {
  const events = cloudEvents('batch.json');

  it('emits every item of every change of every entry, in order', () => {
    expect(
      events.map((e) =>
        e.kind === 'message' ? `message ${e.messageId}` : e.kind === 'status' ? `status ${e.messageId} ${e.status}` : `${e.kind} ${e.accountId}`,
      ),
    ).toEqual([
      'message wamid.B1',
      'message wamid.B2',
      'status wamid.OUT1 delivered',
      'status wamid.OUT1 read',
      'error 111111111111111',
      'notification 222222222222222',
      'message wamid.B3',
      'status wamid.OUT2 sent',
    ]);
    for (const e of events) expect(eventSchema.parse(e)).toEqual(e);
  });

  it('each item carries its own entry id and change phone number id', () => {
    expect(events[1]).toEqual(
      expectedMessage(
        { accountId: '111111111111111', phoneNumberId: '900000000000001', to: '15550000001' },
        {
          messageId: 'wamid.B2',
          occurredAt: iso(1750300002),
          type: 'text',
          providerType: 'text',
          text: 'second',
          from: '5511999990001',
          contact: { name: 'Ana', waId: '5511999990001' },
        },
      ),
    );
    expect(events[7]).toEqual(
      expectedStatus({
        id: 'cloud:status:wamid.OUT2:5511999990003::sent',
        accountId: '222222222222222',
        phoneNumberId: '900000000000003',
        messageId: 'wamid.OUT2',
        recipientId: '5511999990003',
        occurredAt: iso(1750300102),
        status: 'sent',
        providerStatus: 'sent',
      }),
    );
  });

  it('value-level errors: ONE error event per change carrying all its errors, at the entry time', () => {
    const raw = JSON.parse(ownFixture('cloud/batch.json')).entry[0].changes[1].value.errors;
    expect(events[4]).toEqual({
      schemaVersion: 1,
      id: expect.stringMatching(/^cloud:error:111111111111111:1750300000:messages:[0-9a-f]{16}$/),
      kind: 'error',
      provider: 'cloud',
      accountId: '111111111111111',
      phoneNumberId: '900000000000002',
      occurredAt: iso(1750300000),
      receivedAt: RECEIVED_AT,
      errors: [
        {
          code: '130429',
          title: 'Rate limit hit',
          message: 'Rate limit hit',
          details: 'Too many messages sent from this phone number in a short period of time',
          class: 'retryable',
        },
        { code: '131000', title: 'Something went wrong', class: 'retryable' },
      ],
    });
    // keepRaw attaches the errors array as sent.
    expect(cloudEvents('batch.json', true)[4]?.raw).toEqual(raw);
  });

  it('a non-messages field is one notification with the value untouched, at the entry time', () => {
    expect(events[5]).toEqual({
      schemaVersion: 1,
      id: expect.stringMatching(/^cloud:notification:222222222222222:1750300100:account_update:[0-9a-f]{16}$/),
      kind: 'notification',
      provider: 'cloud',
      accountId: '222222222222222',
      phoneNumberId: null,
      occurredAt: iso(1750300100),
      receivedAt: RECEIVED_AT,
      topic: 'account_update',
      data: { phone_number: '15550000003', event: 'VERIFIED_ACCOUNT' },
    });
  });

  it('the same notification value on another day is another event (the entry time is in the id)', () => {
    const at = (time: number) =>
      normalize({ object: 'whatsapp_business_account', entry: [{ id: 'W', time, changes: [{ field: 'phone_number_quality_update', value: { event: 'FLAGGED' } }] }] }, { receivedAt: RECEIVED_AT }).events[0]?.id;
    expect(at(1750000000)).not.toBe(at(1750086400));
    expect(at(1750000000)).toBe(at(1750000000));
  });
});

describe('cloud envelope: ids', () => {
  it('are deterministic across runs and independent of receivedAt', () => {
    const a = cloudEvents('batch.json').map((e) => e.id);
    const b = normalize(ownFixture('cloud/batch.json'), { receivedAt: '2030-05-05T00:00:00.000Z' }).events.map((e) => e.id);
    expect(b).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
  });

  it('a message repeated verbatim in one payload gets the same id twice (the tracker dedups it)', () => {
    const item = { from: '5678', id: 'external_id', timestamp: '1454119029', type: 'text', text: { body: 'Hello World' } };
    const body = { object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value: { messages: [item, item] } }] }] };
    const [first, second] = normalize(body, { receivedAt: RECEIVED_AT }).events;
    expect(first?.id).toBe('cloud:message:external_id');
    expect(second?.id).toBe(first?.id);
  });

  it('statuses of one message differ by status, recipient and participant', () => {
    const s = (extra: object) => ({ id: 'wamid.X', status: 'read', recipient_id: '1', ...extra });
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: 'W',
          changes: [
            { field: 'messages', value: { statuses: [s({}), s({ status: 'delivered' }), s({ recipient_id: '2' }), s({ recipient_participant_id: '3' })] } },
          ],
        },
      ],
    };
    const ids = normalize(body, { receivedAt: RECEIVED_AT }).events.map((e) => e.id);
    expect(ids).toEqual(['cloud:status:wamid.X:1::read', 'cloud:status:wamid.X:1::delivered', 'cloud:status:wamid.X:2::read', 'cloud:status:wamid.X:1:3:read']);
  });
});

describe('cloud envelope: leniency', () => {
  const events = cloudEvents('odd-items.json');
  const business = { accountId: '102290129340398', phoneNumberId: '106540352242922', to: '15550783881' };

  it('never throws for odd items; every odd piece is still an event', () => {
    expect(events.map((e) => (e.kind === 'notification' ? `notification ${e.topic}` : `${e.kind}`))).toEqual([
      'message',
      'notification messages', // "not a message"
      'message', // no id
      'notification messages', // status 42
      'notification unknown', // "not a change"
      'notification messages', // messages change with no items
      'notification brand_new_field',
      'notification entry', // entry without changes
    ]);
    for (const e of events) expect(eventSchema.parse(e)).toEqual(e);
  });

  it('an invalid timestamp ("asdf") falls back to receivedAt, marked estimated', () => {
    expect(events[0]).toEqual(
      expectedMessage(business, {
        messageId: 'wamid.BADTIME1',
        occurredAt: RECEIVED_AT,
        occurredAtEstimated: true,
        type: 'text',
        providerType: 'text',
        text: 'Hello World',
        from: '5678',
        contact: { name: 'Kerry Fisher', waId: '5678' },
      }),
    );
  });

  it('a message without an id gets a content-hash message id, stable across runs', () => {
    const event = events[2];
    expect(event?.kind).toBe('message');
    if (event?.kind !== 'message') return;
    expect(event.messageId).toMatch(/^hash-[0-9a-f]{16}$/);
    expect(event.id).toBe(`cloud:message:${event.messageId}`);
    expect(event.text).toBe('I have no id');
    expect(cloudEvents('odd-items.json')[2]?.id).toBe(event.id);
  });

  it('an unknown field is a notification with the value untouched', () => {
    expect(events[6]).toMatchObject({ kind: 'notification', topic: 'brand_new_field', data: { anything: ['goes', 1, true] }, phoneNumberId: null });
  });

  it('keepRaw attaches the provider item to each event', () => {
    const raw = cloudEvents('odd-items.json', true);
    expect(raw[0]?.raw).toEqual({ from: '5678', id: 'wamid.BADTIME1', timestamp: 'asdf', type: 'text', text: { body: 'Hello World' } });
    expect(raw[1]?.raw).toBe('not a message');
    expect(events[0]).not.toHaveProperty('raw');
  });

  it('sparse arrays (holes, as a `delete` leaves them) never yield undefined errors', () => {
    const errors: unknown[] = [];
    errors[1] = { code: 131000 };
    const statusErrors: unknown[] = [];
    statusErrors[2] = { code: 131049 };
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field: 'messages', value: { errors, statuses: [{ id: 'm', status: 'failed', errors: statusErrors }] } }] }],
    };
    const events = normalize(body, { receivedAt: RECEIVED_AT }).events;
    for (const e of events) expect(eventSchema.parse(e)).toEqual(e);
    const status = events.find((e) => e.kind === 'status');
    expect(status?.kind === 'status' && status.errors.map((x) => x.code)).toEqual(['unknown', 'unknown', '131049']);
    const error = events.find((e) => e.kind === 'error');
    expect(error?.kind === 'error' && error.errors.map((x) => x.code)).toEqual(['unknown', '131000']);
  });

  it('throws invalid_envelope only when entry is not an array', () => {
    for (const entry of [undefined, {}, 'x', 3]) {
      let caught: unknown;
      try {
        normalize({ object: 'whatsapp_business_account', entry }, { receivedAt: RECEIVED_AT });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(NormalizeError);
      expect((caught as NormalizeError).code).toBe('invalid_envelope');
    }
    expect(normalize({ object: 'whatsapp_business_account', entry: [] }, { receivedAt: RECEIVED_AT }).events).toEqual([]);
  });
});
