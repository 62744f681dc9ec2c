import fc from 'fast-check';
import { describe, it } from 'vitest';
import { NormalizeError, eventSchema, normalize } from '../src/index.js';
import { sharedFixtures, describeWithSharedFixtures } from './helpers/fixtures.js';

/** normalize() may return events or throw a NormalizeError; anything else is a bug. */
function returnsOrThrowsNormalizeError(body: unknown, provider?: 'cloud' | 'onprem' | 'wasender'): void {
  try {
    const { events } = normalize(body as object, provider ? { provider } : {});
    for (const event of events) eventSchema.parse(event);
  } catch (err) {
    if (!(err instanceof NormalizeError)) throw err;
  }
}

type Mutation = { path: number[]; kind: 'delete' | 'replace' | 'wrap'; value: unknown };

/** Applies a mutation at a pseudo-random path (indices chosen modulo each level's size). */
function mutate(root: unknown, m: Mutation): unknown {
  const copy = structuredClone(root);
  let node: unknown = copy;
  for (let depth = 0; depth < m.path.length; depth++) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(m.path[depth] ?? 0) % keys.length] as string;
    const container = node as Record<string, unknown>;
    const last = depth === m.path.length - 1;
    const child = container[key];
    if (last || child === null || typeof child !== 'object') {
      if (m.kind === 'delete') delete container[key];
      else if (m.kind === 'replace') container[key] = m.value;
      else container[key] = [child, m.value];
      return copy;
    }
    node = child;
  }
  return copy;
}

const mutation = fc.record({
  path: fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }),
  kind: fc.constantFrom('delete' as const, 'replace' as const, 'wrap' as const),
  value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.constant(null)),
});

describe('normalize() never throws anything but NormalizeError (fast-check)', () => {
  it('on arbitrary JSON values, as objects and as text', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        returnsOrThrowsNormalizeError(value);
        returnsOrThrowsNormalizeError(JSON.stringify(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('on envelope-shaped objects with arbitrary contents, for every provider', () => {
    const anything = fc.jsonValue({ maxDepth: 3 });
    const cloud = fc.record({
      object: fc.constant('whatsapp_business_account'),
      entry: fc.array(
        fc.record({ id: anything, changes: fc.array(fc.record({ field: fc.string(), value: anything })) }, { requiredKeys: [] }),
      ),
    });
    const onprem = fc.record({ messages: fc.array(anything), statuses: fc.array(anything), errors: anything }, { requiredKeys: [] });
    const wasender = fc.record({ event: fc.string(), sessionId: anything, timestamp: anything, data: anything }, { requiredKeys: ['event'] });
    fc.assert(
      fc.property(fc.oneof(cloud, onprem, wasender), fc.constantFrom(undefined, 'cloud' as const, 'onprem' as const, 'wasender' as const), (body, provider) => {
        returnsOrThrowsNormalizeError(body, provider);
      }),
      { numRuns: 2000 },
    );
  });

  describeWithSharedFixtures('on arbitrary mutations of every real payload', () => {
    const fixtures = sharedFixtures();
    it(`mutates each of the ${fixtures.length} shared fixtures`, () => {
      for (const fixture of fixtures) {
        const parsed: unknown = JSON.parse(fixture.text);
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
            const body = mutations.reduce<unknown>((acc, m) => mutate(acc, m), parsed);
            returnsOrThrowsNormalizeError(body);
          }),
          { numRuns: 60 },
        );
      }
    });
  });
});
