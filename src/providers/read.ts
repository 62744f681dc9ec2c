/**
 * Small, allocation-free readers for untrusted provider JSON. Provider payloads are lenient data:
 * a field may be missing, null, a number where a string was documented, or a placeholder. These
 * helpers return `undefined` instead of throwing, so one odd field never loses the whole item.
 */

/** A plain object, or undefined. */
export type Json = Record<string, unknown>;

export function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string; numbers are stringified (ids and codes arrive as either). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * A provider value as text for a field that echoes it (`providerStatus`): scalars as themselves,
 * an object or array as `[object]` / `[array]` (the item itself stays in `raw`). Never `String()`
 * on untrusted JSON: `{"toString": "x"}` makes it throw.
 */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return Array.isArray(value) ? '[array]' : value === null ? 'null' : '[object]';
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.length > 0) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A boolean, also when sent as a string in any case (`"true"`, `"True"`, `"FALSE"`: some BSP relays stringify them). */
export function bool(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' || (value.length !== 4 && value.length !== 5)) return undefined;
  const lower = value.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : undefined;
}
