import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import type { MessageEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const KEY = { id: 'M1', fromMe: false, remoteJid: '5511999990002@s.whatsapp.net' };

/** Normalizes one WASender message item and returns its event, schema-checked. */
function one(message: unknown, key: Record<string, unknown> = KEY, extra: Record<string, unknown> = {}): MessageEvent {
  const { events } = normalize(
    { event: 'messages.received', sessionId: 's1', timestamp: 1700000000, data: { messages: { key, message, ...extra } } },
    { receivedAt: RECEIVED },
  );
  expect(events).toHaveLength(1);
  const event = eventSchema.parse(events[0]) as MessageEvent;
  expect(event.kind).toBe('message');
  return event;
}

const base = {
  schemaVersion: 1,
  id: 'wasender:message:s1:M1',
  kind: 'message',
  provider: 'wasender',
  accountId: 's1',
  phoneNumberId: null,
  occurredAt: '2023-11-14T22:13:20.000Z',
  receivedAt: RECEIVED,
  messageId: 'M1',
  direction: 'inbound',
  from: '5511999990002',
  to: null,
  contact: { waId: '5511999990002' },
};

describe('WASender Baileys content → canonical type', () => {
  it('stickers, contacts and contact arrays', () => {
    expect(one({ stickerMessage: { mimetype: 'image/webp', isAnimated: true } })).toEqual({
      ...base,
      type: 'sticker',
      providerType: 'stickerMessage',
      text: null,
      media: { mimeType: 'image/webp', animated: true },
    });
    const card = { displayName: 'Ana', vcard: 'BEGIN:VCARD\nEND:VCARD' };
    expect(one({ contactMessage: card })).toEqual({
      ...base,
      type: 'contacts',
      providerType: 'contactMessage',
      text: null,
      details: { contacts: [card] },
    });
    expect(one({ contactsArrayMessage: { displayName: '2 contacts', contacts: [card, card] } })).toEqual({
      ...base,
      type: 'contacts',
      providerType: 'contactsArrayMessage',
      text: null,
      details: { contacts: [card, card] },
    });
  });

  it('polls: creation (any version) and votes', () => {
    expect(
      one({ pollCreationMessageV3: { name: 'Lunch?', options: [{ optionName: 'Pizza' }, { optionName: 'Sushi' }], selectableOptionsCount: 1 } }),
    ).toEqual({
      ...base,
      type: 'poll',
      providerType: 'pollCreationMessageV3',
      text: 'Lunch?',
      details: { name: 'Lunch?', options: ['Pizza', 'Sushi'], selectableCount: 1 },
    });
    expect(one({ pollUpdateMessage: { pollCreationMessageKey: { id: 'P1' }, vote: { encPayload: 'x' } } })).toEqual({
      ...base,
      type: 'poll',
      providerType: 'pollUpdateMessage',
      text: null,
      details: { vote: true, pollMessageId: 'P1' },
    });
  });

  it('protocol messages: revoke (numeric or named), edit (wrapped in editedMessage), others unknown', () => {
    for (const type of [0, 'REVOKE']) {
      expect(one({ protocolMessage: { key: { id: 'OLD' }, type } })).toEqual({
        ...base,
        type: 'revoke',
        providerType: 'protocolMessage',
        text: null,
        details: { messageId: 'OLD' },
      });
    }
    const edit = { editedMessage: { message: { protocolMessage: { key: { id: 'OLD' }, type: 14, editedMessage: { conversation: 'fixed' } } } } };
    expect(one(edit)).toEqual({ ...base, type: 'edit', providerType: 'protocolMessage', text: 'fixed', details: { messageId: 'OLD' } });
    expect(one({ protocolMessage: { type: 'EPHEMERAL_SETTING', ephemeralExpiration: 86400 } })).toEqual({
      ...base,
      type: 'unknown',
      providerType: 'protocolMessage',
      text: null,
    });
  });

  it('buttons, lists, template quick replies and flows', () => {
    expect(one({ buttonsResponseMessage: { selectedButtonId: 'b1', selectedDisplayText: 'Yes' } })).toEqual({
      ...base,
      type: 'interactive',
      providerType: 'buttonsResponseMessage',
      text: 'Yes',
      interaction: { kind: 'button_reply', id: 'b1', title: 'Yes' },
    });
    expect(one({ listResponseMessage: { title: 'Row 1', description: 'first', singleSelectReply: { selectedRowId: 'r1' } } })).toEqual({
      ...base,
      type: 'interactive',
      providerType: 'listResponseMessage',
      text: 'Row 1',
      interaction: { kind: 'list_reply', id: 'r1', title: 'Row 1', description: 'first' },
    });
    expect(one({ templateButtonReplyMessage: { selectedId: 'STOP', selectedDisplayText: 'Stop promotions' } })).toEqual({
      ...base,
      type: 'button',
      providerType: 'templateButtonReplyMessage',
      text: 'Stop promotions',
      interaction: { kind: 'quick_reply', id: 'STOP', payload: 'STOP', title: 'Stop promotions' },
    });
    expect(
      one({ interactiveResponseMessage: { body: { text: 'Sent' }, nativeFlowResponseMessage: { name: 'flow', paramsJson: '{"a":1}' } } }),
    ).toEqual({
      ...base,
      type: 'interactive',
      providerType: 'interactiveResponseMessage',
      text: 'Sent',
      interaction: { kind: 'nfm_reply', title: 'Sent', response: { a: 1 } },
    });
  });

  it('unwraps ephemeral / view-once containers; unknown keys and empty content are unknown', () => {
    expect(one({ ephemeralMessage: { message: { viewOnceMessageV2: { message: { videoMessage: { mimetype: 'video/mp4', caption: 'c' } } } } } })).toEqual({
      ...base,
      type: 'video',
      providerType: 'videoMessage',
      text: 'c',
      media: { mimeType: 'video/mp4', caption: 'c' },
    });
    expect(one({ messageContextInfo: {}, hologramMessage: { x: 1 } })).toEqual({
      ...base,
      type: 'unknown',
      providerType: 'hologramMessage',
      text: null,
    });
    expect(one(undefined)).toEqual({ ...base, type: 'unknown', text: null });
  });

  it('messageBody is preferred as the text', () => {
    expect(one({ conversation: 'raw' }, KEY, { messageBody: 'flattened' }).text).toBe('flattened');
  });
});

describe('WASender people and chats', () => {
  it('a @lid chat with no phone field keeps the lid id as from, without a waId', () => {
    const event = one({ conversation: 'hi' }, { id: 'M1', fromMe: false, remoteJid: '123456789@lid' });
    expect(event.from).toBe('123456789');
    expect(event.contact).toEqual({});
  });

  it('senderPn is preferred over a @lid remoteJid', () => {
    const event = one({ conversation: 'hi' }, { id: 'M1', fromMe: false, remoteJid: '123456789@lid', senderPn: '5511999990009@s.whatsapp.net' });
    expect(event.from).toBe('5511999990009');
    expect(event.contact).toEqual({ waId: '5511999990009' });
  });

  it('our own group message: outbound, no from/to, the group id set', () => {
    const event = one({ conversation: 'hello all' }, { id: 'M1', fromMe: true, remoteJid: '120363000000000001@g.us', participant: '5511999990001@s.whatsapp.net' });
    expect(event).toMatchObject({ direction: 'outbound', from: null, to: null, groupId: '120363000000000001', contact: {} });
  });

  it('a newsletter post comes from the channel id (hyphens kept)', () => {
    const event = one({ conversation: 'news' }, { id: 'M1', fromMe: false, remoteJid: '123456789-987654321@newsletter' });
    expect(event).toMatchObject({ direction: 'inbound', from: '123456789-987654321', contact: {} });
    expect(event.groupId).toBeUndefined();
  });
});
