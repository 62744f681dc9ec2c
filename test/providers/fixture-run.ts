import { expect } from 'vitest';
import { NormalizeError } from '../../src/errors.js';
import type { EventKind, NormalizeResult } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';
import type { SharedFixture } from '../helpers/fixtures.js';

/** How many events of each kind a result holds. */
export function countKinds(result: NormalizeResult): Record<EventKind, number> {
  const counts = { message: 0, status: 0, error: 0, notification: 0 };
  for (const event of result.events) counts[event.kind]++;
  return counts;
}

/**
 * Normalizes a shared fixture with provider detection. Returns undefined when the body was
 * refused, after checking that only a fixture PROVENANCE.md marks invalid by design was refused,
 * and only with a {@link NormalizeError}.
 */
export function normalizeFixture(fixture: SharedFixture, invalid: Set<string>, receivedAt: string): NormalizeResult | undefined {
  try {
    return normalize(fixture.text, { receivedAt });
  } catch (err) {
    expect(invalid.has(fixture.name), `${fixture.name} threw ${String(err)}`).toBe(true);
    expect(err).toBeInstanceOf(NormalizeError);
    return undefined;
  }
}
