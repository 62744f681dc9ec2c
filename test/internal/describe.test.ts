import { describe, expect, it } from 'vitest';
import { describeValue } from '../../src/internal/describe.js';

describe('describeValue', () => {
  it('prints what String() prints, and never throws where String() does', () => {
    expect(describeValue('boom')).toBe('boom');
    expect(describeValue(42)).toBe('42');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(Symbol('s'))).toBe('Symbol(s)');
    expect(describeValue(Object.create(null))).toBe('[object Object]');
    expect(describeValue({ toString: 'x' })).toBe('[object Object]');
    expect(describeValue({ [Symbol.toPrimitive]: () => ({}) })).toBe('[object Object]');
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(describeValue(hostile)).toBe('[object]');
  });
});
