import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { NormalizeError } from '../../src/errors.js';
import type { CanonicalEvent } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import { describeWithSharedFixtures, sharedFixtures, type SharedFixture } from '../helpers/fixtures.js';

/*
 * "Nothing the provider sent is dropped silently", proved over every shared fixture: every key of
 * every Cloud change value (and of every On-Premises body, and of every WASender `data`) must be
 * represented in some event. Represented means: its value (or, for a list, each of its items) is
 * found whole inside some event's `data` or `raw` (normalize runs with keepRaw), or it is an
 * envelope part mapped to canonical fields, checked against them below. The walk reads the JSON
 * independently of the mapper.
 */

const RECEIVED_AT = '2026-01-01T00:00:00.000Z';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether `needle` occurs deep-equal anywhere inside `hay` (itself included). */
function occursIn(needle: unknown, hay: unknown, depth = 0): boolean {
  if (isDeepStrictEqual(needle, hay)) return true;
  if (depth > 12 || hay === null || typeof hay !== 'object') return false;
  for (const child of Object.values(hay as Json)) if (occursIn(needle, child, depth + 1)) return true;
  return false;
}

function carried(value: unknown, events: CanonicalEvent[]): boolean {
  return events.some((e) => occursIn(value, e.raw) || (e.kind === 'notification' && occursIn(value, e.data)));
}

/** A `contacts[]` entry is represented by a message whose contact it became, or carried whole. */
function contactRepresented(contact: unknown, events: CanonicalEvent[]): boolean {
  if (carried(contact, events)) return true;
  if (!isObj(contact)) return false;
  const name = isObj(contact.profile) ? contact.profile.name : undefined;
  return events.some(
    (e) =>
      e.kind === 'message' &&
      (name === undefined || e.contact.name === name) &&
      ((contact.user_id !== undefined && e.contact.userId === contact.user_id) ||
        (contact.wa_id !== undefined && (e.contact.waId === String(contact.wa_id) || e.contact.waId === String(contact.wa_id).replace(/\D/g, ''))) ||
        (contact.wa_id === undefined && contact.user_id === undefined && e.contact.name === name)),
  );
}

/** Why `value[key]` is not represented, or null when it is. */
function missing(key: string, val: unknown, events: CanonicalEvent[]): string | null {
  if (val === undefined) return null;
  if (key === 'messaging_product') {
    // The envelope's constant: a different product would be news, and fails here.
    return val === 'whatsapp' ? null : `messaging_product ${JSON.stringify(val)}`;
  }
  if (key === 'metadata' && isObj(val)) {
    const id = val.phone_number_id;
    if (id === undefined || carried(val, events) || events.some((e) => e.phoneNumberId === String(id))) return null;
    return 'metadata.phone_number_id is in no event';
  }
  if (carried(val, events)) return null;
  const items = Array.isArray(val) ? val : [val];
  // An empty object has no key to lose.
  const lost = items.filter((item) => !(isObj(item) && Object.keys(item).length === 0) && !(key === 'contacts' ? contactRepresented(item, events) : carried(item, events)));
  return lost.length === 0 ? null : `${key}: ${JSON.stringify(lost).slice(0, 200)}`;
}

/** The objects whose keys must all be represented: Cloud change values, the On-Premises body, WASender `data`. */
function containers(fixture: SharedFixture, body: Json): Json[] {
  if (fixture.provider === 'onprem') return [body];
  if (fixture.provider === 'wasender') return isObj(body.data) ? [body.data] : [];
  const out: Json[] = [];
  for (const entry of Array.isArray(body.entry) ? body.entry : []) {
    if (!isObj(entry) || !Array.isArray(entry.changes)) continue;
    for (const change of entry.changes) if (isObj(change) && isObj(change.value)) out.push(change.value);
  }
  return out;
}

const fixtures = sharedFixtures();

describeWithSharedFixtures('every key of every change value ends up in some event', () => {
  it('walks the shared fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(250);
  });

  it.each(fixtures.map((f) => [`${f.provider}/${f.name}`, f] as const))('%s', (_, fixture) => {
    let events: CanonicalEvent[];
    try {
      events = normalize(fixture.text, { receivedAt: RECEIVED_AT, keepRaw: true }).events;
    } catch (err) {
      // Refused bodies are covered by the per-provider fixture tests (invalid by design only).
      expect(err).toBeInstanceOf(NormalizeError);
      return;
    }
    const problems: string[] = [];
    for (const value of containers(fixture, JSON.parse(fixture.text) as Json)) {
      for (const [key, val] of Object.entries(value)) {
        const why = missing(key, val, events);
        if (why !== null) problems.push(why);
      }
    }
    expect(problems).toEqual([]);
  });
});
