import { describe, expect, it } from 'vitest';
import { hashJson } from '../../src/event/ids.js';
import { eventSchema } from '../../src/event/schema.js';
import { normalize } from '../../src/normalize.js';
import { ownFixture } from '../helpers/fixtures.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const common = { schemaVersion: 1, provider: 'onprem', accountId: null, phoneNumberId: null, receivedAt: RECEIVED } as const;

function run(name: string) {
  const result = normalize(ownFixture(`onprem/${name}`), { receivedAt: RECEIVED });
  for (const event of result.events) eventSchema.parse(event);
  return result;
}

describe('On-Premises normalizer: messages', () => {
  it('maps a voice note and an image, matching each sender in contacts[] by wa_id', () => {
    const { provider, events } = run('voice-with-contact.json');
    expect(provider).toBe('onprem');
    expect(events).toEqual([
      {
        ...common,
        id: 'onprem:message:ABGGFlA5FpafAgo6tHcNmNjXmuSf',
        kind: 'message',
        occurredAt: '2018-03-23T17:57:11.000Z',
        messageId: 'ABGGFlA5FpafAgo6tHcNmNjXmuSf',
        direction: 'inbound',
        from: '16315551234',
        to: null,
        contact: { name: 'Kerry Fisher', waId: '16315551234' },
        type: 'voice',
        providerType: 'voice',
        text: null,
        media: {
          id: '463eb7ec-ff4e-4d9b-b110-1879cbd411b2',
          mimeType: 'audio/ogg; codecs=opus',
          sha256: 'fa9e1807d936b7cebe63654ea3a7912b1fa9479220258d823590521ef53b0710',
          voice: true,
        },
      },
      {
        ...common,
        id: 'onprem:message:ABGGFlA5FpafAgo6tHcNmNjXmuSg',
        kind: 'message',
        occurredAt: '2018-03-23T17:57:20.000Z',
        messageId: 'ABGGFlA5FpafAgo6tHcNmNjXmuSg',
        direction: 'inbound',
        from: '16315550000',
        to: '16315559999',
        contact: { name: 'Other Person', waId: '16315550000' },
        type: 'image',
        providerType: 'image',
        text: 'look',
        media: {
          id: 'img-1',
          url: 'https://example.org/v1/media/img-1',
          mimeType: 'image/jpeg',
          sha256: 'abc',
          caption: 'look',
        },
        context: { from: '16315559999', messageId: 'gBGGFlA5FpafAgkOuJbRq54qwbM', forwarded: true },
      },
    ]);
  });

  it('keeps raw items only when asked', () => {
    const body = JSON.parse(ownFixture('onprem/voice-with-contact.json')) as { messages: unknown[] };
    const plain = normalize(body, { receivedAt: RECEIVED });
    expect(plain.events.every((e) => !('raw' in e))).toBe(true);
    const withRaw = normalize(body, { receivedAt: RECEIVED, keepRaw: true });
    expect(withRaw.events.map((e) => e.raw)).toEqual(body.messages);
  });
});

describe('On-Premises normalizer: statuses', () => {
  it('maps deleted, warning, failed-with-errors, conversation/pricing, unknown values and an id-less item', () => {
    const { events } = run('statuses-mixed.json');
    expect(events).toEqual([
      {
        ...common,
        id: 'onprem:status:gBGGFmkiWVVPAgo66iFiii_-TG0-:16692259554::deleted',
        kind: 'status',
        occurredAt: '2018-07-24T06:25:14.000Z',
        messageId: 'gBGGFmkiWVVPAgo66iFiii_-TG0-',
        recipientId: '16692259554',
        status: 'deleted',
        providerStatus: 'deleted',
        errors: [],
      },
      {
        ...common,
        id: 'onprem:status:gBGGFmkiWVVPAgo66iFiii_-TG0-:16692259554::warning',
        kind: 'status',
        occurredAt: '2018-07-24T06:25:15.000Z',
        messageId: 'gBGGFmkiWVVPAgo66iFiii_-TG0-',
        recipientId: '16692259554',
        status: 'warning',
        providerStatus: 'warning',
        errors: [{ code: '1024', title: 'Item in catalog is unavailable', class: 'unknown' }],
      },
      {
        ...common,
        // The recipient comes from `message.recipient_id` (the shape Turn.io forwards).
        id: 'onprem:status:gBGGEgZHMlEfAgkM1RBkhDRr7t8:12064001000::failed',
        kind: 'status',
        occurredAt: '2018-08-03T21:46:15.000Z',
        messageId: 'gBGGEgZHMlEfAgkM1RBkhDRr7t8',
        recipientId: '12064001000',
        status: 'failed',
        providerStatus: 'failed',
        errors: [
          {
            code: '470',
            title: 'Message failed to send because more than 24 hours have passed',
            href: 'https://developers.facebook.com/docs/whatsapp/api/errors/',
            class: 'policy',
          },
        ],
      },
      {
        ...common,
        id: 'onprem:status:gBGGFlB5YjhvAgnhuF1qIUvCo7A:16315555555::read',
        kind: 'status',
        occurredAt: '2021-01-13T18:06:11.000Z',
        messageId: 'gBGGFlB5YjhvAgnhuF1qIUvCo7A',
        recipientId: '16315555555',
        status: 'read',
        providerStatus: 'read',
        errors: [],
        conversation: { id: 'e118e912f7b8212088f2ccad1d8f70bf', origin: 'user_initiated', expiresAt: '2021-01-14T18:06:11.000Z' },
        pricing: { billable: true, model: 'CBP', category: 'user_initiated' },
      },
      {
        ...common,
        id: 'onprem:status:gBGGFlB5YjhvAgnhuF1qIUvCo7B:16315555555::in_orbit',
        kind: 'status',
        occurredAt: '2021-01-13T18:06:12.000Z',
        messageId: 'gBGGFlB5YjhvAgnhuF1qIUvCo7B',
        recipientId: '16315555555',
        status: 'unknown',
        providerStatus: 'in_orbit',
        errors: [],
      },
      {
        ...common,
        // No id: no tracking key. Kept as a notification rather than dropped.
        id: `onprem:notification:statuses:${hashJson({})}`,
        kind: 'notification',
        occurredAt: RECEIVED,
        occurredAtEstimated: true,
        topic: 'statuses',
        data: {},
      },
    ]);
  });

  it('gives a status without a recipient an empty recipient part and a null recipientId', () => {
    const { events } = normalize({ statuses: [{ id: 'X1', status: 'sent', timestamp: 1518694700 }] }, { receivedAt: RECEIVED });
    expect(events).toEqual([
      {
        ...common,
        id: 'onprem:status:X1:::sent',
        kind: 'status',
        occurredAt: '2018-02-15T11:38:20.000Z',
        messageId: 'X1',
        recipientId: null,
        status: 'sent',
        providerStatus: 'sent',
        errors: [],
      },
    ]);
  });
  it('maps status values exactly as Cloud does (played included, payment statuses never a delivery failure)', () => {
    const { events } = normalize(
      {
        statuses: [
          { id: 'V1', recipient_id: '15550002', status: 'played', timestamp: '1600000000' },
          { id: 'P1', recipient_id: '15550002', status: 'failed', type: 'payment', timestamp: '1600000001' },
        ],
      },
      { receivedAt: RECEIVED, provider: 'onprem' },
    );
    expect(events.map((e) => (e.kind === 'status' ? [e.id, e.status, e.providerStatus] : e.kind))).toEqual([
      ['onprem:status:V1:15550002::played', 'played', 'played'],
      ['onprem:status:P1:15550002::failed', 'unknown', 'failed'],
    ]);
  });
});

describe('On-Premises normalizer: top-level errors', () => {
  it('turns the whole errors[] array into one error event with classified codes', () => {
    const body = JSON.parse(ownFixture('onprem/errors-top-level.json')) as { errors: unknown[] };
    const { events } = run('errors-top-level.json');
    expect(events).toEqual([
      {
        ...common,
        id: `onprem:error:${hashJson(body.errors)}`,
        kind: 'error',
        occurredAt: RECEIVED,
        occurredAtEstimated: true,
        errors: [
          { code: '1014', title: 'Internal error', details: 'Upload failed on bad image', class: 'retryable' },
          { code: '429', title: 'Rate limit hit', class: 'retryable' },
        ],
      },
    ]);
  });

  it('emits messages, statuses and errors of one body together, in that order', () => {
    const body = {
      messages: [{ id: 'm1', from: '15550001', timestamp: '1600000000', type: 'text', text: { body: 'hi' } }],
      statuses: [{ id: 's1', recipient_id: '15550002', status: 'delivered', timestamp: '1600000001' }],
      errors: [{ code: 500, title: 'Generic error' }],
    };
    const { events } = normalize(body, { receivedAt: RECEIVED });
    expect(events.map((e) => [e.kind, e.id])).toEqual([
      ['message', 'onprem:message:m1'],
      ['status', 'onprem:status:s1:15550002::delivered'],
      ['error', `onprem:error:${hashJson(body.errors)}`],
    ]);
  });

  it('never leaves a hole for a sparse errors array (built in code, never by JSON.parse)', () => {
    const sparse: unknown[] = [{ code: 470 }, { code: 1014 }];
    delete sparse[0];
    const { events } = normalize(
      { statuses: [{ id: 'S', status: 'failed', timestamp: '1600000000', errors: sparse }], errors: sparse },
      { receivedAt: RECEIVED, provider: 'onprem' },
    );
    const expected = [{ code: 'unknown', class: 'unknown' }, { code: '1014', class: 'retryable' }];
    expect(events.map((e) => ('errors' in e ? e.errors : null))).toEqual([expected, expected]);
    for (const event of events) eventSchema.parse(event);
  });
});
