/**
 * Text for a value of unknown type, such as something a sink, a driver or a listener threw, for
 * error messages and dead-letter records. `String(value)` throws on an object without a usable
 * `toString` (`Object.create(null)`, `{ toString: 'x' }`): on an error path that would turn one
 * bad throw into an unhandled rejection, and the records it was about would be neither delivered
 * nor dead-lettered.
 *
 * @example
 * ```ts
 * describeValue('boom'); // 'boom'
 * describeValue(Object.create(null)); // '[object Object]'
 * ```
 */
export function describeValue(value: unknown): string {
  try {
    return String(value);
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return `[${typeof value}]`; // a Proxy whose traps throw
    }
  }
}
