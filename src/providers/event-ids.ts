/**
 * The ids of the two item kinds every batch is made of, built by concatenation rather than
 * through {@link joinId}'s parts array: a 50-status batch builds 50 of them. Each returns exactly
 * what the `joinId` noted beside it returns (property-tested), so ids never depend on which
 * helper built them.
 */
import { idPart } from '../event/ids.js';
import type { Provider } from '../event/types.js';

/**
 * A message event's id: `joinId([provider, 'message', messageId])`, or with a scope (WASender's
 * session, whose message ids are only unique per connected phone)
 * `joinId([provider, 'message', scope, messageId])`.
 *
 * @example
 * ```ts
 * messageEventId('cloud', undefined, 'wamid.X'); // 'cloud:message:wamid.X'
 * messageEventId('wasender', 's1', '3EB0A');     // 'wasender:message:s1:3EB0A'
 * ```
 */
export function messageEventId(provider: Provider, scope: string | undefined, messageId: string): string {
  const head = scope === undefined ? provider + ':message:' : provider + ':message:' + idPart(scope) + ':';
  return head + idPart(messageId);
}

/**
 * A status event's id: `joinId([provider, 'status', scope?, messageId, recipient, participant,
 * providerStatus])`. One id per (message, recipient, group member, status value): a provider's
 * retry of the same status gets the same id, the next status of the message a new one.
 *
 * @example
 * ```ts
 * statusEventId('cloud', undefined, 'wamid.X', '16505551234', '', 'read'); // 'cloud:status:wamid.X:16505551234::read'
 * ```
 */
export function statusEventId(
  provider: Provider,
  scope: string | undefined,
  messageId: string,
  recipient: string,
  participant: string,
  providerStatus: string,
): string {
  const head = scope === undefined ? provider + ':status:' : provider + ':status:' + idPart(scope) + ':';
  return head + idPart(messageId) + ':' + idPart(recipient) + ':' + idPart(participant) + ':' + idPart(providerStatus);
}
