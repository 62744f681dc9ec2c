import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash, hashJson, joinId } from '../../src/event/ids.js';

describe('joinId()', () => {
  it('joins parts with colons and keeps empty parts', () => {
    expect(joinId(['cloud', 'status', 'wamid.X', '', 'read'])).toBe('cloud:status:wamid.X::read');
    expect(joinId(['a', null, undefined, 3])).toBe('a:::3');
  });

  it('never lets two different part lists collide', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 5 }), fc.array(fc.string(), { maxLength: 5 }), (a, b) => {
        fc.pre(a.length === b.length && JSON.stringify(a) !== JSON.stringify(b));
        expect(joinId(a)).not.toBe(joinId(b));
      }),
    );
  });
});

describe('contentHash()', () => {
  it('is deterministic, 16 hex characters, and sensitive to every character', () => {
    expect(contentHash('abc')).toBe(contentHash('abc'));
    expect(contentHash('abc')).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash('abc')).not.toBe(contentHash('abd'));
    expect(contentHash('')).not.toBe(contentHash(' '));
  });

  it('has no collisions over 200k distinct strings', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(contentHash(`{"field":"account_update","n":${i}}`));
    expect(seen.size).toBe(200_000);
  });

  it('hashJson hashes the JSON text', () => {
    expect(hashJson({ a: 1 })).toBe(contentHash('{"a":1}'));
    expect(hashJson(undefined)).toBe(contentHash('undefined'));
  });
});
