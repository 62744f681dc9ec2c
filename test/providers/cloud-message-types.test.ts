import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../src/event/types.js';
import { cloudEvents, expectedMessage, iso } from './cloud-helpers.js';

const business = { accountId: '102290129340398', phoneNumberId: '106540352242922', to: '15550783881' };
const sheena = { from: '16505551234', contact: { name: 'Sheena Nelson', waId: '16505551234' } };

function messages(name: string): Map<string, MessageEvent> {
  const map = new Map<string, MessageEvent>();
  for (const e of cloudEvents(name)) if (e.kind === 'message') map.set(e.messageId, e);
  return map;
}

describe('cloud messages: reactions, location, contacts, order, system, revoke, edit, unknown', () => {
  const m = messages('messages-other.json');
  const msg = (messageId: string, seconds: number, fields: Partial<MessageEvent> & Pick<MessageEvent, 'type' | 'providerType'>) =>
    expectedMessage(business, { ...sheena, messageId, occurredAt: iso(seconds), ...fields });

  it('every item becomes a message', () => {
    expect(m.size).toBe(15);
  });

  it('reaction, and un-react with an empty or a missing emoji → emoji null', () => {
    expect(m.get('wamid.REACT1')).toEqual(
      msg('wamid.REACT1', 1750000001, { type: 'reaction', providerType: 'reaction', reaction: { messageId: 'wamid.OUT1', emoji: '👍' } }),
    );
    expect(m.get('wamid.UNREACT1')).toEqual(
      msg('wamid.UNREACT1', 1750000002, { type: 'reaction', providerType: 'reaction', reaction: { messageId: 'wamid.OUT1', emoji: null } }),
    );
    expect(m.get('wamid.UNREACT2')).toEqual(
      msg('wamid.UNREACT2', 1750000003, { type: 'reaction', providerType: 'reaction', reaction: { messageId: 'wamid.OUT1', emoji: null } }),
    );
  });

  it('location with coordinates; placeholder coordinates are kept as data in details', () => {
    expect(m.get('wamid.LOC1')).toEqual(
      msg('wamid.LOC1', 1750000004, {
        type: 'location',
        providerType: 'location',
        location: {
          latitude: 37.4611978,
          longitude: -122.2164385,
          name: 'Facebook HQ',
          address: '1 Hacker Way, Menlo Park, CA 94025',
          url: 'https://maps.google.com/?cid=2000',
        },
      }),
    );
    expect(m.get('wamid.LOC2')).toEqual(
      msg('wamid.LOC2', 1750000005, {
        type: 'location',
        providerType: 'location',
        details: { location: { latitude: 'LOCATION_LATITUDE', longitude: 'LOCATION_LONGITUDE' } },
      }),
    );
  });

  it('contacts: the shared cards in details.contacts', () => {
    expect(m.get('wamid.CONTACTS1')).toEqual(
      msg('wamid.CONTACTS1', 1750000006, {
        type: 'contacts',
        providerType: 'contacts',
        details: {
          contacts: [
            { name: { first_name: 'Chandler', formatted_name: 'Chandler Bing' }, phones: [{ phone: '+1 555-555-5555', wa_id: '15555555555', type: 'CELL' }] },
          ],
        },
      }),
    );
  });

  it('order: details.order, the order text is the text', () => {
    expect(m.get('wamid.ORDER1')).toEqual(
      msg('wamid.ORDER1', 1750000007, {
        type: 'order',
        providerType: 'order',
        text: 'Love these!',
        details: {
          order: {
            catalog_id: '194836987003835',
            text: 'Love these!',
            product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' }],
          },
        },
      }),
    );
  });

  it('system: details.system, body is the text', () => {
    expect(m.get('wamid.SYSTEM1')).toEqual(
      msg('wamid.SYSTEM1', 1750000008, {
        type: 'system',
        providerType: 'system',
        text: 'User Sheena Nelson changed from 16505551234 to 12195555358',
        details: {
          system: { body: 'User Sheena Nelson changed from 16505551234 to 12195555358', wa_id: '12195555358', type: 'user_changed_number' },
        },
      }),
    );
  });

  it('revoke: the deleted message id in details', () => {
    expect(m.get('wamid.REVOKE1')).toEqual(
      msg('wamid.REVOKE1', 1750000009, { type: 'revoke', providerType: 'revoke', details: { originalMessageId: 'wamid.ORIGINAL1' } }),
    );
  });

  it('edit: the target id and the new message in details, the new text as text', () => {
    expect(m.get('wamid.EDIT1')).toEqual(
      msg('wamid.EDIT1', 1750000010, {
        type: 'edit',
        providerType: 'edit',
        text: 'Text was edited',
        details: { originalMessageId: 'wamid.ORIGINAL2', message: { type: 'text', text: { body: 'Text was edited' } } },
      }),
    );
  });

  it('unsupported: what Meta could not deliver in details, message-level errors classified', () => {
    expect(m.get('wamid.UNSUPPORTED1')).toEqual(
      msg('wamid.UNSUPPORTED1', 1750000011, {
        type: 'unsupported',
        providerType: 'unsupported',
        details: { unsupported: { type: 'edit' } },
        errors: [
          {
            code: '131051',
            title: 'Message type unknown',
            message: 'Message type unknown',
            details: 'Message type is currently not supported.',
            class: 'permanent',
          },
        ],
      }),
    );
  });

  it('new types (request_welcome, poll_vote) and "unknown" → type unknown with the raw providerType', () => {
    expect(m.get('wamid.WELCOME1')).toEqual(msg('wamid.WELCOME1', 1750000012, { type: 'unknown', providerType: 'request_welcome' }));
    expect(m.get('wamid.POLL1')).toEqual(
      msg('wamid.POLL1', 1750000015, { type: 'unknown', providerType: 'poll_vote', details: { poll_vote: { option: 2 } } }),
    );
    expect(m.get('wamid.UNKNOWN1')).toEqual(
      msg('wamid.UNKNOWN1', 1750000013, {
        type: 'unknown',
        providerType: 'unknown',
        errors: [{ code: '130501', title: 'Unsupported message type', details: 'Message type is not currently supported', class: 'unknown' }],
      }),
    );
  });

  it('a sample without "type" is typed by its content key; providerType stays empty', () => {
    expect(m.get('wamid.NOTYPE1')).toEqual(
      msg('wamid.NOTYPE1', 1750000014, { type: 'contacts', providerType: undefined, details: { contacts: [{ name: { formatted_name: 'Monica' } }] } }),
    );
  });
});

describe('cloud messages: context, referral, group, identity', () => {
  const m = messages('messages-context.json');
  const text = (messageId: string, seconds: number, body: string, fields: Partial<MessageEvent> = {}) =>
    expectedMessage(business, { ...sheena, messageId, occurredAt: iso(seconds), type: 'text', providerType: 'text', text: body, ...fields });

  it('reply context', () => {
    expect(m.get('wamid.REPLY1')).toEqual(
      text('wamid.REPLY1', 1750100001, 'replied text', { context: { messageId: 'wamid.OUT7', from: '15550783881' } }),
    );
  });

  it('forwarded and frequently forwarded', () => {
    expect(m.get('wamid.FWD1')).toEqual(text('wamid.FWD1', 1750100002, 'forwarded', { context: { forwarded: true } }));
    expect(m.get('wamid.FWD2')).toEqual(
      text('wamid.FWD2', 1750100003, 'forwarded many times', { context: { frequentlyForwarded: true } }),
    );
  });

  it('referred product (catalog enquiry)', () => {
    expect(m.get('wamid.ENQUIRY1')).toEqual(
      text('wamid.ENQUIRY1', 1750100004, 'Is this still available?', {
        context: {
          messageId: 'wamid.PRODUCT1',
          from: '15550783881',
          referredProduct: { catalogId: '194836987003835', productRetailerId: 'di9ozbzfi4' },
        },
      }),
    );
  });

  it('click-to-WhatsApp referral in camelCase', () => {
    expect(m.get('wamid.CTWA1')).toEqual(
      text('wamid.CTWA1', 1750100005, 'Can I get more info about this?', {
        referral: {
          sourceUrl: 'https://fb.me/3cr4Wqqkv',
          sourceId: '120226305854810726',
          sourceType: 'ad',
          body: 'Summer Succulents are here!',
          headline: 'Chat with us',
          mediaType: 'video',
          videoUrl: 'https://video.xx.fbcdn.net/v/t42.1',
          thumbnailUrl: 'https://scontent.xx.fbcdn.net/v/t45.2',
          ctwaClid: 'Aff-n8ZTODiE79d22KtAwQKj9e',
        },
      }),
    );
  });

  it('group_id → groupId; identity change notice kept in details', () => {
    expect(m.get('wamid.GROUP1')).toEqual(text('wamid.GROUP1', 1750100006, 'Hello group', { groupId: '120363025246125486' }));
    expect(m.get('wamid.IDENTITY1')).toEqual(
      text('wamid.IDENTITY1', 1750100007, 'Hi from my new phone', {
        details: { identity: { acknowledged: true, created_timestamp: 1750100000000, hash: 'Sjvjlx8G6Z0=' } },
      }),
    );
  });
});

describe('cloud messages: who sent it (phone numbers and business-scoped user ids)', () => {
  const m = messages('contacts-bsuid.json');

  it('BSUID-only sender: from null, contact matched by user_id among several contacts', () => {
    expect(m.get('wamid.BSUID1')).toEqual(
      expectedMessage(business, {
        messageId: 'wamid.BSUID1',
        occurredAt: iso(1750200001),
        type: 'text',
        providerType: 'text',
        text: 'Hello from a username',
        from: null,
        contact: { name: 'Kerry Fisher', userId: 'US.1234' },
      }),
    );
  });

  it('phone sender matched by wa_id among several contacts', () => {
    expect(m.get('wamid.PHONE1')).toEqual(
      expectedMessage(business, {
        messageId: 'wamid.PHONE1',
        occurredAt: iso(1750200002),
        type: 'text',
        providerType: 'text',
        text: 'Olá',
        from: '5511999990002',
        contact: { name: 'Ana Lima', waId: '5511999990002', userId: 'US.9999' },
      }),
    );
  });

  it('no from and a contact without wa_id: from null, the single contact is the sender', () => {
    expect(m.get('wamid.NOFROM1')).toEqual(
      expectedMessage(business, {
        messageId: 'wamid.NOFROM1',
        occurredAt: iso(1750200003),
        type: 'text',
        providerType: 'text',
        text: 'Hello without from',
        from: null,
        contact: { name: 'No Wa Id', userId: 'US.4321' },
      }),
    );
  });

  it('no contacts array: empty contact, from reduced to digits', () => {
    expect(m.get('wamid.NOCONTACT1')).toEqual(
      expectedMessage(business, {
        messageId: 'wamid.NOCONTACT1',
        occurredAt: iso(1750200004),
        type: 'text',
        providerType: 'text',
        text: 'No contacts array',
        from: '447700900123',
        contact: {},
      }),
    );
  });
});
