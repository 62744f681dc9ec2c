import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import type { MessageEvent, NotificationEvent, StatusEvent } from '../../src/event/types.js';
import { createRedactor, maskId } from '../../src/privacy/redact.js';

const base = {
  schemaVersion: 1 as const,
  accountId: '102290129340398',
  phoneNumberId: '106540352242922',
  occurredAt: '2025-06-16T00:00:00.000Z',
  receivedAt: '2026-01-01T00:00:00.000Z',
};

const message: MessageEvent = {
  ...base,
  id: 'cloud:message:wamid.1',
  kind: 'message',
  provider: 'cloud',
  messageId: 'wamid.1',
  direction: 'inbound',
  from: '5511999990002',
  to: '15550783881',
  contact: { name: 'Sheena Nelson', waId: '5511999990002' },
  type: 'image',
  providerType: 'image',
  text: 'my address is 5 Main St, call +5511999990002',
  media: { id: 'media-1', url: 'https://lookaside.example/1', mimeType: 'image/jpeg', sha256: 'abc', caption: 'my address is 5 Main St, call +5511999990002' },
  context: { messageId: 'wamid.0', from: '5511999990002' },
  location: { latitude: -23.5, longitude: -46.6, name: 'Home' },
  raw: { from: '5511999990002', profile: { name: 'Sheena Nelson' } },
};

const status: StatusEvent = {
  ...base,
  id: 'cloud:status:wamid.2:5511999990002:5511888880001:read',
  kind: 'status',
  provider: 'cloud',
  messageId: 'wamid.2',
  recipientId: '120363040000000000',
  participantId: '5511888880001',
  status: 'read',
  providerStatus: 'read',
  errors: [],
};

const notification: NotificationEvent = {
  ...base,
  id: 'wasender:notification:x',
  kind: 'notification',
  provider: 'wasender',
  topic: 'contacts.upsert',
  data: { id: '5511999990002@s.whatsapp.net', name: 'Sheena', notify: 'Sheena N', status: 'online', count: 3 },
};

const ALL_NUMBERS = /5511999990002|5511888880001|120363040000000000/;

describe('createRedactor()', () => {
  it('masks every phone number, keeping the first 4 and last 2 digits', () => {
    const redact = createRedactor({ phone: 'mask' });
    const m = redact(message) as MessageEvent;
    expect(m.from).toBe('5511*******02');
    expect(m.contact.waId).toBe('5511*******02');
    expect(m.context?.from).toBe('5511*******02');
    expect(m.text).toBe('my address is 5 Main St, call 5511*******02');
    const s = redact(status) as StatusEvent;
    expect(s.recipientId).toBe('1203************00');
    expect(s.participantId).toBe('5511*******01');
    for (const event of [m, s, redact(notification)]) expect(JSON.stringify(event)).not.toMatch(ALL_NUMBERS);
  });

  it('hashes numbers with an HMAC so they still join across events', () => {
    const a = createRedactor({ phone: 'hash', hashSecret: 'k1' });
    const b = createRedactor({ phone: 'hash', hashSecret: 'k2' });
    const m = a(message) as MessageEvent;
    expect(m.from).toMatch(/^h:[0-9a-f]{20}$/);
    expect(m.contact.waId).toBe(m.from);
    const spaced = a({ ...status, participantId: '+55 11 88888-0001' }) as StatusEvent;
    expect((a(status) as StatusEvent).participantId).toBe(spaced.participantId);
    expect((b(message) as MessageEvent).from).not.toBe(m.from);
    expect(JSON.stringify(m)).not.toMatch(ALL_NUMBERS);
  });

  it('refuses hash mode without a secret', () => {
    expect(() => createRedactor({ phone: 'hash' })).toThrow(ConfigError);
  });

  it('drops texts, captions, locations and raw items', () => {
    const m = createRedactor({ text: 'drop' })(message) as MessageEvent;
    expect(m.text).toBeNull();
    expect(m.media?.caption).toBeUndefined();
    expect(m.location).toBeUndefined();
    expect(m.raw).toBeUndefined();
    expect(m.from).toBe('5511999990002');
  });

  it('drops media handles but keeps the type information', () => {
    const m = createRedactor({ media: 'drop' })(message) as MessageEvent;
    expect(m.media).toEqual({ mimeType: 'image/jpeg', caption: message.media?.caption });
  });

  it('drops names, including inside free-form notification data', () => {
    const redact = createRedactor({ names: 'drop' });
    expect((redact(message) as MessageEvent).contact).toEqual({ waId: '5511999990002' });
    expect((redact(notification) as NotificationEvent).data).toEqual({
      id: '5511999990002@s.whatsapp.net',
      name: '[redacted]',
      notify: '[redacted]',
      status: 'online',
      count: 3,
    });
  });

  it('never mutates its input and is the identity when everything is kept', () => {
    const before = structuredClone(message);
    createRedactor({ phone: 'mask', text: 'drop', media: 'drop', names: 'drop' })(message);
    expect(message).toEqual(before);
    expect(createRedactor({})(message)).toBe(message);
  });
});

describe('maskId()', () => {
  it('keeps 4 + 2 characters, stars the rest, hides short ids entirely', () => {
    expect(maskId('5511999990002')).toBe('5511*******02');
    expect(maskId('123456')).toBe('******');
  });
});

describe('createRedactor() on event ids', () => {
  it('keeps ids unique and deterministic while hiding the numbers they embed', () => {
    const other = { ...status, id: 'cloud:status:wamid.2:5511999990002:5511777770001:read', participantId: '5511777770001' };
    for (const policy of [{ phone: 'mask' as const }, { phone: 'mask' as const, hashSecret: 's' }, { phone: 'hash' as const, hashSecret: 's' }]) {
      const redact = createRedactor(policy);
      const a = redact(status).id;
      const b = redact(other).id;
      expect(a).not.toMatch(ALL_NUMBERS);
      expect(a).not.toBe(b);
      expect(redact(status).id).toBe(a);
    }
    // With a secret, two processes (two redactors) agree on the rewritten id.
    expect(createRedactor({ phone: 'mask', hashSecret: 's' })(status).id).toBe(createRedactor({ phone: 'mask', hashSecret: 's' })(status).id);
  });
});

describe('createRedactor() on group ids and mentions', () => {
  it('masks the creator number of legacy group ids and every mentioned number', () => {
    const group: MessageEvent = { ...message, groupId: '5511999990002-1633456799', context: { mentions: ['5511888880001'] } };
    const m = createRedactor({ phone: 'mask' })(group) as MessageEvent;
    expect(m.groupId).toBe('5511*******02-1633****99');
    expect(m.context?.mentions).toEqual(['5511*******01']);
  });
});
