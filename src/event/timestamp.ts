/**
 * Provider timestamps arrive as strings or numbers, in seconds (Meta), milliseconds (WASender
 * envelopes) or occasionally microseconds. We normalize by magnitude rather than by provider,
 * because the same provider is not consistent with itself.
 */

const MS_THRESHOLD = 1e11; // 1e11 s is the year 5138; 1e11 ms is 1973.
const US_THRESHOLD = 1e14; // 1e14 ms is the year 5138.
const MAX_MS = 253402300799999; // 9999-12-31T23:59:59.999Z: the last instant with a 4-digit year.

const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;
const pad3 = (n: number): string => (n < 10 ? '00' : n < 100 ? '0' : '') + n;

// The text after the minute, from tables: one string concatenation per timestamp instead of four
// (each one an allocation). Whole seconds (Meta) use `ss.000Z`; WASender's milliseconds add a
// `.mmmZ` tail, built the first time each of the 1000 values is seen.
const WHOLE_SECONDS = Array.from({ length: 60 }, (_, s) => pad2(s) + '.000Z');
const SECONDS = Array.from({ length: 60 }, (_, s) => pad2(s));
const MILLIS_TAILS: string[] = [];

function millisTail(millis: number): string {
  return (MILLIS_TAILS[millis] ??= '.' + pad3(millis) + 'Z');
}

/**
 * Formats epoch milliseconds (0 ≤ ms ≤ year 9999) exactly as `Date.prototype.toISOString` does,
 * many times faster: normalize() formats one timestamp per item, and `new Date().toISOString()`
 * would cost a batch of 50 statuses about 30% more per item (bench/hot-paths.ts: ~900 ns
 * against ~50 ns per call on the project's machine). Civil-from-days is Howard
 * Hinnant's algorithm (http://howardhinnant.github.io/date_algorithms.html).
 *
 * @example
 * ```ts
 * formatIso(1747775431467); // '2025-05-20T21:10:31.467Z'
 * ```
 */
export function formatIso(ms: number): string {
  const minute = Math.floor(ms / 60000);
  // A batch's timestamps nearly always fall in one or two minutes (a burst of statuses, and the
  // conversation expiry they share): two cached "YYYY-MM-DDTHH:MM:" prefixes cover them, so the
  // common case only appends the seconds.
  const prefix = minute === minuteA ? prefixA : minute === minuteB ? prefixB : minutePrefix(minute);
  const rem = ms - minute * 60000;
  const seconds = Math.floor(rem / 1000);
  const millis = rem - seconds * 1000;
  return millis === 0 ? prefix + WHOLE_SECONDS[seconds] : prefix + SECONDS[seconds] + millisTail(millis);
}

let minuteA = Number.NaN;
let prefixA = '';
let minuteB = Number.NaN;
let prefixB = '';

function minutePrefix(minute: number): string {
  const days = Math.floor(minute / 1440);
  const inDay = minute - days * 1440;
  const hours = Math.floor(inDay / 60);
  const prefix = (days === lastDay ? lastDate : datePrefix(days)) + pad2(hours) + ':' + pad2(inDay - hours * 60) + ':';
  minuteB = minuteA;
  prefixB = prefixA;
  minuteA = minute;
  prefixA = prefix;
  return prefix;
}

let lastDay = Number.NaN;
let lastDate = '';

function datePrefix(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  lastDay = days;
  lastDate = `${year < 1000 ? String(year).padStart(4, '0') : year}-${pad2(month)}-${pad2(day)}T`;
  return lastDate;
}

/**
 * `Number(text)`, read by hand for plain digit strings of up to 15 digits (exact below 2^53):
 * `Number()` on a 10-digit string costs about as much as JSON-parsing it, and every item carries
 * one or two. Anything else (signs, dots, exponents, spaces, longer strings) goes to `Number()`.
 */
function decimalValue(text: string): number {
  if (text.length > 15) return Number(text);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(text);
    n = n * 10 + d;
  }
  return n;
}

/**
 * Converts a provider timestamp to ISO-8601 UTC, or returns `undefined` when it is missing or
 * not a usable number (`"asdf"`, `NaN`, zero or negative, past the year 9999).
 *
 * @example
 * ```ts
 * toIsoTimestamp('1603059201');      // '2020-10-18T22:13:21.000Z'
 * toIsoTimestamp(1747775431467);     // '2025-05-20T21:10:31.467Z'
 * toIsoTimestamp('asdf');            // undefined
 * ```
 */
export function toIsoTimestamp(value: unknown): string | undefined {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && value.length > 0 && value.length < 24) n = decimalValue(value);
  else return undefined;
  if (!(n > 0) || n === Infinity) return undefined;
  const ms = Math.floor(n < MS_THRESHOLD ? n * 1000 : n < US_THRESHOLD ? n : n / 1000);
  return ms <= MAX_MS ? formatIso(ms) : undefined;
}

/**
 * A provider timestamp as ISO-8601 UTC ({@link toIsoTimestamp}), or `fallback` when it is missing
 * or unusable (`"asdf"`, `0`).
 *
 * @example
 * ```ts
 * isoOr('1603059201', receivedAt); // '2020-10-18T22:13:21.000Z'
 * isoOr('asdf', receivedAt);       // receivedAt
 * ```
 */
export function isoOr(value: unknown, fallback: string): string {
  return toIsoTimestamp(value) ?? fallback;
}

/*
 * ISO-8601 → epoch milliseconds. The hot path parses one `occurredAt` per status event, and the
 * canonical form is always `Date.prototype.toISOString()`'s `YYYY-MM-DDTHH:MM:SS.sssZ`, so that
 * exact shape is parsed by hand (several times faster than `Date.parse`); anything else falls back
 * to `Date.parse`.
 */

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Epoch ms of an ISO timestamp, or `NaN` when it is not one.
 *
 * @example
 * ```ts
 * isoToMs('2020-10-18T22:13:21.000Z'); // 1603059201000
 * ```
 */
export function isoToMs(iso: string): number {
  if (
    iso.length === 24 &&
    iso.charCodeAt(4) === 45 &&
    iso.charCodeAt(7) === 45 &&
    iso.charCodeAt(10) === 84 &&
    iso.charCodeAt(13) === 58 &&
    iso.charCodeAt(16) === 58 &&
    iso.charCodeAt(19) === 46 &&
    iso.charCodeAt(23) === 90
  ) {
    const y = digits(iso, 0, 4);
    const mo = digits(iso, 5, 2);
    const d = digits(iso, 8, 2);
    const h = digits(iso, 11, 2);
    const mi = digits(iso, 14, 2);
    const s = digits(iso, 17, 2);
    const ms = digits(iso, 20, 3);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h >= 0 && h < 24 && mi >= 0 && mi < 60 && s >= 0 && s < 60 && ms >= 0) {
      return Date.UTC(y, mo - 1, d, h, mi, s, ms);
    }
  }
  return Date.parse(iso);
}

/**
 * ISO string of an epoch-ms timestamp, `null` for 0 (never seen).
 *
 * @example
 * ```ts
 * msToIso(0);             // null
 * msToIso(1603059201000); // '2020-10-18T22:13:21.000Z'
 * ```
 */
export function msToIso(ms: number): string | null {
  if (ms === 0) return null;
  // present() formats every time of a state for each transition a listener receives: with
  // `Date#toISOString` that was 9% of a memory-store receiver's CPU under 50-status batches
  // (bench/receiver.ts --only memory --batch 50); formatIso is 2-3x faster.
  return Number.isInteger(ms) && ms > 0 && ms < YEAR_10000_MS ? formatIso(ms) : new Date(ms).toISOString();
}

/** 10000-01-01T00:00:00.000Z: formatIso writes four-digit years only. */
const YEAR_10000_MS = 253_402_300_800_000;
