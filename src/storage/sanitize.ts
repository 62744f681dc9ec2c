/**
 * The one way bluetick makes text storable: U+0000 (NUL) and lone UTF-16 surrogates, which
 * PostgreSQL's `text`/`jsonb` and Redis's cjson refuse or mangle, become U+FFFD. The tracker
 * applies it to every event and observation before the store step, so every store, every sink
 * and every listener sees the same value, and one bad string never blocks the rest of a batch.
 */

// NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
// eslint-disable-next-line no-control-regex -- NUL is exactly what this finds
const POISON = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// A cheap first test: any NUL or surrogate at all (valid pairs included, checked precisely after).
// eslint-disable-next-line no-control-regex -- NUL is exactly what this finds
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/**
 * The text with NUL and lone surrogates replaced by U+FFFD (the same string when it has none).
 *
 * @example
 * ```ts
 * sanitizeText('a\u0000b'); // 'a\uFFFDb'
 * sanitizeText('😀'); // '😀' (a valid pair is kept)
 * ```
 */
export function sanitizeText(text: string): string {
  return isClean(text) ? text : text.replace(POISON, '\uFFFD');
}

// `indexOf` and `isWellFormed` (ES2024; a one-byte string answers without a scan) cost about half
// of one `SUSPECT.test` per string, and the ingest path runs this on every string and key of
// every event: bench/hot-paths.ts, the 26 strings of one status event, 264 vs 461 ns, 31% of
// sanitizeValue of that event. Runtimes without isWellFormed keep the regular expression.
const hasIsWellFormed = typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function';
const isClean: (text: string) => boolean = hasIsWellFormed
  ? (text) => text.indexOf('\u0000') === -1 && (text as string & { isWellFormed(): boolean }).isWellFormed()
  : (text) => !SUSPECT.test(text);

/**
 * A deep copy of `value` with every string (keys included) sanitized, or `value` itself when no
 * string needed it (the common case allocates nothing).
 *
 * @example
 * ```ts
 * sanitizeValue({ title: 'x\u0000' }); // { title: 'x\uFFFD' }
 * ```
 */
export function sanitizeValue<T>(value: T): T {
  return (walk(value, 0) ?? value) as T;
}

/** The sanitized copy, or undefined when nothing changed. Depth-bounded: deeper parts are left as they are. */
function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') {
    const clean = sanitizeText(value);
    return clean === value ? undefined : clean;
  }
  if (value === null || typeof value !== 'object' || depth > 64) return undefined;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], depth + 1);
      if (v !== undefined) (out ??= value.slice())[i] = v;
    }
    return out;
  }
  let out: Record<string, unknown> | undefined;
  // for…in, not Object.keys: no array per object on the ingest path (events are plain objects).
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const v = walk((value as Record<string, unknown>)[key], depth + 1);
    const k = sanitizeText(key);
    if (v === undefined && k === key) continue;
    if (out === undefined) out = { ...(value as Record<string, unknown>) };
    if (k !== key) delete out[key];
    // defineProperty, not assignment: a provider key may be "__proto__".
    Object.defineProperty(out, k, { value: v === undefined ? (value as Record<string, unknown>)[key] : v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Marks a `normalize()` result whose events cannot hold what {@link sanitizeValue} replaces (its
 * webhook's text had none): the tracker then skips the walk. Set by the webhook handler after it
 * checked the body with {@link isStorableJsonText}; a symbol, so no event or JSON carries it.
 */
export const SANITIZED: unique symbol = Symbol.for('bluetick.sanitized') as never;

// In JSON text: a NUL escape, or a surrogate escape not paired (lone high, lone low).
const POISON_ESCAPE = /\\u0000|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/;

/**
 * Whether JSON text can only parse into strings free of NUL and lone surrogates: no raw ones, no
 * escaped ones. (An escaped backslash followed by `u0000` also counts as suspect: that only costs
 * the walk.)
 *
 * @example
 * ```ts
 * isStorableJsonText('{"a":"😀"}'); // true
 * isStorableJsonText('{"a":"\\u0000"}'); // false
 * ```
 */
export function isStorableJsonText(text: string): boolean {
  if (SUSPECT.test(text)) {
    POISON.lastIndex = 0;
    if (POISON.test(text)) return false;
  }
  return !POISON_ESCAPE.test(text);
}
