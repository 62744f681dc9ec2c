/**
 * Bounded nesting for the free-form provider values an event carries (notification `data`,
 * message `details`, `interaction.response`, `raw`). A body nested 100,000 levels deep parses
 * fine in V8, but every recursive walk after it (JSON.stringify in a sink, a hash, a redaction
 * pass) overflows the stack: one such event would take its whole sink batch down. So containers
 * nested deeper than {@link MAX_EVENT_DEPTH} are replaced by {@link TRUNCATED_MARKER}.
 *
 * Real payloads nest a handful of levels: the check walks them without allocating and returns
 * the same value; only a value that is too deep is copied (never mutated: it is the caller's).
 */
import type { CanonicalEvent } from './types.js';

/** How many levels of objects and arrays a value may nest (the value itself is level 1). */
export const MAX_EVENT_DEPTH = 32;

/**
 * What replaces an object or array nested deeper than {@link MAX_EVENT_DEPTH} levels inside a
 * free-form value (`'[bluetick: truncated at depth 32]'`): a plain string, so the event stays
 * valid JSON and passes `eventSchema`.
 */
export const TRUNCATED_MARKER = `[bluetick: truncated at depth ${MAX_EVENT_DEPTH}]`;

/** What replaces an object that contains itself (only a caller's own object can: JSON cannot). */
export const CIRCULAR_MARKER = '[bluetick: circular]';

/** Whether `value` holds an object or array below `levels` levels of nesting. */
function deeperThan(value: unknown, levels: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (levels === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (deeperThan(value[i], levels - 1)) return true;
    return false;
  }
  // for…in, not Object.keys: no array per object. An inherited key only makes the check stricter.
  for (const key in value) if (deeperThan((value as Record<string, unknown>)[key], levels - 1)) return true;
  return false;
}

function copyBounded(value: unknown, levels: number, ancestors: object[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (levels === 0) return TRUNCATED_MARKER;
  if (ancestors.includes(value)) return CIRCULAR_MARKER;
  ancestors.push(value);
  let out: unknown[] | Record<string, unknown>;
  if (Array.isArray(value)) {
    out = [];
    for (let i = 0; i < value.length; i++) out.push(copyBounded(value[i], levels - 1, ancestors));
  } else {
    out = {};
    for (const key in value) {
      if (!Object.hasOwn(value, key)) continue;
      const copy = copyBounded((value as Record<string, unknown>)[key], levels - 1, ancestors);
      // defineProperty, not assignment: a provider key may be "__proto__" (JSON.parse keeps it as
      // an own key; assigning it would set the copy's prototype instead).
      if (key === '__proto__') Object.defineProperty(out, key, { value: copy, enumerable: true, writable: true, configurable: true });
      else out[key] = copy;
    }
  }
  ancestors.pop();
  return out;
}

/**
 * `value` itself when it nests at most {@link MAX_EVENT_DEPTH} levels of objects and arrays
 * (every real payload), else a copy where each container below that depth is
 * {@link TRUNCATED_MARKER} and each cycle {@link CIRCULAR_MARKER}.
 *
 * @example
 * ```ts
 * boundDepth({ a: [1] }); // the same object
 * let deep: unknown = 'x';
 * for (let i = 0; i < 40; i++) deep = [deep];
 * boundDepth(deep); // 32 nested arrays, the innermost holding '[bluetick: truncated at depth 32]'
 * ```
 */
export function boundDepth(value: unknown): unknown {
  return deeperThan(value, MAX_EVENT_DEPTH) ? copyBounded(value, MAX_EVENT_DEPTH, []) : value;
}

/** `event[key]` bounded in place, when it is an object or array. */
function boundField(event: Record<string, unknown>, key: string): void {
  const value = event[key];
  if (value !== null && typeof value === 'object') {
    const bounded = boundDepth(value);
    if (bounded !== value) event[key] = bounded;
  }
}

/**
 * Bounds the free-form fields of an event in place (see the module comment): `raw` (only with
 * `keepRaw`), a notification's `data`, a message's `details` and `interaction` (whose `response`
 * is a flow's reply as sent). Every other field is the mappers' own, a few levels deep. A field
 * that embeds provider values must be named here: the fuzz test (test/normalize.fuzz.test.ts)
 * fails on an event nested deeper than the bound. Named fields by kind, not a walk over every
 * key: this runs for every event of every batch, and a status (most events) has none.
 */
export function boundEventDepth(event: CanonicalEvent, keepRaw: boolean): void {
  const fields = event as unknown as Record<string, unknown>;
  if (keepRaw) boundField(fields, 'raw');
  if (event.kind === 'message') {
    if (event.details !== undefined) boundField(fields, 'details');
    if (event.interaction !== undefined) boundField(fields, 'interaction');
  } else if (event.kind === 'notification') {
    boundField(fields, 'data');
  }
}
