import type { Conversation, Pricing } from '../../event/types.js';
import { isoOr } from '../../event/timestamp.js';
import { bool, obj, str, type Json } from '../read.js';

/**
 * A status's `pricing` (`billable`, `pricing_model`, `category`, `type`) → {@link Pricing}, only
 * the fields present.
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
 * A status's `conversation` (`id`, `origin.type` or a bare `origin` string, `expiration_timestamp`)
 * → {@link Conversation}; an unusable expiry is left out.
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
  if (c.expiration_timestamp !== undefined) {
    // Parsed per status: remembering the batch's last expiry saved 1.1% of normalizing a status
    // (bench/hot-paths.ts), not worth a module-level cache.
    const expiresAt = isoOr(c.expiration_timestamp, '');
    if (expiresAt !== '') conversation.expiresAt = expiresAt;
  }
  return conversation;
}
