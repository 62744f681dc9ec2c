/** Interaction records from canonical message events (button, list, quick-reply and flow replies). */
import type { CanonicalEvent, MessageEvent } from '../event/types.js';
import type { InteractionRecord } from './types.js';

/**
 * The interaction record of a message event, or null when it carries no interaction.
 * `resolve` maps a provider-specific id (a WASender msgId) to the tracked message id.
 *
 * @example
 * ```ts
 * const record = interactionOf(event, (id) => id);
 * record?.repliedTo; // the outbound message the button belongs to
 * ```
 */
export function interactionOf(event: MessageEvent, resolve: (id: string) => string): InteractionRecord | null {
  const i = event.interaction;
  if (i === undefined || event.direction !== 'inbound') return null;
  const at = Date.parse(event.occurredAt);
  const context = event.context?.messageId;
  return {
    id: event.id,
    provider: event.provider,
    accountId: event.accountId ?? null,
    messageId: event.messageId,
    repliedTo: context ? resolve(context) : null,
    kind: i.kind,
    replyId: i.id ?? i.payload ?? null,
    title: i.title ?? null,
    from: event.from,
    at: Number.isFinite(at) ? at : Date.parse(event.receivedAt) || 0,
  };
}

/** The interaction records of a batch. */
export function interactionsOf(events: readonly CanonicalEvent[], resolve: (id: string) => string): InteractionRecord[] {
  const out: InteractionRecord[] = [];
  for (const e of events) {
    if (e.kind !== 'message' || e.interaction === undefined) continue;
    const r = interactionOf(e, resolve);
    if (r !== null) out.push(r);
  }
  return out;
}
