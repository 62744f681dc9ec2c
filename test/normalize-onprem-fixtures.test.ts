import { expect, it } from 'vitest';
import { eventSchema } from '../src/event/schema.js';
import { normalize } from '../src/normalize.js';
import { invalidByDesign, sharedFixtures, describeWithSharedFixtures } from './helpers/fixtures.js';
import { countKinds, normalizeFixture } from './providers/fixture-run.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const fixtures = sharedFixtures().filter((f) => f.provider === 'onprem');
const invalid = invalidByDesign();

/** Counts computed straight from the body, independently of the normalizer. */
function expectedCounts(body: Record<string, unknown>) {
  // A message is mapped whenever it is an object (an id-less one gets a content-hash id); a
  // status needs its message id (its tracking key).
  const isObject = (item: unknown) => item !== null && typeof item === 'object' && !Array.isArray(item);
  const hasId = (item: unknown) => isObject(item) && typeof (item as { id?: unknown }).id === 'string';
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const statuses = Array.isArray(body.statuses) ? body.statuses : [];
  const errors = Array.isArray(body.errors) ? body.errors : [];
  // Contacts describe message senders: one no message names (by wa_id, or the lone contact when
  // nothing contradicts it) is kept in one `contacts` notification. An empty object says nothing.
  const contacts = (Array.isArray(body.contacts) ? body.contacts : []).filter((c) => !isObject(c) || Object.keys(c).length > 0);
  const froms = messages.filter(isObject).map((m) => (m as { from?: unknown }).from);
  const matched = (c: unknown): boolean => {
    const waId = isObject(c) ? (c as { wa_id?: unknown }).wa_id : undefined;
    if (waId !== undefined && froms.includes(waId)) return true;
    return contacts.length === 1 && messages.length > 0 && isObject(c) && (waId === undefined || froms.includes(undefined));
  };
  const unmatchedContacts = contacts.some((c) => !matched(c)) ? 1 : 0;
  const otherKeys = Object.keys(body).filter((k) => !['contacts', 'messages', 'statuses', 'errors'].includes(k)).length;
  return {
    message: messages.filter(isObject).length,
    status: statuses.filter(hasId).length,
    error: errors.length > 0 ? 1 : 0,
    notification: messages.filter((m) => !isObject(m)).length + statuses.filter((s) => !hasId(s)).length + unmatchedContacts + otherKeys,
  };
}

describeWithSharedFixtures('normalize() over every shared On-Premises fixture', () => {
  it('has fixtures to run over', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(50);
  });

  for (const fixture of fixtures) {
    it(fixture.name, () => {
      // Invalid-by-design samples may be refused, but only with a NormalizeError.
      const result = normalizeFixture(fixture, invalid, RECEIVED);
      if (result === undefined) return;
      // Detection picks On-Premises by itself (flat arrays, no `object`).
      expect(result.provider).toBe('onprem');
      const body = JSON.parse(fixture.text) as Record<string, unknown>;
      expect(countKinds(result)).toEqual(expectedCounts(body));
      for (const event of result.events) {
        eventSchema.parse(event);
        expect(event.provider).toBe('onprem');
        expect(event.accountId).toBeNull();
        expect(event.phoneNumberId).toBeNull();
      }
      const again = normalize(fixture.text, { receivedAt: '2026-02-02T00:00:00.000Z', provider: 'onprem' });
      expect(again.events.map((e) => e.id)).toEqual(result.events.map((e) => e.id));
    });
  }
});
