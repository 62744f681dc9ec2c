/**
 * ISO-8601 ⇄ epoch milliseconds. The hot path parses one `occurredAt` per status event, and the
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

/** Epoch ms of an ISO timestamp, or `NaN` when it is not one. */
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

/** ISO string of an epoch-ms timestamp, `null` for 0 (never seen). */
export function msToIso(ms: number): string | null {
  return ms === 0 ? null : new Date(ms).toISOString();
}
