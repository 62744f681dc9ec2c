import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import { ownFixture } from '../helpers/fixtures.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';

function run(name: string): CanonicalEvent[] {
  const result = normalize(ownFixture(`wasender/${name}`), { receivedAt: RECEIVED });
  expect(result.provider).toBe('wasender');
  for (const event of result.events) eventSchema.parse(event);
  return result.events;
}

function message(accountId: string, messageId: string) {
  return {
    schemaVersion: 1,
    id: `wasender:message:${accountId}:${messageId}`,
    kind: 'message',
    provider: 'wasender',
    accountId,
    phoneNumberId: null,
    receivedAt: RECEIVED,
    messageId,
  } as const;
}

describe('WASender message events: every shape of data', () => {
  it('data.messages as an array: @lid sender with cleanedSenderPn, an outbound reply, a group image', () => {
    expect(run('upsert-messages-array.json')).toEqual([
      {
        ...message('sess-1', '3EB0LID000001'),
        // messageTimestamp (seconds) wins over the envelope timestamp (milliseconds).
        occurredAt: '2025-05-20T21:10:00.000Z',
        direction: 'inbound',
        from: '5551234567',
        to: null,
        contact: { name: 'Ana', waId: '5551234567' },
        type: 'text',
        providerType: 'conversation',
        text: 'Hello from a lid',
      },
      {
        ...message('sess-1', '3EB0OUT000002'),
        occurredAt: '2025-05-20T21:10:10.000Z',
        direction: 'outbound',
        from: null,
        to: '5511999990002',
        contact: {},
        type: 'text',
        providerType: 'extendedTextMessage',
        text: 'Replying @5511999990003',
        context: {
          messageId: '3EB0QUOTED',
          from: '5511999990002',
          forwarded: true,
          frequentlyForwarded: true,
          mentions: ['5511999990003'],
        },
      },
      {
        ...message('sess-1', '3EB0GRP000003'),
        occurredAt: '2025-05-20T21:10:20.000Z',
        direction: 'inbound',
        from: '5511999990004',
        to: null,
        contact: { name: 'Bruno', waId: '5511999990004' },
        type: 'image',
        providerType: 'imageMessage',
        text: 'the photo',
        media: {
          url: 'https://mmg.whatsapp.net/o1/v/t62.7118-24/abc.enc',
          mimeType: 'image/jpeg',
          sha256: 'q2o4jzLGzOVA8j3QFMBmU1K/yIu0mXPJDWq6rJQnpSQ=',
          fileSize: 48211,
          caption: 'the photo',
        },
        groupId: '120363000000000001',
      },
    ]);
  });

  it('data.messages as an object, envelope timestamp in seconds', () => {
    expect(run('received-messages-object.json')).toEqual([
      {
        ...message('sess-2', '3EB0OBJ'),
        occurredAt: '2021-10-05T17:59:49.000Z',
        direction: 'inbound',
        from: '1234567890',
        to: null,
        contact: { waId: '1234567890' },
        type: 'location',
        providerType: 'locationMessage',
        text: null,
        location: { latitude: -23.55, longitude: -46.63, name: 'Praça da Sé', address: 'São Paulo' },
      },
    ]);
  });

  it('data as an array: a voice note (ptt, Long timestamps) and an outbound captioned document', () => {
    expect(run('upsert-data-array.json')).toEqual([
      {
        ...message('sess-3', '3EB0PTT'),
        occurredAt: '2025-05-20T21:10:01.000Z',
        direction: 'inbound',
        from: '5511999990005',
        to: null,
        contact: { waId: '5511999990005' },
        type: 'voice',
        providerType: 'audioMessage',
        text: null,
        media: { mimeType: 'audio/ogg; codecs=opus', fileSize: 9120, voice: true },
      },
      {
        ...message('sess-3', '3EB0DOC'),
        occurredAt: '2025-05-20T21:10:02.000Z',
        direction: 'outbound',
        from: null,
        to: '5511999990006',
        contact: {},
        type: 'document',
        providerType: 'documentMessage',
        text: 'your invoice',
        media: { mimeType: 'application/pdf', fileSize: 1024, filename: 'invoice.pdf', caption: 'your invoice' },
      },
    ]);
  });

  it('data holding key + message unwrapped: a reaction', () => {
    expect(run('personal-unwrapped-reaction.json')).toEqual([
      {
        ...message('sess-4', '3EB0REACT'),
        occurredAt: '2023-10-18T14:40:00.000Z',
        direction: 'inbound',
        from: '12345',
        to: null,
        contact: { name: 'Caio', waId: '12345' },
        type: 'reaction',
        providerType: 'reactionMessage',
        text: null,
        reaction: { messageId: '3EB0OUT000002', emoji: '👍' },
      },
    ]);
  });
});

describe('WASender envelope', () => {
  const item = { key: { id: 'K1', fromMe: false, remoteJid: '15550001@s.whatsapp.net' }, message: { conversation: 'x' } };

  it('reads envelope timestamps in milliseconds and in seconds alike; missing → receive time', () => {
    const at = (timestamp: unknown) =>
      normalize({ event: 'messages.received', timestamp, data: item }, { receivedAt: RECEIVED }).events[0]?.occurredAt;
    expect(at(1747775431467)).toBe('2025-05-20T21:10:31.467Z');
    expect(at(1747775431)).toBe('2025-05-20T21:10:31.000Z');
    expect(at('1747775431')).toBe('2025-05-20T21:10:31.000Z');
    expect(at(undefined)).toBe(RECEIVED);
  });

  it('has accountId = sessionId (null without one) and never a phoneNumberId', () => {
    const [withSession] = normalize({ event: 'messages.received', sessionId: 's9', data: item }, { receivedAt: RECEIVED }).events;
    expect(withSession).toMatchObject({ accountId: 's9', phoneNumberId: null, id: 'wasender:message:s9:K1' });
    const [without] = normalize({ event: 'messages.received', data: item }, { receivedAt: RECEIVED }).events;
    expect(without).toMatchObject({ accountId: null, phoneNumberId: null, id: 'wasender:message::K1' });
  });

  it('throws invalid_envelope only for a forced body with neither event nor data.messages', () => {
    expect(() => normalize({ data: {} }, { provider: 'wasender' })).toThrow(expect.objectContaining({ code: 'invalid_envelope' }));
    expect(normalize({ data: { messages: [] } }, { receivedAt: RECEIVED }).provider).toBe('wasender');
  });

  it('a message event without data, or with items lacking a key, becomes notifications', () => {
    const empty = normalize({ event: 'messages.upsert' }, { receivedAt: RECEIVED }).events;
    expect(empty).toMatchObject([{ kind: 'notification', topic: 'messages.upsert', data: null }]);
    const keyless = normalize({ event: 'messages.upsert', data: [{ message: { conversation: 'x' } }] }, { receivedAt: RECEIVED });
    expect(keyless.events).toMatchObject([{ kind: 'notification', topic: 'messages.upsert', data: { message: { conversation: 'x' } } }]);
  });

  it('every other event is one notification with data untouched and a stable id', () => {
    const body = { event: 'session.status', sessionId: 's1', timestamp: 1700000000000, data: { status: 'connected' } };
    const first = normalize(body, { receivedAt: RECEIVED }).events;
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ kind: 'notification', topic: 'session.status', data: { status: 'connected' }, accountId: 's1' });
    expect(normalize(body, { receivedAt: '2026-03-03T00:00:00.000Z' }).events[0]?.id).toBe(first[0]?.id);
    // The same data sent at another time is another notification.
    expect(normalize({ ...body, timestamp: 1700000001000 }, { receivedAt: RECEIVED }).events[0]?.id).not.toBe(first[0]?.id);
    const reaction = normalize({ event: 'messages.reaction', data: [{ key: { id: 'a' }, reaction: { text: '👍' } }] });
    expect(reaction.events.map((e) => e.kind)).toEqual(['notification']);
  });
});
