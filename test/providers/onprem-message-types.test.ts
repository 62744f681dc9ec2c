import { describe, expect, it } from 'vitest';
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

  it('system messages keep their payload in details and their body as text', () => {
    expect(
      one({ type: 'system', system: { body: 'User A changed number', new_wa_id: '16315558890', type: 'user_changed_number' } }),
    ).toEqual({
      ...base,
      type: 'system',
      providerType: 'system',
      text: 'User A changed number',
      details: { body: 'User A changed number', new_wa_id: '16315558890', type: 'user_changed_number' },
    });
    expect(one({ type: 'system', system: { identity: 'Rc/eg9Rl0JA=', type: 'user_identity_changed', user: '1631' } })).toEqual({
      ...base,
      type: 'system',
      providerType: 'system',
      text: null,
      details: { identity: 'Rc/eg9Rl0JA=', type: 'user_identity_changed', user: '1631' },
    });
  });

  it('unknown types keep their errors, never throw', () => {
    expect(one({ type: 'unknown', errors: [{ code: 501, title: 'Unknown message type', details: 'Not supported' }] })).toEqual({
      ...base,
      type: 'unknown',
      providerType: 'unknown',
      text: null,
      errors: [{ code: '501', title: 'Unknown message type', details: 'Not supported', class: 'permanent' }],
    });
    expect(one({ type: 'hologram', hologram: {} })).toEqual({ ...base, type: 'unknown', providerType: 'hologram', text: null });
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

  it('an item without an id becomes a messages notification; a body of only contacts yields nothing', () => {
    const { events } = normalize({ messages: [{ from: '1', type: 'text' }] }, { receivedAt: RECEIVED });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'notification', topic: 'messages', data: { from: '1', type: 'text' } });
    expect(normalize({ contacts: [{ wa_id: '1' }] }, { receivedAt: RECEIVED }).events).toEqual([]);
  });
});
