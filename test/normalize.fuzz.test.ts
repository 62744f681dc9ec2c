/**
 * Fuzzing normalize() with hostile input (issue 12): mutations of every shared fixture, arbitrary
 * JSON, deep nesting and keys named after Object.prototype members. For each body, as text and as
 * its parse: normalize() returns events or throws a NormalizeError of its own (never its "any
 * other failure" fallback, which would hide a mapper bug), both inputs give the same events, and
 * every event serializes, passes eventSchema after a JSON round trip and nests no deeper than the
 * documented bound.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NormalizeError, eventSchema, normalize } from '../src/index.js';
import { MAX_EVENT_DEPTH } from '../src/event/bounded-json.js';
import { describeWithSharedFixtures, sharedFixtures } from './helpers/fixtures.js';
import { depthOf } from './helpers/json-depth.js';

const RECEIVED = '2026-01-01T00:00:00.000Z';
/** Sized for a few seconds in `npm run test:unit`; `FUZZ_SCALE=20 npx vitest run test/normalize.fuzz.test.ts` soaks. */
const SCALE = Math.max(1, Number(process.env.FUZZ_SCALE ?? 1));
const HOSTILE = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];
/** Stands for a deeply nested value in a body; replaced in its text (JSON.stringify could not write 100,000 levels). */
const DEEP = '\u0000bluetick-deep\u0000';
const DEEP_JSON = JSON.stringify(DEEP);

function run(input: string | object): { events: string[] } | { error: NormalizeError } {
  try {
    return { events: normalize(input, { receivedAt: RECEIVED, keepRaw: true }).events.map((e) => JSON.stringify(e)) };
  } catch (err) {
    if (!(err instanceof NormalizeError)) throw err;
    // The fallback wraps an unexpected failure (cause kept); a JSON body must never need it.
    if (err.cause !== undefined && err.code !== 'invalid_json') throw err.cause;
    return { error: err };
  }
}

/** The property every hostile body must have, for its text and for its parse. */
function checkBody(text: string): void {
  const fromText = run(text);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    expect('error' in fromText && fromText.error.code).toBe('invalid_json');
    return;
  }
  const fromObject = parsed !== null && typeof parsed === 'object' ? run(parsed) : fromText;
  if ('error' in fromText) {
    expect('error' in fromObject && fromObject.error.code).toBe(fromText.error.code);
    return;
  }
  expect(fromObject).toEqual(fromText);
  for (const json of fromText.events) {
    const back = JSON.parse(json) as unknown;
    const result = eventSchema.safeParse(back);
    if (!result.success) throw new Error(`event fails eventSchema: ${result.error.message}\n${json.slice(0, 2000)}`);
    expect(depthOf(back)).toBeLessThanOrEqual(MAX_EVENT_DEPTH + 1);
  }
}

/** A JSON text nesting `depth` levels of objects and/or arrays. */
function deepText(depth: number, shape: 'object' | 'array' | 'mixed', key: string): string {
  const open = JSON.stringify(key);
  const heads: string[] = [];
  const tails: string[] = [];
  for (let i = 0; i < depth; i++) {
    const asObject = shape === 'object' || (shape === 'mixed' && i % 2 === 0);
    heads.push(asObject ? `{${open}:` : '[');
    tails.push(asObject ? '}' : ']');
  }
  return heads.join('') + '1' + tails.reverse().join('');
}

/**
 * A deep value: some depths sit at the bound, others beyond it; with `overflow`, some are 100,000
 * levels (overflowing any recursive walk; each such run costs tens of milliseconds, so only the
 * minimal bodies get them, and the depth bound checked on every event catches a value carried
 * unbounded at 3,000 levels as surely).
 */
function deepValue(overflow: boolean) {
  const depths = [
    { weight: 4, arbitrary: fc.integer({ min: MAX_EVENT_DEPTH - 1, max: MAX_EVENT_DEPTH + 2 }) },
    { weight: 4, arbitrary: fc.integer({ min: 40, max: 3000 }) },
  ];
  return fc.record({
    depth: overflow ? fc.oneof(...depths, { weight: 2, arbitrary: fc.constant(100_000) }) : fc.oneof(...depths),
    shape: fc.constantFrom('object' as const, 'array' as const, 'mixed' as const),
    key: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 4 })),
  });
}

const hostileKey = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...HOSTILE) }, fc.string({ maxLength: 8 }));
/** Arbitrary JSON whose object keys are often Object.prototype member names. */
const hostileJson = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(...HOSTILE),
    fc.jsonValue({ maxDepth: 1 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.array(fc.tuple(hostileKey, tie('value')), { maxLength: 4 }).map(objectOf),
  ),
})).value;

/** An object from entries, with "__proto__" as an own key (as JSON.parse makes it), never a prototype. */
function objectOf(entries: Array<[string, unknown]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

type Mutation =
  | { kind: 'delete' | 'deep' | 'hostile-string'; path: number[] }
  | { kind: 'replace'; path: number[]; value: unknown }
  | { kind: 'add-key'; path: number[]; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete' as const, 'deep' as const, 'hostile-string' as const), path: fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('replace' as const), path: fc.array(fc.nat(50), { minLength: 1, maxLength: 8 }), value: hostileJson }),
  fc.record({ kind: fc.constant('add-key' as const), path: fc.array(fc.nat(50), { maxLength: 8 }), key: fc.constantFrom(...HOSTILE), value: hostileJson }),
);

function setOwn(container: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Applies a mutation in place at a pseudo-random path (indices taken modulo each level's size). */
function mutate(root: Record<string, unknown>, m: Mutation): void {
  let node: Record<string, unknown> = root;
  for (let depth = 0; depth < m.path.length; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[(m.path[depth] ?? 0) % keys.length] as string;
    const child = node[key];
    const last = depth === m.path.length - 1;
    if (m.kind === 'add-key' ? child === null || typeof child !== 'object' : last || child === null || typeof child !== 'object') {
      if (m.kind === 'add-key') break;
      if (m.kind === 'delete') delete node[key];
      else if (m.kind === 'replace') setOwn(node, key, m.value);
      else setOwn(node, key, m.kind === 'deep' ? DEEP : HOSTILE[(m.path[0] ?? 0) % HOSTILE.length]);
      return;
    }
    node = child as Record<string, unknown>;
  }
  if (m.kind === 'add-key') setOwn(node, m.key, m.value);
}

/** The body's text with each DEEP stand-in replaced by a deep value. */
function textOf(body: unknown, deep: { depth: number; shape: 'object' | 'array' | 'mixed'; key: string }): string {
  const text = JSON.stringify(body);
  return text.includes(DEEP_JSON) ? text.split(DEEP_JSON).join(deepText(deep.depth, deep.shape, deep.key)) : text;
}

describe('normalize() under fuzzing with hostile input (fast-check)', () => {
  it('arbitrary JSON with hostile keys, bare and inside every provider envelope', () => {
    const envelope = fc.oneof(
      hostileJson,
      hostileJson.map((value) => ({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value }] }] })),
      fc.tuple(hostileKey, hostileJson).map(([field, value]) => ({ object: 'whatsapp_business_account', entry: [{ changes: [{ field, value }] }] })),
      hostileJson.map((item) => ({ messages: [item], statuses: [item], errors: [item] })),
      fc.tuple(fc.oneof(hostileKey, fc.constantFrom('messages.upsert', 'messages.update', 'message-receipt.update', 'message.sent')), hostileJson).map(
        ([event, data]) => ({ event, sessionId: 's1', timestamp: 1700000000, data }),
      ),
    );
    fc.assert(
      fc.property(envelope, (body) => checkBody(JSON.stringify(body) ?? 'null')),
      { numRuns: 600 * SCALE },
    );
  });

  it('deep nesting in place of any value of a minimal body of each provider', () => {
    const bodies = [
      { object: 'whatsapp_business_account', entry: [{ id: 'w', time: 1, changes: [{ field: 'messages', value: { messages: [{ from: '1', type: 'text', text: { body: 'x' } }], statuses: [{ id: 'm', status: 'failed', errors: [{ code: 1 }] }], errors: [{ code: 2 }] } }] }] },
      { contacts: [{ wa_id: '1' }], messages: [{ from: '1', id: 'i', type: 'contacts', contacts: [{ name: {} }] }], statuses: [{ status: 'read' }], errors: [{ code: 1 }] },
      { event: 'messages.upsert', sessionId: 's', data: { messages: { key: { id: 'k', remoteJid: '1@s.whatsapp.net' }, message: { conversation: 'x' } } } },
      { event: 'message.sent', data: { success: false, error: { code: 'x' } } },
    ];
    fc.assert(
      fc.property(fc.constantFrom(...bodies), fc.array(fc.nat(50), { minLength: 1, maxLength: 10 }), deepValue(true), (body, path, deep) => {
        const copy = structuredClone(body) as Record<string, unknown>;
        mutate(copy, { kind: 'deep', path });
        checkBody(textOf(copy, deep));
      }),
      { numRuns: 60 * SCALE },
    );
  });

  describeWithSharedFixtures('mutations of every shared fixture (hostile keys and strings, deep values, deletions)', () => {
    const fixtures = sharedFixtures();
    it(`mutates each of the ${fixtures.length} shared fixtures`, () => {
      for (const fixture of fixtures) {
        const parsed = JSON.parse(fixture.text) as unknown;
        if (parsed === null || typeof parsed !== 'object') continue;
        fc.assert(
          fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), deepValue(false), (mutations, deep) => {
            const body = structuredClone(parsed) as Record<string, unknown>;
            for (const m of mutations) mutate(body, m);
            checkBody(textOf(body, deep));
          }),
          { numRuns: 12 * SCALE },
        );
      }
    });
  });
});
