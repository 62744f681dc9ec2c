import { joinId } from '../event/ids.js';
import type { Provider } from '../event/types.js';

/** The parts of a tracking key. `party` is the participant for group receipts, else the recipient. */
export interface TrackingKeyParts {
  provider: Provider;
  accountId: string | null;
  messageId: string;
  party: string | null;
}

/**
 * The tracking key of a status event or a state:
 * `joinId([provider, accountId, messageId, participantId ?? recipientId])`, e.g.
 * `cloud:102290129340398:wamid.HBg…:16505551234`. Nulls print as empty parts.
 *
 * @example
 * ```ts
 * trackingKey(statusEvent); // 'cloud:102290129340398:wamid.HBg…:16505551234'
 * ```
 */
export function trackingKey(x: {
  provider: Provider;
  accountId: string | null;
  messageId: string;
  recipientId: string | null;
  participantId?: string | null | undefined;
}): string {
  // Same output as joinId([...]) (checked in tests), without the array and String() per part:
  // this runs once per status event.
  return `${x.provider}:${esc(x.accountId)}:${esc(x.messageId)}:${esc(x.participantId ?? x.recipientId)}`;
}

function esc(part: string | null | undefined): string {
  if (part === null || part === undefined) return '';
  return part.indexOf(':') === -1 && part.indexOf('%') === -1 ? part : joinId([part]);
}

function unescape(part: string): string {
  return part.includes('%') ? part.replace(/%3A/g, ':').replace(/%25/g, '%') : part;
}

/**
 * Splits a tracking key back into its parts (empty parts become null). Returns null when the
 * string is not a tracking key.
 *
 * @example
 * ```ts
 * parseTrackingKey('cloud::wamid.X:1555'); // { provider: 'cloud', accountId: null, messageId: 'wamid.X', party: '1555' }
 * ```
 */
export function parseTrackingKey(key: string): TrackingKeyParts | null {
  const parts = key.split(':');
  if (parts.length !== 4) return null;
  const [provider, accountId, messageId, party] = parts as [string, string, string, string];
  if (provider !== 'cloud' && provider !== 'onprem' && provider !== 'wasender') return null;
  return {
    provider,
    accountId: accountId === '' ? null : unescape(accountId),
    messageId: unescape(messageId),
    party: party === '' ? null : unescape(party),
  };
}
