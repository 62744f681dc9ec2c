import { describeIf } from '../helpers/services.js';
/**
 * The CloudEvents formatter against the official CloudEvents JavaScript SDK (`cloudevents`): every
 * event of every real fixture becomes a CloudEvent the SDK validates strictly, and the HTTP and
 * AMQP attribute mappings follow the bindings.
 */
import { CloudEvent as SdkCloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/normalize.js';
import type { CanonicalEvent, MessageEvent, NotificationEvent } from '../../src/event/types.js';
import {
  cloudEventAmqpProperties,
  cloudEventHttpHeaders,
  cloudEventType,
  defaultCloudEventSource,
  eventRoute,
  percentEncodeHeaderValue,
  toCloudEvent,
} from '../../src/sinks/cloudevents.js';
import { createFormatter } from '../../src/sinks/format.js';
import { hasSharedFixtures, invalidByDesign, sharedFixtures } from '../helpers/fixtures.js';
import { makeEvents } from './helpers.js';

const status = makeEvents(1)[0]!;
const base = { schemaVersion: 1 as const, provider: 'wasender' as const, accountId: null, phoneNumberId: null, occurredAt: '2024-05-01T10:00:00.000Z', receivedAt: '2024-05-01T10:00:01.000Z' };
const message: MessageEvent = {
  ...base,
  id: 'wasender:message:ABC',
  kind: 'message',
  messageId: 'ABC',
  direction: 'inbound',
  from: '5511',
  to: null,
  contact: {},
  type: 'interactive',
  providerType: 'interactive',
  text: null,
};
const notification: NotificationEvent = { ...base, id: 'wasender:notification:1', kind: 'notification', topic: 'messages.upsert', data: {} };

describe('CloudEvents types and routes', () => {
  it('type = com.bluetick.<route>: status by status, message by type, error, notification by topic', () => {
    expect(cloudEventType(status)).toBe('com.bluetick.status.delivered');
    expect(cloudEventType({ ...status, status: 'failed' })).toBe('com.bluetick.status.failed');
    expect(cloudEventType(message)).toBe('com.bluetick.message.interactive');
    expect(cloudEventType({ ...base, id: 'x', kind: 'error', errors: [] })).toBe('com.bluetick.error');
    expect(cloudEventType(notification)).toBe('com.bluetick.notification.messages.upsert');
    expect(cloudEventType({ ...notification, topic: 'message_template_status_update' })).toBe('com.bluetick.notification.message_template_status_update');
  });

  it('routes are safe dotted names: odd topic characters become _, empty tokens vanish', () => {
    expect(eventRoute({ ...notification, topic: 'a b*c>..#d' })).toBe('notification.a_b_c_._d');
    expect(eventRoute({ ...notification, topic: '' })).toBe('notification.unknown');
    expect(eventRoute({ ...notification, topic: 'x'.repeat(500) }).length).toBeLessThan(255);
  });

  it('source: bluetick://<provider>/<accountId> by default (encoded), without the account when unknown; configurable', () => {
    expect(defaultCloudEventSource(status)).toBe('bluetick://cloud/waba-1');
    expect(defaultCloudEventSource(message)).toBe('bluetick://wasender');
    expect(defaultCloudEventSource({ ...status, accountId: 'a/b c' })).toBe('bluetick://cloud/a%2Fb%20c');
    expect(toCloudEvent(status, { source: 'https://wa.example.com' }).source).toBe('https://wa.example.com');
    expect(toCloudEvent(status, { source: (e) => `urn:wa:${e.provider}` }).source).toBe('urn:wa:cloud');
    expect(() => toCloudEvent(status, { source: () => '' })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => createFormatter({ format: 'cloudevents', cloudEvents: { source: '' } }, 'test')).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });

  it('subject is the message id of message and status events, absent for the others', () => {
    expect(toCloudEvent(status).subject).toBe(status.messageId);
    expect(toCloudEvent(message).subject).toBe('ABC');
    expect('subject' in toCloudEvent(notification)).toBe(false);
  });
});

describeIf(hasSharedFixtures, 'the shared fixtures folder ../shared/fixtures is absent (CI always has it)', 'every event of every real fixture is a valid CloudEvent (official SDK, strict)', () => {
  const skip = invalidByDesign();
  const events: CanonicalEvent[] = [];
  for (const f of sharedFixtures()) {
    if (skip.has(f.name)) continue;
    try {
      events.push(...normalize(f.text, { provider: f.provider }).events);
    } catch {
      // Bodies normalize() refuses are covered by the normalize tests.
    }
  }

  it('validates, round-trips through the SDK structured HTTP mode, and keeps the canonical event as data', () => {
    expect(events.length).toBeGreaterThan(100);
    const kinds = new Set<string>();
    for (const event of events) {
      const ce = toCloudEvent(event);
      kinds.add(event.kind);
      const sdk = new SdkCloudEvent({ ...ce }, true);
      expect(sdk.validate()).toBe(true);
      expect(ce.id).toBe(event.id);
      expect(ce.time).toBe(event.occurredAt);
      expect(ce.type.startsWith('com.bluetick.')).toBe(true);
      const parsed = HTTP.toEvent({ headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' }, body: JSON.stringify(ce) }) as SdkCloudEvent<unknown>;
      expect(parsed.id).toBe(event.id);
      expect(parsed.type).toBe(ce.type);
      expect(parsed.data).toEqual(JSON.parse(JSON.stringify(event)));
    }
    expect([...kinds].sort()).toEqual(['error', 'message', 'notification', 'status']);
  });

  it('binary-mode headers parse back through the SDK into the same attributes', () => {
    for (const event of events.slice(0, 200)) {
      const ce = toCloudEvent(event);
      const parsed = HTTP.toEvent({ headers: cloudEventHttpHeaders(ce), body: JSON.stringify(event) }) as SdkCloudEvent<unknown>;
      // ASCII attributes need no percent-encoding, so the SDK reads them as they are.
      if (/^[\x21-\x7e]*$/.test(ce.source + ce.id + (ce.subject ?? '')) && !/[%"]/.test(ce.source + ce.id + (ce.subject ?? ''))) {
        expect({ id: parsed.id, source: parsed.source, type: parsed.type, subject: parsed.subject, time: parsed.time }).toEqual({
          id: ce.id,
          source: ce.source,
          type: ce.type,
          subject: ce.subject,
          time: ce.time,
        });
      }
      expect(parsed.datacontenttype).toBe('application/json');
      expect(parsed.data).toEqual(JSON.parse(JSON.stringify(event)));
    }
  });
});

describe('protocol binding mappings', () => {
  it('HTTP header values are percent-encoded as the binding specifies (its own example)', () => {
    expect(percentEncodeHeaderValue('Euro € 😀')).toBe('Euro%20%E2%82%AC%20%F0%9F%98%80');
    expect(percentEncodeHeaderValue('a"b%c')).toBe('a%22b%25c');
    expect(percentEncodeHeaderValue('wamid.X:read:1555')).toBe('wamid.X:read:1555');
  });

  it('HTTP binary headers: ce-<attribute>, datacontenttype as content-type, no data', () => {
    const headers = cloudEventHttpHeaders(toCloudEvent(status));
    expect(headers).toEqual({
      'ce-specversion': '1.0',
      'ce-id': status.id,
      'ce-source': 'bluetick://cloud/waba-1',
      'ce-type': 'com.bluetick.status.delivered',
      'ce-time': status.occurredAt,
      'ce-subject': status.messageId,
      'content-type': 'application/json',
    });
  });

  it('AMQP application properties: cloudEvents_<attribute>, without datacontenttype', () => {
    expect(cloudEventAmqpProperties(toCloudEvent(notification))).toEqual({
      cloudEvents_specversion: '1.0',
      cloudEvents_id: notification.id,
      cloudEvents_source: 'bluetick://wasender',
      cloudEvents_type: 'com.bluetick.notification.messages.upsert',
      cloudEvents_time: notification.occurredAt,
    });
  });
});
