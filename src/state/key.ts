/**
 * The state key: a state's identity as one string, `provider:messageId:participantId` with each
 * part escaped (`%` → `%25`, `:` → `%3A`) and `null` printed empty. The account and the recipient
 * are not part of it: a host's `track()` and the provider's webhooks always meet in one state.
 */
import { joinId } from '../event/ids.js';
import type { Provider } from '../event/types.js';

/** What identifies a delivery state. */
export interface StateIdentity {
  provider: Provider;
  messageId: string;
  /** The group member, or null for a one-to-one message and for a group message as a whole. */
  participantId?: string | null | undefined;
}

/**
 * The key of a state (or of the observation a status event stands for).
 *
 * @example
 * ```ts
 * stateKey({ provider: 'cloud', messageId: 'wamid.HBg…' }); // 'cloud:wamid.HBg…:'
 * stateKey({ provider: 'wasender', messageId: '3EB0…', participantId: '5511999990002' }); // 'wasender:3EB0…:5511999990002'
 * ```
 */
export function stateKey(x: StateIdentity): string {
  return joinId([x.provider, x.messageId, x.participantId ?? null]);
}

function unescape(part: string): string {
  return part.includes('%') ? part.replace(/%3A/g, ':').replace(/%25/g, '%') : part;
}

/**
 * Splits a state key back into its identity; null when the string is not a state key.
 *
 * @example
 * ```ts
 * parseStateKey('cloud:wamid.X:'); // { provider: 'cloud', messageId: 'wamid.X', participantId: null }
 * ```
 */
export function parseStateKey(key: string): Required<StateIdentity> | null {
  const parts = key.split(':');
  if (parts.length !== 3) return null;
  const [provider, messageId, participant] = parts as [string, string, string];
  if (provider !== 'cloud' && provider !== 'onprem' && provider !== 'wasender') return null;
  if (messageId === '') return null;
  return { provider, messageId: unescape(messageId), participantId: participant === '' ? null : unescape(participant) };
}
