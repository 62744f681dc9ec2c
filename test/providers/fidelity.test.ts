import { describe, expect, it } from 'vitest';
import { computeFunnel } from '../../src/analytics/memory-funnel.js';
import { eventSchema } from '../../src/event/schema.js';
import type { CanonicalEvent, MessageEvent, NotificationEvent, StatusEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import { applyEvent } from '../../src/state/merge.js';
import { present } from '../../src/state/present.js';
import type { DeliveryState } from '../../src/state/state.js';
import { ownFixture } from '../helpers/fixtures.js';
import { cloudEvents, iso, RECEIVED_AT } from './cloud-helpers.js';

/*
 * Normalizer fidelity (issue 12): what real webhook bodies hold must reach the events, with the
 * right people and the right times. Each block names the case it guards.
 */

const messages = (events: CanonicalEvent[]) => events.filter((e): e is MessageEvent => e.kind === 'message');
const statuses = (events: CanonicalEvent[]) => events.filter((e): e is StatusEvent => e.kind === 'status');
const notifications = (events: CanonicalEvent[]) => events.filter((e): e is NotificationEvent => e.kind === 'notification');

describe('a change without `field` is read by its content', () => {
  const events = cloudEvents('no-field.json');

  it('messages and statuses inside it become message and status events', () => {
    expect(messages(events).map((m) => [m.messageId, m.text, m.contact.name])).toEqual([['wamid.NOFIELD1', 'relayed without field', 'Sheena Nelson']]);
    expect(statuses(events).map((s) => [s.messageId, s.status])).toEqual([['wamid.NOFIELD2', 'delivered']]);
  });

  it('a field-less change with neither stays an `unknown` notification; a change without value has data null', () => {
    const rest = notifications(events);
    expect(rest.map((n) => [n.topic, n.data])).toEqual([
      ['unknown', { event: 'VERIFIED_ACCOUNT', phone_number: '15550783881' }],
      ['account_update', null],
    ]);
    // The event must survive a JSON round trip (a queue, a file) and still validate.
    for (const event of events) expect(eventSchema.parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });
});

describe('contacts[] are matched to the message by wa_id', () => {
  const byId = new Map(messages(cloudEvents('lone-contact.json')).map((m) => [m.messageId, m]));

  it('a lone contact naming another number is not attached to the sender (and is kept as a notification)', () => {
    const m = byId.get('wamid.LONE1');
    expect(m?.from).toBe('16505551234');
    expect(m?.contact).toEqual({});
    const kept = notifications(cloudEvents('lone-contact.json')).filter((n) => n.topic === 'contacts');
    expect(kept.map((n) => n.data)).toEqual([[{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }]]);
  });

  it('the lone contact is used when it has no wa_id, or the message has no from', () => {
    expect(byId.get('wamid.LONE2')?.contact).toEqual({ name: 'No Number', userId: 'US.13491208655302741918' });
    expect(byId.get('wamid.LONE3')?.contact).toEqual({ name: 'Bsuid User', waId: '16505559999', userId: 'US.1' });
    expect(byId.get('wamid.LONE3')?.from).toBe('16505559999');
  });

  it('in a batch of many senders each contact goes to its message; only the unmatched one is kept (past 30 too)', () => {
    const n = 34;
    const contacts = Array.from({ length: n }, (_, i) => ({ profile: { name: `P${i}` }, wa_id: String(1000 + i) }));
    const msgs = Array.from({ length: n }, (_, i) => ({ from: String(1000 + i), id: `wamid.M${i}`, timestamp: '1750000000', type: 'text', text: { body: 'x' } }))
      .filter((_, i) => i !== 31);
    const body = { object: 'whatsapp_business_account', entry: [{ id: 'W', changes: [{ field: 'messages', value: { contacts, messages: msgs } }] }] };
    const events = normalize(body, { receivedAt: RECEIVED_AT }).events;
    for (const m of messages(events)) expect(m.contact.name).toBe(`P${Number(m.from) - 1000}`);
    expect(notifications(events).map((e) => e.data)).toEqual([[contacts[31]]]);
  });

  it('a wa_id spelled with + and spaces still matches the sender', () => {
    expect(byId.get('wamid.LONE4')?.contact).toEqual({ name: 'Plus Sign', waId: '16505551234' });
  });
});

describe('Coexistence: messages sent from the WhatsApp Business app', () => {
  const events = cloudEvents('smb-message-echoes.json');

  it('smb_message_echoes items become outbound messages, business number as from, customer as to', () => {
    expect(events.map((e) => e.kind)).toEqual(['message', 'message']);
    const [text, image] = messages(events);
    expect(text).toEqual({
      schemaVersion: 1,
      id: 'cloud:message:wamid.ECHO1',
      kind: 'message',
      provider: 'cloud',
      accountId: '102290129340398',
      phoneNumberId: '106540352242922',
      occurredAt: iso(1750000100),
      receivedAt: RECEIVED_AT,
      messageId: 'wamid.ECHO1',
      direction: 'outbound',
      from: '15550783881',
      to: '16505551234',
      contact: { name: 'Sheena Nelson', waId: '16505551234', userId: 'US.13491208655302741918' },
      type: 'text',
      providerType: 'text',
      text: 'Sent from the WhatsApp Business app',
    });
    expect(image).toMatchObject({ direction: 'outbound', type: 'image', text: 'catalog', messageId: 'wamid.ECHO2' });
  });

  it('an echo is followed like any sent message: its statuses key on the same message id', () => {
    const echo = messages(events)[0] as MessageEvent;
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { statuses: [{ id: 'wamid.ECHO1', status: 'read', timestamp: '1750000200', recipient_id: '16505551234' }] } }] }],
    };
    const [status] = statuses(normalize(body, { receivedAt: RECEIVED_AT }).events);
    expect(status?.messageId).toBe(echo.messageId);
    expect(status?.recipientId).toBe(echo.to);
  });

  it('smb_app_state_sync, history and user_preferences stay notifications holding their items, timed by them', () => {
    const sync = cloudEvents('coexistence-sync.json');
    expect(sync.map((e) => [e.kind, (e as NotificationEvent).topic])).toEqual([
      ['notification', 'smb_app_state_sync'],
      ['notification', 'history'],
      ['notification', 'user_preferences'],
    ]);
    const [state, history, prefs] = notifications(sync);
    expect((state?.data as { state_sync: unknown[] }).state_sync).toHaveLength(1);
    expect((history?.data as { history: unknown[] }).history).toHaveLength(1);
    expect(state?.occurredAt).toBe(iso(1750000200));
    expect(prefs?.occurredAt).toBe(iso(1750000300));
    expect(state).not.toHaveProperty('occurredAtEstimated');
    // History's items carry no time at their top: the receive time, marked as such.
    expect(history?.occurredAt).toBe(RECEIVED_AT);
    expect(history?.occurredAtEstimated).toBe(true);
  });
});

describe('nothing inside a messages change is dropped', () => {
  const events = cloudEvents('messages-extra-arrays.json', true);

  it('calls and unknown arrays become notifications on their key; echoes become outbound messages', () => {
    expect(events.map((e) => [e.kind, e.kind === 'notification' ? e.topic : e.kind === 'message' ? e.direction : ''])).toEqual([
      ['message', 'inbound'],
      ['message', 'outbound'],
      ['notification', 'calls'],
      ['notification', 'future_things'],
    ]);
    const [calls, future] = notifications(events);
    expect(calls?.data).toEqual([
      { id: 'wacid.CALL1', from: '16505551234', to: '15550783881', event: 'connect', direction: 'USER_INITIATED', timestamp: '1750000005' },
    ]);
    expect(calls?.occurredAt).toBe(iso(1750000005));
    expect(future?.data).toEqual([{ what: 'a key this version does not know' }]);
  });

  it('contacts sent as a lone object, and On-Premises top-level keys of their own, are kept as notifications', () => {
    const contact = { profile: { name: 'Stray' }, wa_id: '16505550000' };
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field: 'messages', value: { contacts: contact, statuses: [{ id: 'wamid.S', status: 'sent', timestamp: '1750000000', recipient_id: '1' }] } }] }],
    };
    const cloud = notifications(normalize(body, { receivedAt: RECEIVED_AT }).events);
    expect(cloud.map((n) => [n.topic, n.data])).toEqual([['contacts', contact]]);
    const onprem = normalize({ statuses: [{ id: 'gBG1', status: 'read', timestamp: '1602535356', recipient_id: '1' }], meta: { api_status: 'stable' } }, { receivedAt: RECEIVED_AT });
    expect(notifications(onprem.events).map((n) => [n.topic, n.data])).toEqual([['meta', { api_status: 'stable' }]]);
  });
});

describe('times', () => {
  const events = cloudEvents('times-and-small.json');
  const [sent, delivered] = statuses(events);

  it('a status without timestamp gets the receive time, marked occurredAtEstimated; one with a timestamp is not marked', () => {
    expect(sent?.occurredAt).toBe(iso(1750000000));
    expect(sent).not.toHaveProperty('occurredAtEstimated');
    expect(delivered?.occurredAt).toBe(RECEIVED_AT);
    expect(delivered?.occurredAtEstimated).toBe(true);
  });

  it('a status without timestamp does not feed the delivered time or the latency percentiles', () => {
    let state: DeliveryState | null = null;
    for (const s of [sent, delivered] as StatusEvent[]) state = applyEvent(state, s);
    const shown = present(state as DeliveryState);
    expect(shown.status).toBe('delivered');
    expect(shown.estimatedTimes).toContain('deliveredAt');
    const q = { fromMs: 0, toMs: Date.parse('2100-01-01T00:00:00.000Z'), failedPolicy: 'delivery-wins' as const };
    const report = computeFunnel([state as DeliveryState], [], [], q);
    expect(report.delivered).toBe(1);
    expect(report.latency.sentToDelivered.count).toBe(0);

    // The same pair with a provider time for delivered does feed it: the exclusion is the estimate's doing.
    const timed = { ...(delivered as StatusEvent), occurredAt: iso(1750000030) };
    delete timed.occurredAtEstimated;
    const withTime = applyEvent(applyEvent(null, sent as StatusEvent), timed);
    expect(computeFunnel([withTime], [], [], q).latency.sentToDelivered.count).toBe(1);
  });

  it('a calls change is timed by its call, not by the receive time', () => {
    const calls = notifications(events).find((n) => n.topic === 'calls');
    expect(calls?.occurredAt).toBe(iso(1750000400));
    expect(calls).not.toHaveProperty('occurredAtEstimated');
  });

  it('WASender: a notification without envelope timestamp uses its item time; a status without any time is estimated', () => {
    const call = normalize(ownFixture('wasender/no-envelope-timestamp.json'), { receivedAt: RECEIVED_AT }).events[0];
    expect(call?.occurredAt).toBe('2025-09-22T21:34:00.000Z');
    expect(call).not.toHaveProperty('occurredAtEstimated');
    const update = normalize(ownFixture('wasender/update-no-timestamp.json'), { receivedAt: RECEIVED_AT }).events[0];
    expect(update).toMatchObject({ kind: 'status', status: 'delivered', occurredAt: RECEIVED_AT, occurredAtEstimated: true });
  });
});

describe('small ones', () => {
  it('pricing.billable sent as the string "True" is read as a boolean', () => {
    const [, delivered] = statuses(cloudEvents('times-and-small.json'));
    expect(delivered?.pricing).toEqual({ billable: true, model: 'PMP', category: 'utility', type: 'regular' });
  });

  it('a notification of a change without value has data null and validates after a JSON round trip', () => {
    const review = notifications(cloudEvents('times-and-small.json')).find((n) => n.topic === 'account_review_update');
    expect(review?.data).toBeNull();
    expect(eventSchema.parse(JSON.parse(JSON.stringify(review)))).toEqual(review);
  });

  it('providerType is absent when the type was inferred from the content', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [{ id: 'W', changes: [{ field: 'messages', value: { messages: [{ from: '1', id: 'wamid.INFER', timestamp: '1750000000', text: { body: 'no type' } }] } }] }],
    };
    const [m] = messages(normalize(body, { receivedAt: RECEIVED_AT }).events);
    expect(m?.type).toBe('text');
    expect(m).not.toHaveProperty('providerType');
    const wasender = messages(normalize({ event: 'messages.upsert', timestamp: 1750000000000, data: { key: { id: 'X', remoteJid: '1@s.whatsapp.net' } } }, { receivedAt: RECEIVED_AT }).events)[0];
    expect(wasender?.type).toBe('unknown');
    expect(wasender).not.toHaveProperty('providerType');
  });
});
