import { describe, expect, it } from 'vitest';
import { CIRCULAR_MARKER, MAX_EVENT_DEPTH, TRUNCATED_MARKER, boundDepth, boundEventDepth } from '../../src/event/bounded-json.js';

/** `levels` nested arrays around `leaf`. */
function nest(levels: number, leaf: unknown = 'x'): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('boundDepth()', () => {
  it('returns a value within the bound itself, not a copy', () => {
    const value = { a: [{ b: 1 }], c: nest(MAX_EVENT_DEPTH - 1) };
    expect(boundDepth(value)).toBe(value);
    expect(boundDepth('text')).toBe('text');
    expect(boundDepth(null)).toBeNull();
  });

  it('replaces containers below the bound with the marker, in a copy, leaving the input as it was', () => {
    const value = { keep: 1, deep: nest(MAX_EVENT_DEPTH + 5) };
    const bounded = boundDepth(value);
    expect(bounded).not.toBe(value);
    expect(bounded).toEqual({ keep: 1, deep: nest(MAX_EVENT_DEPTH - 2, [TRUNCATED_MARKER]) });
    expect(value.deep).toEqual(nest(MAX_EVENT_DEPTH + 5));
    expect(TRUNCATED_MARKER).toBe('[bluetick: truncated at depth 32]');
  });

  it('keeps an own "__proto__" key as data in the copy, never as the copy’s prototype', () => {
    const value = JSON.parse(`{"__proto__":{"polluted":true},"deep":${JSON.stringify(nest(MAX_EVENT_DEPTH + 1))}}`) as object;
    const bounded = boundDepth(value) as Record<string, unknown>;
    expect(Object.getPrototypeOf(bounded)).toBe(Object.prototype);
    expect(Object.hasOwn(bounded, '__proto__')).toBe(true);
    expect(JSON.stringify(bounded)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cuts a cycle with the circular marker', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    a.list = [a];
    expect(boundDepth(a)).toEqual({ name: 'a', self: CIRCULAR_MARKER, list: [CIRCULAR_MARKER] });
  });
});

describe('boundEventDepth()', () => {
  it('bounds data, details, raw and interaction in place, and leaves shallow fields alone', () => {
    const deep = nest(MAX_EVENT_DEPTH + 1);
    const media = { id: 'm1' };
    const event = { kind: 'x', data: deep, details: { d: deep }, raw: deep, interaction: { kind: 'nfm_reply', response: deep }, media };
    boundEventDepth(event);
    expect(JSON.stringify(event.data)).toContain(TRUNCATED_MARKER);
    expect(JSON.stringify(event.details)).toContain(TRUNCATED_MARKER);
    expect(JSON.stringify(event.raw)).toContain(TRUNCATED_MARKER);
    expect(JSON.stringify(event.interaction)).toContain(TRUNCATED_MARKER);
    expect(event.media).toBe(media);
  });
});
