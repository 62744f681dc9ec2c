import type { MessageContext, MessageReferral } from '../../event/types.js';
import { personId } from '../../event/person.js';
import { bool, obj, str, type Json } from '../read.js';

/**
 * A message's `context`: the message it replies to (`id`, `from`), forwarding flags, the users
 * @-mentioned in a group (On-Premises `mentions`, as phone digits) and the catalog product asked
 * about (`referred_product`). Only the fields present are set.
 */
export function readContext(c: Json): MessageContext {
  const context: MessageContext = {};
  const id = str(c.id);
  if (id !== undefined) context.messageId = id;
  const from = str(c.from);
  if (from !== undefined) context.from = personId(from);
  const forwarded = bool(c.forwarded);
  if (forwarded !== undefined) context.forwarded = forwarded;
  const frequently = bool(c.frequently_forwarded);
  if (frequently !== undefined) context.frequentlyForwarded = frequently;
  if (Array.isArray(c.mentions)) {
    const mentions: string[] = [];
    for (let i = 0; i < c.mentions.length; i++) {
      const mention = str(c.mentions[i]);
      if (mention !== undefined) mentions.push(personId(mention));
    }
    if (mentions.length > 0) context.mentions = mentions;
  }
  const product = obj(c.referred_product);
  if (product !== undefined) {
    const referredProduct: NonNullable<MessageContext['referredProduct']> = {};
    const catalogId = str(product.catalog_id);
    if (catalogId !== undefined) referredProduct.catalogId = catalogId;
    const productRetailerId = str(product.product_retailer_id);
    if (productRetailerId !== undefined) referredProduct.productRetailerId = productRetailerId;
    context.referredProduct = referredProduct;
  }
  return context;
}

/** Click-to-WhatsApp referral fields, snake_case → camelCase. */
const REFERRAL_KEYS: readonly (readonly [string, keyof MessageReferral])[] = [
  ['source_url', 'sourceUrl'],
  ['source_id', 'sourceId'],
  ['source_type', 'sourceType'],
  ['headline', 'headline'],
  ['body', 'body'],
  ['media_type', 'mediaType'],
  ['image_url', 'imageUrl'],
  ['video_url', 'videoUrl'],
  ['thumbnail_url', 'thumbnailUrl'],
  ['ctwa_clid', 'ctwaClid'],
];

/** The ad (or post) that started the conversation, only the fields present. */
export function readReferral(r: Json): MessageReferral {
  const referral: MessageReferral = {};
  for (const [from, to] of REFERRAL_KEYS) {
    const value = str(r[from]);
    if (value !== undefined) referral[to] = value;
  }
  return referral;
}
