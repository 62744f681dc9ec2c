/**
 * The ids of the two item kinds every batch is made of, built by concatenation rather than
 * through {@link joinId}'s parts array: a 50-status batch builds 50 of them. The head
 * (`provider:kind:` plus any scope) is computed once per envelope, the rest per item. Each id
 * equals the `joinId` noted beside it (property-tested), so ids never depend on which helper
 * built them.
 */
import { idPart } from '../event/ids.js';
import type { Provider } from '../event/types.js';

/**
 * The fixed start of one provider's ids of one kind: `provider:kind:`, or with a scope (WASender's
 * session, whose message ids are only unique per connected phone) `provider:kind:scope:`.
 *
 * @example
 * ```ts
 * idHead('cloud', 'status');           // 'cloud:status:'
 * idHead('wasender', 'message', 's1'); // 'wasender:message:s1:'
 * ```
 */
export function idHead(provider: Provider, kind: 'message' | 'status', scope?: string): string {
  // Built each time: once per WASender webhook (Meta's are module constants). A cache of the last
  // head saved 1.0% of normalizing one WASender upsert (bench/hot-paths.ts), not worth the state.
  return scope === undefined ? provider + ':' + kind + ':' : provider + ':' + kind + ':' + idPart(scope) + ':';
}

/**
 * A message event's id: `head + messageId`, i.e. `joinId([provider, 'message', scope?, messageId])`.
 *
 * @example
 * ```ts
 * messageEventId(idHead('cloud', 'message'), 'wamid.X'); // 'cloud:message:wamid.X'
 * ```
 */
export function messageEventId(head: string, messageId: string): string {
  return head + idPart(messageId);
}

/**
 * A status event's id: `joinId([provider, 'status', scope?, messageId, recipient, participant,
 * providerStatus])`. One id per (message, recipient, group member, status value): a provider's
 * retry of the same status gets the same id, the next status of the message a new one.
 *
 * @example
 * ```ts
 * statusEventId(idHead('cloud', 'status'), 'wamid.X', '16505551234', '', 'read'); // 'cloud:status:wamid.X:16505551234::read'
 * ```
 */
export function statusEventId(head: string, messageId: string, recipient: string, participant: string, providerStatus: string): string {
  // Nearly every status has no group member: '::' in one piece saves two string allocations.
  const middle = participant === '' ? '::' : ':' + idPart(participant) + ':';
  return head + idPart(messageId) + ':' + idPart(recipient) + middle + idPart(providerStatus);
}
