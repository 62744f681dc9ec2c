import { toIsoTimestamp } from '../event/timestamp.js';

/**
 * A provider timestamp as ISO-8601 UTC ({@link toIsoTimestamp}: seconds, milliseconds or
 * microseconds by magnitude), or `fallback` when it is missing or unusable (`"asdf"`, `0`). The
 * one place every mapper turns an item's time into `occurredAt`.
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
