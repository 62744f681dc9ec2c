/**
 * Maps the content of one Meta-style message object (the `messages[]` item of the On-Premises
 * API and of the Cloud API, which inherited its shape) onto a canonical {@link MessageEvent}.
 *
 * Only the content is mapped here (type, text, media, interaction, reaction, location, context,
 * referral, details, errors); ids, direction, sender and timestamps are the envelope's business
 * and stay with each provider's mapper. Straight-line code on purpose: this runs per message.
 */
import { metaErrors } from './meta-errors.js';
import type {
  MessageContext,
  MessageEvent,
  MessageInteraction,
  MessageMedia,
  MessageReferral,
  MessageType,
} from '../event/types.js';
import { arr, bool, type Json, num, obj, str } from './read.js';
import { digitsOf } from './phone-digits.js';

/** Meta `type` values that map one to one onto a canonical {@link MessageType}. */
const DIRECT_TYPES: Record<string, MessageType> = {
  text: 'text',
  image: 'image',
  audio: 'audio',
  voice: 'voice',
  video: 'video',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  contacts: 'contacts',
  interactive: 'interactive',
  button: 'button',
  reaction: 'reaction',
  order: 'order',
  system: 'system',
  unsupported: 'unsupported',
  unknown: 'unknown',
};

/** Meta media object (`file`, `id`, `link`/`url`, `mime_type`, `sha256`, `caption`, `filename`). */
function mapMedia(m: Json, voice: boolean): MessageMedia {
  const media: MessageMedia = {};
  const id = str(m.id);
  if (id !== undefined) media.id = id;
  // On-Premises media carries `link`, newer Cloud payloads `url`; `file` is a path on the
  // customer's own coreapp container, meaningless outside it, so it is not mapped.
  const url = str(m.url) ?? str(m.link);
  if (url !== undefined) media.url = url;
  const mimeType = str(m.mime_type);
  if (mimeType !== undefined) media.mimeType = mimeType;
  const sha256 = str(m.sha256);
  if (sha256 !== undefined) media.sha256 = sha256;
  const fileSize = num(m.file_size);
  if (fileSize !== undefined) media.fileSize = fileSize;
  const filename = str(m.filename);
  if (filename !== undefined) media.filename = filename;
  const caption = str(m.caption);
  if (caption !== undefined) media.caption = caption;
  if (voice) media.voice = true;
  if (bool(m.animated) === true) media.animated = true;
  return media;
}

function parseResponse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // Flow responses are data: keep the string as sent when it is not JSON.
  }
}

function mapInteractive(i: Json): MessageInteraction | undefined {
  const kind = str(i.type);
  let reply: Json | undefined;
  let out: MessageInteraction;
  if (kind === 'button_reply') {
    reply = obj(i.button_reply);
    out = { kind: 'button_reply' };
  } else if (kind === 'list_reply') {
    reply = obj(i.list_reply);
    out = { kind: 'list_reply' };
  } else if (kind === 'nfm_reply') {
    reply = obj(i.nfm_reply);
    out = { kind: 'nfm_reply' };
    if (reply !== undefined && reply.response_json !== undefined) out.response = parseResponse(reply.response_json);
    const title = reply === undefined ? undefined : (str(reply.body) ?? str(reply.name));
    if (title !== undefined) out.title = title;
    return out;
  } else {
    return undefined;
  }
  if (reply === undefined) return out;
  const id = str(reply.id);
  if (id !== undefined) out.id = id;
  const title = str(reply.title);
  if (title !== undefined) out.title = title;
  const description = str(reply.description);
  if (description !== undefined) out.description = description;
  return out;
}

function mapContext(c: Json): MessageContext | undefined {
  const context: MessageContext = {};
  let any = false;
  const messageId = str(c.id);
  if (messageId !== undefined) {
    context.messageId = messageId;
    any = true;
  }
  const from = str(c.from);
  if (from !== undefined) {
    context.from = digitsOf(from);
    any = true;
  }
  if (bool(c.forwarded) === true) {
    context.forwarded = true;
    any = true;
  }
  if (bool(c.frequently_forwarded) === true) {
    context.frequentlyForwarded = true;
    any = true;
  }
  const mentions = arr(c.mentions);
  if (mentions.length > 0) {
    const list: string[] = [];
    for (const mention of mentions) {
      const s = str(mention);
      if (s !== undefined) list.push(digitsOf(s));
    }
    if (list.length > 0) {
      context.mentions = list;
      any = true;
    }
  }
  const product = obj(c.referred_product);
  if (product !== undefined) {
    const referred: { catalogId?: string; productRetailerId?: string } = {};
    const catalogId = str(product.catalog_id);
    if (catalogId !== undefined) referred.catalogId = catalogId;
    const retailerId = str(product.product_retailer_id);
    if (retailerId !== undefined) referred.productRetailerId = retailerId;
    context.referredProduct = referred;
    any = true;
  }
  return any ? context : undefined;
}

const REFERRAL_FIELDS: readonly (readonly [keyof MessageReferral, string])[] = [
  ['sourceUrl', 'source_url'],
  ['sourceId', 'source_id'],
  ['sourceType', 'source_type'],
  ['headline', 'headline'],
  ['body', 'body'],
  ['mediaType', 'media_type'],
  ['imageUrl', 'image_url'],
  ['videoUrl', 'video_url'],
  ['thumbnailUrl', 'thumbnail_url'],
  ['ctwaClid', 'ctwa_clid'],
];

function mapReferral(r: Json): MessageReferral {
  const referral: MessageReferral = {};
  for (const [to, from] of REFERRAL_FIELDS) {
    const value = str(r[from]);
    if (value !== undefined) referral[to] = value;
  }
  return referral;
}

/**
 * Fills the content fields of `event` (`type`, `providerType`, `text` and the per-type fields)
 * from a Meta-style message object. Unknown types become `type: "unknown"` with the provider's
 * type in `providerType`; item-level `errors` are kept on any type.
 *
 * @example
 * ```ts
 * const event = { kind: 'message', type: 'unknown', providerType: '', text: null, ... } as MessageEvent;
 * applyMetaMessageContent(event, { type: 'text', text: { body: 'hi' } });
 * event.type; // 'text'
 * event.text; // 'hi'
 * ```
 */
export function applyMetaMessageContent(event: MessageEvent, m: Json): void {
  const providerType = str(m.type) ?? '';
  event.providerType = providerType;
  let type: MessageType = DIRECT_TYPES[providerType] ?? 'unknown';
  switch (type) {
    case 'text':
      event.text = str(obj(m.text)?.body) ?? null;
      break;
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
    case 'audio':
    case 'voice': {
      const raw = obj(m[providerType]) ?? {};
      // On-Premises sends voice notes as `type: "voice"`; Cloud sends `audio` with `voice: true`.
      const voice = type === 'voice' || bool(raw.voice) === true;
      if (voice) type = 'voice';
      const media = mapMedia(raw, voice);
      event.media = media;
      event.text = media.caption ?? null;
      break;
    }
    case 'location': {
      const l = obj(m.location);
      const latitude = num(l?.latitude);
      const longitude = num(l?.longitude);
      if (l !== undefined && latitude !== undefined && longitude !== undefined) {
        const location: MessageEvent['location'] = { latitude, longitude };
        const name = str(l.name);
        if (name !== undefined) location.name = name;
        const address = str(l.address);
        if (address !== undefined) location.address = address;
        const url = str(l.url);
        if (url !== undefined) location.url = url;
        event.location = location;
      }
      break;
    }
    case 'contacts':
      event.details = { contacts: arr(m.contacts) };
      break;
    case 'interactive': {
      const i = obj(m.interactive);
      const interaction = i === undefined ? undefined : mapInteractive(i);
      if (interaction !== undefined) {
        event.interaction = interaction;
        event.text = interaction.title ?? null;
      }
      break;
    }
    case 'button': {
      // Template quick-reply button: `payload` is what the business set, `text` what the user saw.
      const b = obj(m.button);
      const interaction: MessageInteraction = { kind: 'quick_reply' };
      const payload = str(b?.payload);
      if (payload !== undefined) interaction.payload = payload;
      const title = str(b?.text);
      if (title !== undefined) interaction.title = title;
      event.interaction = interaction;
      event.text = title ?? null;
      break;
    }
    case 'reaction': {
      const r = obj(m.reaction);
      event.reaction = { messageId: str(r?.message_id) ?? null, emoji: str(r?.emoji) ?? null };
      break;
    }
    case 'order': {
      const order = obj(m.order);
      event.details = order === undefined ? {} : { order };
      event.text = str(order?.text) ?? null;
      break;
    }
    case 'system': {
      const system = obj(m.system);
      event.details = system === undefined ? {} : { ...system };
      event.text = str(system?.body) ?? null;
      break;
    }
    default:
      break;
  }
  event.type = type;
  const context = obj(m.context);
  if (context !== undefined) {
    const mapped = mapContext(context);
    if (mapped !== undefined) event.context = mapped;
  }
  const referral = obj(m.referral);
  if (referral !== undefined) event.referral = mapReferral(referral);
  const identity = obj(m.identity);
  if (identity !== undefined) event.details = { ...event.details, identity };
  const groupId = str(m.group_id);
  if (groupId !== undefined) event.groupId = groupId;
  if (Array.isArray(m.errors) && m.errors.length > 0) event.errors = metaErrors(m.errors);
}
