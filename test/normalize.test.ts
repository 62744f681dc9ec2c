import { describe, expect, it } from 'vitest';
import { NormalizeError, normalize } from '../src/index.js';
import { detectProvider } from '../src/providers/detect.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const onpremStatus = { statuses: [{ id: 'gBG1', status: 'read', timestamp: '1602535356', recipient_id: '16315553601' }] };

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NormalizeError);
    return (err as NormalizeError).code;
  }
  return undefined;
}

describe('normalize() envelope handling', () => {
  it('rejects non-JSON with invalid_json and a 400 status', () => {
    expect(codeOf(() => normalize('{"object":'))).toBe('invalid_json');
    try {
      normalize('nope');
    } catch (err) {
      expect((err as NormalizeError).status).toBe(400);
    }
  });

  it('rejects JSON that is not an object with invalid_body', () => {
    for (const body of ['[]', 'null', '42', '"text"', 'true']) expect(codeOf(() => normalize(body))).toBe('invalid_body');
  });

  it('rejects objects of no known provider with unknown_provider', () => {
    expect(codeOf(() => normalize('{"hello":"world"}'))).toBe('unknown_provider');
    expect(codeOf(() => normalize({ object: 'page', entry: [] }))).toBe('unknown_provider');
  });

  it('accepts a string, bytes and a parsed object alike', () => {
    const text = JSON.stringify(onpremStatus);
    const fromString = normalize(text, { receivedAt: RECEIVED });
    const fromBytes = normalize(new TextEncoder().encode(text), { receivedAt: RECEIVED });
    const fromBuffer = normalize(Buffer.from(text), { receivedAt: RECEIVED });
    const fromObject = normalize(onpremStatus, { receivedAt: RECEIVED });
    expect(fromString.events).toHaveLength(1);
    expect(fromBytes).toEqual(fromString);
    expect(fromBuffer).toEqual(fromString);
    expect(fromObject).toEqual(fromString);
  });

  it('uses receivedAt (string or Date) and rejects an invalid one', () => {
    const { events } = normalize(onpremStatus, { receivedAt: new Date(RECEIVED) });
    expect(events[0]?.receivedAt).toBe(RECEIVED);
    expect(() => normalize(onpremStatus, { receivedAt: 'yesterday' })).toThrow(TypeError);
  });

  it('defaults receivedAt to now', () => {
    const before = Date.now();
    const { events } = normalize(onpremStatus);
    const at = Date.parse(events[0]?.receivedAt ?? '');
    expect(at).toBeGreaterThanOrEqual(before - 1);
    expect(at).toBeLessThanOrEqual(Date.now() + 1);
  });

  it('lets options.provider force a provider', () => {
    const body = { messages: [], statuses: [] };
    expect(normalize(body).provider).toBe('onprem');
    expect(normalize({ event: 'x', data: {} }, { provider: 'wasender' }).provider).toBe('wasender');
  });

  it('attaches raw items only when keepRaw is set', () => {
    expect(normalize(onpremStatus).events[0]?.raw).toBeUndefined();
    expect(normalize(onpremStatus, { keepRaw: true }).events[0]?.raw).toEqual(onpremStatus.statuses[0]);
  });
});

describe('detectProvider()', () => {
  it('recognizes each provider by its envelope', () => {
    expect(detectProvider({ object: 'whatsapp_business_account', entry: [] })).toBe('cloud');
    expect(detectProvider({ entry: [] })).toBe('cloud');
    expect(detectProvider({ event: 'messages.upsert', data: {} })).toBe('wasender');
    expect(detectProvider({ data: { messages: [] } })).toBe('wasender');
    expect(detectProvider({ statuses: [] })).toBe('onprem');
    expect(detectProvider({ messages: [] })).toBe('onprem');
    expect(detectProvider({ errors: [] })).toBe('onprem');
    expect(detectProvider({ contacts: [] })).toBe('onprem');
    expect(detectProvider({ object: 'instagram', entry: [] })).toBeNull();
    expect(detectProvider({})).toBeNull();
  });
});
