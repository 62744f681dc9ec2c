import { describe, expect, it } from 'vitest';
import { eventSchema } from '../../src/event/schema.js';
import type { MessageEvent } from '../../src/event/types.js';
import { cloudEvents, expectedMessage, iso } from './cloud-helpers.js';

const business = { accountId: '102290129340398', phoneNumberId: '106540352242922', to: '15550783881' };
const sheena = { from: '16505551234', contact: { name: 'Sheena Nelson', waId: '16505551234' } };

function byId(events: ReturnType<typeof cloudEvents>): Map<string, MessageEvent> {
  const map = new Map<string, MessageEvent>();
  for (const e of events) if (e.kind === 'message') map.set(e.messageId, e);
  return map;
}

describe('cloud messages: media', () => {
  const events = cloudEvents('messages-media.json');
  const m = byId(events);
  const at = (s: number) => iso(s);

  it('emits one message per item, in order, all valid events', () => {
    expect(events.map((e) => (e.kind === 'message' ? e.messageId : e.kind))).toEqual([
      'wamid.IMAGE1', 'wamid.VIDEO1', 'wamid.DOC1', 'wamid.AUDIO1', 'wamid.VOICENOTE1', 'wamid.STICKER1', 'wamid.VOICE-ONPREM1',
    ]);
    for (const e of events) expect(eventSchema.parse(e)).toEqual(e);
  });

  it('image: caption becomes text, url kept, business display number reduced to digits', () => {
    expect(m.get('wamid.IMAGE1')).toEqual(
      expectedMessage(
        { ...business, to: '15550783881' },
        {
          ...sheena,
          messageId: 'wamid.IMAGE1',
          occurredAt: at(1744344496),
          type: 'image',
          providerType: 'image',
          text: 'Taj Mahal',
          media: {
            id: '1003383421387256',
            url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1003383421387256',
            mimeType: 'image/jpeg',
            sha256: 'SfInY0gGKTsJlUWbwxC1k+FAD0FZHvzwfpvO0zX0GUI=',
            caption: 'Taj Mahal',
          },
        },
      ),
    );
  });

  it('video without caption: text null, file_size kept', () => {
    expect(m.get('wamid.VIDEO1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.VIDEO1',
        occurredAt: at(1744344497),
        type: 'video',
        providerType: 'video',
        media: { id: '661828760183585', mimeType: 'video/mp4', sha256: 'waIq5BBe5Ggj', fileSize: 1048576 },
      }),
    );
  });

  it('document: filename and caption', () => {
    expect(m.get('wamid.DOC1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.DOC1',
        occurredAt: at(1744344498),
        type: 'document',
        providerType: 'document',
        text: 'Q3 invoice',
        media: {
          id: '848704520347750',
          mimeType: 'application/pdf',
          sha256: 'mu/J5jGsroQM3Tbn',
          filename: 'invoice-q3.pdf',
          caption: 'Q3 invoice',
        },
      }),
    );
  });

  it('audio with voice:false stays audio; voice:true becomes a voice note', () => {
    expect(m.get('wamid.AUDIO1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.AUDIO1',
        occurredAt: at(1744344499),
        type: 'audio',
        providerType: 'audio',
        media: { id: '1234567890987654321', mimeType: 'audio/mpeg', sha256: 'E3dxS/PdYZE7', voice: false },
      }),
    );
    expect(m.get('wamid.VOICENOTE1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.VOICENOTE1',
        occurredAt: at(1744344500),
        type: 'voice',
        providerType: 'audio',
        media: { id: '827776106019109', mimeType: 'audio/ogg; codecs=opus', sha256: 'iWa0+O81ZLcS', voice: true },
      }),
    );
  });

  it('animated sticker', () => {
    expect(m.get('wamid.STICKER1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.STICKER1',
        occurredAt: at(1744344501),
        type: 'sticker',
        providerType: 'sticker',
        media: { id: '1604825680670873', mimeType: 'image/webp', sha256: 'pBKxk2Fu9', animated: true },
      }),
    );
  });

  it('On-Premises style "voice" type with a local file path: a voice note, the path is not a URL', () => {
    expect(m.get('wamid.VOICE-ONPREM1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.VOICE-ONPREM1',
        occurredAt: at(1744344502),
        type: 'voice',
        providerType: 'voice',
        media: { id: 'id_voice', mimeType: 'audio/ogg; codecs=opus', sha256: 'fa9e1807d936', voice: true },
      }),
    );
  });
});

describe('cloud messages: interactive and buttons', () => {
  const m = byId(cloudEvents('messages-interactive.json'));

  it('button_reply: interaction with id and title, title is the text, reply context kept', () => {
    expect(m.get('wamid.BUTTONREPLY1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.BUTTONREPLY1',
        occurredAt: iso(1750025136),
        type: 'interactive',
        providerType: 'interactive',
        text: 'Cancel',
        interaction: { kind: 'button_reply', id: 'cancel-button', title: 'Cancel' },
        context: { messageId: 'wamid.ASK1', from: '15550783881' },
      }),
    );
  });

  it('list_reply keeps the description', () => {
    expect(m.get('wamid.LISTREPLY1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.LISTREPLY1',
        occurredAt: iso(1750025137),
        type: 'interactive',
        providerType: 'interactive',
        text: 'Priority Mail Express',
        interaction: { kind: 'list_reply', id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' },
      }),
    );
  });

  it('nfm_reply with valid response_json: parsed response, name/body in details, body is the text', () => {
    expect(m.get('wamid.FLOW1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.FLOW1',
        occurredAt: iso(1750025138),
        type: 'interactive',
        providerType: 'interactive',
        text: 'Sent',
        interaction: { kind: 'nfm_reply', response: { flow_token: 'fl0w-t0k3n', first_name: 'Bob', age: '32' } },
        details: { name: 'flow', body: 'Sent' },
      }),
    );
  });

  it('nfm_reply with invalid response_json: the raw string, no throw', () => {
    expect(m.get('wamid.FLOW2')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.FLOW2',
        occurredAt: iso(1750025139),
        type: 'interactive',
        providerType: 'interactive',
        text: 'Sent',
        interaction: { kind: 'nfm_reply', response: '{not json' },
        details: { name: 'flow', body: 'Sent' },
      }),
    );
  });

  it('template quick-reply button: quick_reply interaction with payload, title = text', () => {
    expect(m.get('wamid.QUICKREPLY1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.QUICKREPLY1',
        occurredAt: iso(1750025140),
        type: 'button',
        providerType: 'button',
        text: 'No',
        interaction: { kind: 'quick_reply', payload: 'No-Button-Payload', title: 'No' },
        context: { messageId: 'wamid.TEMPLATE1', from: '15550783881' },
      }),
    );
  });

  it('an interactive subtype we do not model keeps its raw object in details', () => {
    expect(m.get('wamid.CALLPERM1')).toEqual(
      expectedMessage(business, {
        ...sheena,
        messageId: 'wamid.CALLPERM1',
        occurredAt: iso(1750025141),
        type: 'interactive',
        providerType: 'interactive',
        details: {
          interactive: {
            type: 'call_permission_reply',
            call_permission_reply: { response: 'accept', expiration_timestamp: 1753186982 },
          },
        },
      }),
    );
  });
});
