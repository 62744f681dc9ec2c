/**
 * Hostile bodies (issue 12, items 7 and 8): JSON nested 100,000 levels deep at every place a
 * mapper embeds provider values in an event, and keys/values named after Object.prototype members
 * where the mappers look things up by provider text.
 */
import { describe, expect, it } from 'vitest';
import { NormalizeError, eventSchema, normalize, type CanonicalEvent } from '../src/index.js';
import { MAX_EVENT_DEPTH, TRUNCATED_MARKER } from '../src/event/bounded-json.js';
import { classifyErrorCode } from '../src/event/error-classes.js';
import { detectProvider } from '../src/providers/detect.js';
import { memoryStore } from '../src/storage/memory-store.js';
import { createTracker } from '../src/tracking/tracker.js';
import { ownFixture } from './helpers/fixtures.js';
import { depthOf } from './helpers/json-depth.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
const HOSTILE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
const N = 100_000;

/** `{"a":{"a":…1…}}` or `[[…1…]]`, N levels, as text: JSON.stringify could not write it. */
const deepObject = '{"a":'.repeat(N) + '1' + '}'.repeat(N);
const deepArray = '['.repeat(N) + '1' + ']'.repeat(N);

/** Normalizes the text and its parse; both must give the same events, each serializable and valid. */
function normalizeBoth(text: string, options: { keepRaw?: boolean } = {}): CanonicalEvent[] {
  const fromText = normalize(text, { receivedAt: RECEIVED, ...options }).events;
  const fromObject = normalize(JSON.parse(text) as object, { receivedAt: RECEIVED, ...options }).events;
  const serialized = fromText.map((e) => JSON.stringify(e));
  expect(fromObject.map((e) => JSON.stringify(e))).toEqual(serialized);
  for (const json of serialized) {
    const back = JSON.parse(json) as unknown;
    eventSchema.parse(back);
    // The event itself is level 1; each of its fields nests at most MAX_EVENT_DEPTH levels.
    expect(depthOf(back)).toBeLessThanOrEqual(MAX_EVENT_DEPTH + 1);
  }
  return fromText;
}

const cloud = (value: string, field = 'messages') =>
  `{"object":"whatsapp_business_account","entry":[{"id":"waba1","time":1700000000,"changes":[{"field":"${field}","value":${value}}]}]}`;
const meta = (message: string) => `{"metadata":{"phone_number_id":"pn1","display_phone_number":"15550001111"},"messages":[${message}]}`;

describe('normalize() on JSON nested 100,000 levels deep', () => {
  // [where, body around the deep value, whether the event carries the value without keepRaw]
  const places: Array<[string, (deep: string) => string, boolean?]> = [
    ['a Cloud notification (data)', (d) => cloud(d, 'account_update')],
    ['a Cloud message without an id (hashed id, details)', (d) => cloud(meta(`{"from":"1","type":"novel","novel":${d}}`))],
    ['a Cloud message with an id (details)', (d) => cloud(meta(`{"id":"wamid.D","from":"1","type":"novel","novel":${d}}`))],
    ['Cloud contacts content (details.contacts)', (d) => cloud(meta(`{"id":"wamid.C","from":"1","type":"contacts","contacts":${d}}`))],
    ['a flow reply (interaction.response, parsed from response_json)', (d) =>
      cloud(meta(`{"id":"wamid.F","from":"1","type":"interactive","interactive":{"type":"nfm_reply","nfm_reply":{"response_json":${JSON.stringify(d)}}}}`))],
    ['a Cloud status item (odd status → notification)', (d) => cloud(`{"statuses":[${d}]}`)],
    ['the Cloud value-level errors (raw)', (d) => cloud(`{"errors":[{"code":1,"error_data":${d}}]}`), false],
    ['an On-Premises status without an id (notification)', (d) => `{"statuses":[{"status":"read","x":${d}}]}`],
    ['On-Premises top-level errors (hashed id)', (d) => `{"errors":[{"code":1,"x":${d}}]}`, false],
    ['a WASender notification (data)', (d) => `{"event":"session.status","timestamp":1,"data":${d}}`],
    ['a WASender flow reply (interaction.response, parsed from paramsJson)', (d) =>
      `{"event":"messages.upsert","data":{"key":{"id":"K1","remoteJid":"1@s.whatsapp.net"},"message":{"interactiveResponseMessage":{"nativeFlowResponseMessage":{"paramsJson":${JSON.stringify(d)}}}}}}`],
    ['a WASender failed send without a key (error event)', (d) => `{"event":"message.sent","data":{"success":false,"x":${d}}}`, false],
  ];

  for (const [name, body, carried = true] of places) {
    it(`${name}: events serialize, pass eventSchema and carry the truncation marker`, () => {
      // Objects without raw, arrays with it: each 100,000-level body costs tens of milliseconds.
      for (const [deep, keepRaw] of [[deepObject, false], [deepArray, true]] as const) {
        const events = normalizeBoth(body(deep), { keepRaw });
        expect(events.length).toBeGreaterThan(0);
        expect(events.some((e) => JSON.stringify(e).includes(TRUNCATED_MARKER))).toBe(carried || keepRaw);
      }
    });
  }

  it('keeps an event with an id deliverable: its batch neighbours are untouched', () => {
    const text = cloud(meta(`{"id":"wamid.D","from":"1","type":"novel","novel":${deepObject}},{"id":"wamid.OK","from":"1","type":"text","text":{"body":"hi"}}`));
    const events = normalizeBoth(text);
    expect(events.map((e) => e.id)).toEqual(['cloud:message:wamid.D', 'cloud:message:wamid.OK']);
    expect(events[1]).toMatchObject({ type: 'text', text: 'hi' });
    expect(JSON.stringify(events)).toContain(TRUNCATED_MARKER);
  });

  it('truncates exactly below MAX_EVENT_DEPTH levels, and leaves shallower values as sent', () => {
    const nest = (levels: number) => '['.repeat(levels) + '"x"' + ']'.repeat(levels);
    const kept = normalize(cloud(nest(MAX_EVENT_DEPTH), 'f')).events[0];
    expect(JSON.stringify(kept)).not.toContain(TRUNCATED_MARKER);
    expect(kept?.kind === 'notification' && kept.data).toEqual(JSON.parse(nest(MAX_EVENT_DEPTH)));
    const cut = normalize(cloud(nest(MAX_EVENT_DEPTH + 1), 'f')).events[0];
    expect(cut?.kind === 'notification' && cut.data).toEqual(JSON.parse(nest(MAX_EVENT_DEPTH - 1).replace('"x"', `["${TRUNCATED_MARKER}"]`)));
  });

  it('gives a too-deep body the same id every time (the id never depends on the stack left)', () => {
    const text = cloud(deepObject, 'account_update');
    const first = normalize(text).events[0]?.id;
    const nested = (n: number): string | undefined => (n === 0 ? normalize(text).events[0]?.id : nested(n - 1));
    expect(nested(2000)).toBe(first);
  });

  it('never mutates the caller’s object', () => {
    const body = JSON.parse(cloud(deepArray, 'account_update')) as { entry: [{ changes: [{ value: unknown }] }] };
    const value = body.entry[0].changes[0].value;
    normalize(body);
    expect(body.entry[0].changes[0].value).toBe(value);
    expect(depthOf(value)).toBe(N);
  });
});

describe('normalize() on keys named after Object.prototype members', () => {
  it('classifies hostile error codes as unknown', () => {
    for (const code of HOSTILE_KEYS) expect(classifyErrorCode(code)).toBe('unknown');
  });

  it('Cloud: hostile message types and error codes (test/fixtures/hostile/cloud-prototype-keys.json)', () => {
    const events = normalizeBoth(ownFixture('hostile/cloud-prototype-keys.json'));
    const messages = events.filter((e) => e.kind === 'message');
    expect(messages.map((m) => [m.type, m.providerType, m.details])).toEqual([
      ['unknown', 'constructor', undefined],
      ['unknown', 'toString', undefined],
      ['unknown', 'hasOwnProperty', undefined],
      ['unknown', '__proto__', { ['__proto__']: { polluted: true } }],
    ]);
    const status = events.find((e) => e.kind === 'status');
    expect(status?.errors.map((e) => [e.code, e.class])).toEqual(
      ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'].map((c) => [c, 'unknown']),
    );
    const error = events.find((e) => e.kind === 'error');
    expect(error?.errors).toEqual([{ code: 'constructor', class: 'unknown', title: 'hostile value-level error' }]);
    // An own "__proto__" key is data: the event's details object keeps Object.prototype.
    const proto = messages[3];
    expect(Object.getPrototypeOf(proto?.details)).toBe(Object.prototype);
  });

  it('On-Premises: hostile error codes (test/fixtures/hostile/onprem-prototype-keys.json)', () => {
    const events = normalizeBoth(ownFixture('hostile/onprem-prototype-keys.json'));
    expect(events.flatMap((e) => (e.kind === 'status' || e.kind === 'error' ? e.errors.map((x) => x.class) : []))).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('WASender: hostile content keys are unknown content, never media or wrappers (test/fixtures/hostile/wasender-prototype-keys.json)', () => {
    const events = normalizeBoth(ownFixture('hostile/wasender-prototype-keys.json'));
    expect(events.map((e) => e.kind === 'message' && [e.type, e.providerType, e.text, e.media])).toEqual([
      ['unknown', 'constructor', null, undefined],
      ['unknown', 'toString', null, undefined],
      ['unknown', 'hasOwnProperty', null, undefined],
      ['unknown', '__proto__', null, undefined],
    ]);
  });

  it('WASender: hostile send-error codes (test/fixtures/hostile/wasender-sent-prototype-code.json)', () => {
    const events = normalizeBoth(ownFixture('hostile/wasender-sent-prototype-code.json'));
    expect(events.map((e) => e.kind === 'status' && e.errors.map((x) => [x.code, x.class]))).toEqual(
      ['constructor', '__proto__', 'toString', 'hasOwnProperty'].map((c) => [[c, 'unknown']]),
    );
  });

  // Found by test/normalize.fuzz.test.ts (seed -1819104445): `String(raw)` on `{"toString": "__proto__"}` threw.
  it('WASender: a status or receipt status that is an object or array is an unknown status, not a TypeError', () => {
    const remoteJid = '5511999990002@s.whatsapp.net';
    for (const value of [{ toString: '__proto__' }, { valueOf: 1, toString: null }, [{ toString: 'x' }], { [Symbol.toPrimitive]: 'x' }]) {
      const update = { event: 'messages.update', sessionId: 's1', data: { key: { id: 'wamid.U', fromMe: true, remoteJid }, update: { status: value } } };
      const receipt = { event: 'message-receipt.update', sessionId: 's1', data: { key: { id: 'wamid.R', fromMe: true, remoteJid }, receipt: { userJid: remoteJid, status: value } } };
      for (const body of [update, receipt]) {
        const [event] = normalize(body, { receivedAt: RECEIVED }).events;
        expect(event).toMatchObject({ kind: 'status', status: 'unknown', providerStatus: Array.isArray(value) ? '[array]' : '[object]' });
        eventSchema.parse(JSON.parse(JSON.stringify(event)));
      }
    }
  });

  it('a hostile provider option is unknown_provider, not a call through Object.prototype', () => {
    for (const provider of HOSTILE_KEYS) {
      expect(() => normalize({ statuses: [] }, { provider: provider as 'cloud' })).toThrow(
        expect.objectContaining({ name: 'NormalizeError', code: 'unknown_provider' }),
      );
    }
  });

  it('detection reads own keys only', () => {
    const inherited = Object.create({ messages: [] }) as object;
    expect(detectProvider({ data: inherited })).toBeNull();
    expect(detectProvider({ data: { messages: [] } })).toBe('wasender');
  });

  it('the tracker resolves a hostile WASender message id to itself', async () => {
    const store = memoryStore();
    const tracker = createTracker({ store });
    for (const id of HOSTILE_KEYS) {
      const body = { event: 'messages.update', sessionId: 's1', data: { key: { id, fromMe: true, remoteJid: '5511999990002@s.whatsapp.net' }, update: { status: 3 } } };
      const report = await tracker.ingest(normalize(body, { receivedAt: RECEIVED }));
      expect(report.errors).toEqual([]);
      expect(await store.findByMessage({ messageId: id })).toMatchObject([{ messageId: id, provider: 'wasender', rank: 3 }]); // rank 3: delivered
    }
  });
});

describe('normalize() turns any other failure into a NormalizeError', () => {
  it('a caller object JSON cannot hold (a BigInt) is invalid_body with the cause kept', () => {
    let caught: unknown;
    try {
      normalize({ event: 'session.status', data: { n: 1n } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(NormalizeError);
    expect(caught).toMatchObject({ code: 'invalid_body', status: 400 });
    expect((caught as NormalizeError).cause).toBeInstanceOf(TypeError);
  });

  it('a caller object whose getter throws a value String() cannot print is still invalid_body', () => {
    const body = { object: 'whatsapp_business_account', get entry(): unknown { throw Object.create(null); } };
    expect(() => normalize(body)).toThrow(expect.objectContaining({ name: 'NormalizeError', code: 'invalid_body', message: 'The webhook body could not be normalized: [object Object]' }));
    expect(() => normalize({ statuses: [] }, { provider: Object.create(null) as 'cloud' })).toThrow(expect.objectContaining({ name: 'NormalizeError', code: 'unknown_provider' }));
  });

  it('a caller object that contains itself becomes events with a circular marker', () => {
    const data: Record<string, unknown> = { a: 1 };
    data.self = data;
    const events = normalize({ event: 'session.status', data }, { receivedAt: RECEIVED }).events;
    expect(JSON.parse(JSON.stringify(events[0]))).toMatchObject({ data: { a: 1, self: '[bluetick: circular]' } });
  });
});
