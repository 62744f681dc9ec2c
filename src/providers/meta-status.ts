/**
 * Readers for the parts a Meta-style status carries besides its value (`pricing`,
 * `conversation`), shared by the On-Premises mapper and usable by the Cloud one: both APIs send
 * the same objects.
 */
import { toIsoTimestamp } from '../event/timestamp.js';
import type { Conversation, Pricing } from '../event/types.js';
import { bool, type Json, obj, str } from './read.js';

/**
 * Maps a Meta `pricing` object (`billable`, `pricing_model`, `category`, `type`) to {@link Pricing}.
 *
 * @example
 * ```ts
 * metaPricing({ billable: true, pricing_model: 'CBP', category: 'service' });
 * // { billable: true, model: 'CBP', category: 'service' }
 * ```
 */
export function metaPricing(p: Json): Pricing {
  const pricing: Pricing = {};
  const billable = bool(p.billable);
  if (billable !== undefined) pricing.billable = billable;
  const model = str(p.pricing_model);
  if (model !== undefined) pricing.model = model;
  const category = str(p.category);
  if (category !== undefined) pricing.category = category;
  const type = str(p.type);
  if (type !== undefined) pricing.type = type;
  return pricing;
}

/**
 * Maps a Meta `conversation` object (`id`, `origin.type`, `expiration_timestamp`) to {@link Conversation}.
 *
 * @example
 * ```ts
 * metaConversation({ id: 'c1', origin: { type: 'service' }, expiration_timestamp: '1610561171' });
 * // { id: 'c1', origin: 'service', expiresAt: '2021-01-13T18:06:11.000Z' }
 * ```
 */
export function metaConversation(c: Json): Conversation {
  const conversation: Conversation = {};
  const id = str(c.id);
  if (id !== undefined) conversation.id = id;
  const origin = obj(c.origin);
  const originType = origin === undefined ? str(c.origin) : str(origin.type);
  if (originType !== undefined) conversation.origin = originType;
  const expiresAt = toIsoTimestamp(c.expiration_timestamp);
  if (expiresAt !== undefined) conversation.expiresAt = expiresAt;
  return conversation;
}
