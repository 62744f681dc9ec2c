import { describe, expect, it } from 'vitest';
import { hashJson } from '../../src/event/ids.js';
import { eventSchema } from '../../src/event/schema.js';
import type { MessageEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';

/** Normalizes one On-Premises message item and returns its event, schema-checked. */
function one(item: Record<string, unknown>): MessageEvent {
  const body = { messages: [{ id: 'wamid.1', from: '+1 631-555-1234', timestamp: '1600000000', ...item }] };
  const { events } = normalize(body, { receivedAt: RECEIVED, provider: 'onprem' });
  expect(events).toHaveLength(1);
  const event = eventSchema.parse(events[0]) as MessageEvent;
  expect(event.kind).toBe('message');
  return event;
}

const base = {
  schemaVersion: 1,
  id: 'onprem:message:wamid.1',
  kind: 'message',
  provider: 'onprem',
  accountId: null,
  phoneNumberId: null,
  occurredAt: '2020-09-13T12:26:40.000Z',
  receivedAt: RECEIVED,
  messageId: 'wamid.1',
  direction: 'inbound',
  from: '16315551234',
  to: null,
  contact: {},
};

describe('On-Premises message content', () => {
  it('text with a group, a reply context and mentions', () => {
    expect(
      one({
        type: 'text',
        group_id: 'group-1',
        text: { body: '@16315551000 hi' },
        context: { from: '16315555544', id: 'gBG2', mentions: ['16315551000', '+1 631 555 1099'] },
      }),
    ).toEqual({
      ...base,
      type: 'text',
      providerType: 'text',
      text: '@16315551000 hi',
      groupId: 'group-1',
      context: { from: '16315555544', messageId: 'gBG2', mentions: ['16315551000', '16315551099'] },
    });
  });

  it('interactive list reply and template button with a null payload', () => {
    expect(
      one({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r1', title: 'Row', description: 'd' } } }),
    ).toEqual({
      ...base,
      type: 'interactive',
      providerType: 'interactive',
      text: 'Row',
      interaction: { kind: 'list_reply', id: 'r1', title: 'Row', description: 'd' },
    });
    expect(one({ type: 'button', button: { payload: null, text: 'No' } })).toEqual({
      ...base,
      type: 'button',
      providerType: 'button',
      text: 'No',
      interaction: { kind: 'quick_reply', title: 'No' },
    });
  });

  it('system messages keep their payload in details.system (as Cloud does) and their body as text', () => {
    expect(
      one({ type: 'system', system: { body: 'User A changed number', new_wa_id: '16315558890', type: 'user_changed_number' } }),
    ).toEqual({
      ...base,
      type: 'system',
      providerType: 'system',
      text: 'User A changed number',
      details: { system: { body: 'User A changed number', new_wa_id: '16315558890', type: 'user_changed_number' } },
    });
    expect(one({ type: 'system', system: { identity: 'Rc/eg9Rl0JA=', type: 'user_identity_changed', user: '1631' } })).toEqual({
      ...base,
      type: 'system',
      providerType: 'system',
      text: null,
      details: { system: { identity: 'Rc/eg9Rl0JA=', type: 'user_identity_changed', user: '1631' } },
    });
  });

  it('unknown types keep their errors and their payload under their own name, never throw', () => {
    expect(one({ type: 'unknown', errors: [{ code: 501, title: 'Unknown message type', details: 'Not supported' }] })).toEqual({
      ...base,
      type: 'unknown',
      providerType: 'unknown',
      text: null,
      errors: [{ code: '501', title: 'Unknown message type', details: 'Not supported', class: 'permanent' }],
    });
    expect(one({ type: 'hologram', hologram: { beam: 1 } })).toEqual({
      ...base,
      type: 'unknown',
      providerType: 'hologram',
      text: null,
      details: { hologram: { beam: 1 } },
    });
  });

  it('video frequently forwarded, location, contacts and sticker', () => {
    expect(one({ type: 'video', context: { frequently_forwarded: true }, video: { id: 'v1', mime_type: 'video/mp4' } })).toEqual({
      ...base,
      type: 'video',
      providerType: 'video',
      text: null,
      media: { id: 'v1', mimeType: 'video/mp4' },
      context: { frequentlyForwarded: true },
    });
    expect(one({ type: 'location', location: { latitude: 38.98, longitude: -131.94, name: 'Beach' } })).toEqual({
      ...base,
      type: 'location',
      providerType: 'location',
      text: null,
      location: { latitude: 38.98, longitude: -131.94, name: 'Beach' },
    });
    const card = { name: { formatted_name: 'Kerry Fisher' }, phones: [{ phone: '+1 (650) 555-1234', wa_id: '16505551234' }] };
    expect(one({ type: 'contacts', contacts: [card] })).toEqual({
      ...base,
      type: 'contacts',
      providerType: 'contacts',
      text: null,
      details: { contacts: [card] },
    });
    expect(one({ type: 'sticker', sticker: { id: 's1', mime_type: 'image/webp', animated: true } })).toEqual({
      ...base,
      type: 'sticker',
      providerType: 'sticker',
      text: null,
      media: { id: 's1', mimeType: 'image/webp', animated: true },
    });
  });

  it('an item without an id is still a message, with a content-hash id (as on Cloud); a non-object item is a notification', () => {
    const item = { from: '1', type: 'text', text: { body: 'no id' } };
    const { events } = normalize({ messages: [item, 'junk'] }, { receivedAt: RECEIVED });
    expect(events).toEqual([
      {
        ...base,
        id: `onprem:message:hash-${hashJson(item)}`,
        messageId: `hash-${hashJson(item)}`,
        occurredAt: RECEIVED,
        occurredAtEstimated: true,
        from: '1',
        type: 'text',
        providerType: 'text',
        text: 'no id',
      },
      {
        schemaVersion: 1,
        id: `onprem:notification:messages:${hashJson('junk')}`,
        kind: 'notification',
        provider: 'onprem',
        accountId: null,
        phoneNumberId: null,
        occurredAt: RECEIVED,
        occurredAtEstimated: true,
        receivedAt: RECEIVED,
        topic: 'messages',
        data: 'junk',
      },
    ]);
  });

  it('a body holding only contacts is a `contacts` notification, as the Cloud equivalent is (nothing dropped)', () => {
    const contacts = [{ wa_id: '1', profile: { name: 'A' } }];
    expect(normalize({ contacts }, { receivedAt: RECEIVED }).events).toEqual([
      {
        schemaVersion: 1,
        id: `onprem:notification:contacts:${hashJson(contacts)}`,
        kind: 'notification',
        provider: 'onprem',
        accountId: null,
        phoneNumberId: null,
        occurredAt: RECEIVED,
        occurredAtEstimated: true,
        receivedAt: RECEIVED,
        topic: 'contacts',
        data: contacts,
      },
    ]);
    const cloud = normalize(
      { object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value: { contacts } }] }] },
      { receivedAt: RECEIVED },
    ).events;
    expect(cloud.map((e) => e.kind)).toEqual(['notification']);
  });
});
