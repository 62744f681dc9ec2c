import { expect, it } from 'vitest';
import { eventSchema } from '../src/event/schema.js';
import { normalize } from '../src/normalize.js';
import { invalidByDesign, sharedFixtures, describeWithSharedFixtures } from './helpers/fixtures.js';
import { countKinds, normalizeFixture } from './providers/fixture-run.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const fixtures = sharedFixtures().filter((f) => f.provider === 'wasender');
const invalid = invalidByDesign();

type Body = { event?: unknown; sessionId?: unknown; data?: unknown };
type Item = { key?: { id?: unknown; fromMe?: unknown }; update?: { status?: unknown }; receipt?: unknown; message?: unknown; success?: unknown };

const MESSAGE_EVENTS = ['messages.received', 'messages.upsert', 'messages-personal.received', 'messages-group.received', 'messages-newsletter.received'];

/** The items of `data`, listed by hand from the documented shapes (independent of the normalizer). */
function items(data: unknown): Item[] {
  if (Array.isArray(data)) return data as Item[];
  if (data === null || typeof data !== 'object') return [];
  const messages = (data as { messages?: unknown }).messages;
  if (Array.isArray(messages)) return messages as Item[];
  if (messages !== null && typeof messages === 'object') return [messages as Item];
  return [data as Item];
}

const ours = (item: Item) => typeof item.key?.id === 'string' && item.key.fromMe !== false;

function expectedCounts(body: Body) {
  const counts = { message: 0, status: 0, error: 0, notification: 0 };
  const event = typeof body.event === 'string' ? body.event : 'messages.upsert';
  const list = items(body.data);
  if (MESSAGE_EVENTS.includes(event)) {
    counts.message = list.filter((i) => typeof i.key?.id === 'string').length;
    counts.notification = list.length - counts.message;
  } else if (event === 'messages.update') {
    counts.status = list.filter((i) => ours(i) && i.update?.status !== undefined).length;
    counts.notification = list.length - counts.status;
  } else if (event === 'message-receipt.update') {
    for (const raw of list) {
      const item = raw.key === undefined ? (raw.message as Item) : raw;
      if (ours(item)) counts.status += Array.isArray(item.receipt) ? item.receipt.length : 1;
      else counts.notification++;
    }
  } else if (event === 'message.sent') {
    for (const item of list) {
      if (typeof item.key?.id === 'string') counts.status++;
      else if (item.success === false) counts.error++;
      else counts.notification++;
    }
  } else {
    counts.notification = 1;
  }
  if (counts.message + counts.status + counts.error + counts.notification === 0) counts.notification = 1;
  return counts;
}

describeWithSharedFixtures('normalize() over every shared WASender fixture', () => {
  it('has fixtures to run over', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(36);
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      // Invalid-by-design samples may be refused, but only with a NormalizeError.
      const result = normalizeFixture(fixture, invalid, RECEIVED);
      if (result === undefined) return;
      expect(result.provider).toBe('wasender');
      const body = JSON.parse(fixture.text) as Body;
      expect(countKinds(result)).toEqual(expectedCounts(body));
      const session = typeof body.sessionId === 'string' ? body.sessionId : null;
      for (const event of result.events) {
        eventSchema.parse(event);
        expect(event.provider).toBe('wasender');
        expect(event.accountId).toBe(session);
        expect(event.phoneNumberId).toBeNull();
        if (event.kind === 'message') {
          // People are bare ids: never a JID, never a leading +.
          for (const who of [event.from, event.to]) if (who !== null) expect(who).toMatch(/^[^@+:]+$/);
        }
      }
      const again = normalize(fixture.text, { receivedAt: '2026-02-02T00:00:00.000Z', provider: 'wasender' });
      expect(again.events.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
    });
  }

  it('reads the documented ack level and the @lid guide the way the docs describe', () => {
    const lid = fixtures.find((f) => f.name === 'docs-messages-received-lid-guide.json');
    expect(lid).toBeDefined();
    const [message] = normalize(lid!.text, { receivedAt: RECEIVED }).events;
    expect(message).toMatchObject({ kind: 'message', from: '5551234567', contact: { waId: '5551234567' } });
    const update = fixtures.find((f) => f.name === 'docs-messages-update-status.json');
    // The docs' sample has fromMe: false (a receipt about an inbound message): a notification, not a status.
    expect(normalize(update!.text, { receivedAt: RECEIVED }).events).toMatchObject([{ kind: 'notification', topic: 'messages.update' }]);
  });
});
