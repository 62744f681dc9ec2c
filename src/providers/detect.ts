import type { Provider } from '../event/types.js';

/**
 * Which provider sent this parsed envelope, or `null` when none matches.
 *
 * - cloud: `object === "whatsapp_business_account"` (or an `entry` array, leniently);
 * - wasender: a string `event` beside `data`, or the legacy guide's `data.messages` with no event;
 * - onprem: top-level `messages` / `statuses` / `contacts` / `errors`, no `object`.
 *
 * @example
 * ```ts
 * detectProvider({ object: 'whatsapp_business_account', entry: [] }); // 'cloud'
 * detectProvider({ event: 'messages.upsert', data: {} });             // 'wasender'
 * detectProvider({ statuses: [] });                                   // 'onprem'
 * ```
 */
export function detectProvider(body: Record<string, unknown>): Provider | null {
  if (body.object === 'whatsapp_business_account') return 'cloud';
  if (typeof body.event === 'string') return 'wasender';
  if (body.object === undefined) {
    if (Array.isArray(body.messages) || Array.isArray(body.statuses) || Array.isArray(body.errors)) return 'onprem';
    const data = body.data;
    if (data !== null && typeof data === 'object' && Object.hasOwn(data, 'messages')) return 'wasender';
    if (Array.isArray(body.contacts)) return 'onprem';
    if (Array.isArray(body.entry)) return 'cloud';
  }
  return null;
}
