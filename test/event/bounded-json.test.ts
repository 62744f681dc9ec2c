import { describe, expect, it } from 'vitest';
import type { CanonicalEvent, MessageEvent, NotificationEvent } from '../../src/event/types.js';
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
  const deep = nest(MAX_EVENT_DEPTH + 1);
  const base = { schemaVersion: 1, id: 'x', provider: 'cloud', accountId: null, phoneNumberId: null, occurredAt: '', receivedAt: '' } as const;

  it('bounds a message’s details and interaction, a notification’s data, and raw with keepRaw, in place', () => {
    const media = { id: 'm1' };
    const message = { ...base, kind: 'message', details: { d: deep }, interaction: { kind: 'nfm_reply', response: deep }, media, raw: deep } as unknown as CanonicalEvent;
    boundEventDepth(message, true);
    const notification = { ...base, kind: 'notification', topic: 't', data: deep } as CanonicalEvent;
    boundEventDepth(notification, false);
    for (const value of [
      (message as MessageEvent).details,
      (message as MessageEvent).interaction,
      message.raw,
      (notification as NotificationEvent).data,
    ]) {
      expect(JSON.stringify(value)).toContain(TRUNCATED_MARKER);
    }
    expect((message as MessageEvent).media).toBe(media);
  });

  it('leaves raw alone without keepRaw (normalize() sets none then)', () => {
    const status = { ...base, kind: 'status', raw: deep } as unknown as CanonicalEvent;
    boundEventDepth(status, false);
    expect(status.raw).toBe(deep);
  });
});
