import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import { NormalizeError } from '../src/errors.js';
import { eventSchema } from '../src/event/schema.js';
import type { CanonicalEvent } from '../src/event/types.js';
import { normalize } from '../src/normalize.js';
import { invalidByDesign, sharedFixtures, describeWithSharedFixtures } from './helpers/fixtures.js';

/*
 * Every real Cloud API body in ../shared/fixtures/cloud, through normalize(). The expected counts
 * are computed here by walking the JSON independently of the mapper.
 */

const RECEIVED_AT = '2026-01-01T00:00:00.000Z';
const fixtures = sharedFixtures().filter((f) => f.provider === 'cloud');
const invalid = invalidByDesign();

/**
 * Fixtures whose samples reuse one provider message id for different content (a placeholder such
 * as "wamid.ID"). The provider's message id is the idempotency key by design, so those events
 * share an id; this list keeps that exception from silently widening.
 */
const REUSED_PROVIDER_IDS = ['netflie-multiple-text.json'];

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * Counts `messages[]` and `message_echoes[]` (messages the business sent from the WhatsApp
 * Business app) under `field: "messages"` / `"smb_message_echoes"` (or no field), and
 * `statuses[]` under those fields only: `calls` carry call states, not delivery statuses.
 */
function expectedCounts(body: unknown): { messages: number; statuses: number } {
  let messages = 0;
  let statuses = 0;
  for (const entry of list((body as { entry?: unknown }).entry)) {
    for (const change of list((entry as { changes?: unknown }).changes)) {
      const { field, value } = change as { field?: unknown; value?: { messages?: unknown; statuses?: unknown; message_echoes?: unknown } };
      if (field !== 'messages' && field !== 'smb_message_echoes' && field !== undefined) continue;
      messages += list(value?.messages).length + list(value?.message_echoes).length;
      statuses += list(value?.statuses).length;
    }
  }
  return { messages, statuses };
}

function run(text: string): CanonicalEvent[] | NormalizeError {
  try {
    return normalize(text, { receivedAt: RECEIVED_AT, keepRaw: true }).events;
  } catch (err) {
    if (err instanceof NormalizeError) return err;
    throw err;
  }
}

describeWithSharedFixtures('normalize() over every shared Cloud fixture', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThan(100);
  });

  const reusedSeen: string[] = [];

  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (name, fixture) => {
    const result = run(fixture.text);
    if (result instanceof NormalizeError) {
      // Only bodies their authors made invalid on purpose may be refused, and only this way.
      expect(invalid.has(name), `${name} threw ${result.code}: ${result.message}`).toBe(true);
      return;
    }
    const events = result;
    expect(events.every((e) => e.provider === 'cloud')).toBe(true);

    const counts = expectedCounts(JSON.parse(fixture.text));
    expect(events.filter((e) => e.kind === 'message')).toHaveLength(counts.messages);
    expect(events.filter((e) => e.kind === 'status')).toHaveLength(counts.statuses);
    expect(events.length).toBeGreaterThan(0);

    for (const event of events) expect(eventSchema.parse(event)).toEqual(event);

    const again = normalize(fixture.text, { receivedAt: '2031-01-01T00:00:00.000Z' }).events;
    expect(again.map((e) => e.id)).toEqual(events.map((e) => e.id));

    // Two events share an id only when the provider repeated the item verbatim (or, in the known
    // fixtures above, reused its own message id).
    const byId = new Map<string, CanonicalEvent>();
    for (const event of events) {
      const seen = byId.get(event.id);
      if (seen === undefined) {
        byId.set(event.id, event);
        continue;
      }
      if (isDeepStrictEqual(seen.raw, event.raw)) continue;
      const sameProviderId =
        seen.kind === 'message' && event.kind === 'message' && (seen.raw as { id?: unknown }).id === (event.raw as { id?: unknown }).id;
      expect(sameProviderId, `${name}: ${event.id} given to two different items`).toBe(true);
      reusedSeen.push(name);
    }
  });

  it('reuses a provider message id only in the known placeholder fixtures', () => {
    expect([...new Set(reusedSeen)].sort()).toEqual(REUSED_PROVIDER_IDS);
  });
});
