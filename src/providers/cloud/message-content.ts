import type { MessageEvent, MessageInteraction, MessageMedia, MessageType } from '../../event/types.js';
import { bool, num, obj, str, type Json } from '../read.js';

/**
 * Content of a Cloud message by type: `type`, `text`, `media`, `interaction`, `reaction`,
 * `location` and `details`. Straight-line on purpose (one switch, no per-item closures): this
 * runs for every inbound message.
 */

/** Keys that carry a message's content, in the order used to guess a missing `type`. */
const CONTENT_KEYS = [
  'text', 'image', 'audio', 'voice', 'video', 'document', 'sticker', 'location', 'contacts',
  'interactive', 'button', 'reaction', 'order', 'system', 'revoke', 'edit',
] as const;

/** The message's type string, or, when a sample omits it, the first content key it carries. */
export function inferType(m: Json): string {
  for (const key of CONTENT_KEYS) if (m[key] !== undefined) return key;
  return '';
}

/**
 * Media object → {@link MessageMedia} with only the fields present. On-Premises style `file`
 * paths (mixed into some hand-made Cloud samples) are local to the sender's container and are
 * ignored rather than mistaken for a URL.
 */
function readMedia(o: Json): MessageMedia {
  const media: MessageMedia = {};
  const id = str(o.id);
  if (id !== undefined) media.id = id;
  const url = str(o.url);
  if (url !== undefined) media.url = url;
  const mimeType = str(o.mime_type);
  if (mimeType !== undefined) media.mimeType = mimeType;
  const sha256 = str(o.sha256);
  if (sha256 !== undefined) media.sha256 = sha256;
  const fileSize = num(o.file_size);
  if (fileSize !== undefined) media.fileSize = fileSize;
  const filename = str(o.filename);
  if (filename !== undefined) media.filename = filename;
  const caption = str(o.caption);
  if (caption !== undefined) media.caption = caption;
  const voice = bool(o.voice);
  if (voice !== undefined) media.voice = voice;
  const animated = bool(o.animated);
  if (animated !== undefined) media.animated = animated;
  return media;
}

function setMedia(ev: MessageEvent, type: MessageType, raw: unknown): void {
  ev.type = type;
  const o = obj(raw);
  if (o === undefined) return;
  const media = readMedia(o);
  ev.media = media;
  if (media.caption !== undefined) ev.text = media.caption;
}

function parseResponse(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value; // not JSON: keep what the flow sent
  }
}

/**
 * `interactive` replies. `button_reply` / `list_reply` become an interaction whose title is also
 * the message text (what the user "said"); `nfm_reply` (flow completion) parses `response_json`
 * and keeps the flow's `name` and `body` in `details`. Other subtypes (`call_permission_reply`, …)
 * keep the raw object in `details.interactive`.
 */
function setInteractive(ev: MessageEvent, raw: unknown): void {
  ev.type = 'interactive';
  const inter = obj(raw);
  if (inter === undefined) return;
  const kind = inter.type;
  if (kind === 'button_reply' || kind === 'list_reply') {
    const reply = obj(inter[kind]) ?? {};
    const interaction: MessageInteraction = { kind };
    const id = str(reply.id);
    if (id !== undefined) interaction.id = id;
    const title = str(reply.title);
    if (title !== undefined) {
      interaction.title = title;
      ev.text = title;
    }
    const description = str(reply.description);
    if (description !== undefined) interaction.description = description;
    ev.interaction = interaction;
  } else if (kind === 'nfm_reply') {
    const reply = obj(inter.nfm_reply) ?? {};
    const interaction: MessageInteraction = { kind };
    if (reply.response_json !== undefined) interaction.response = parseResponse(reply.response_json);
    ev.interaction = interaction;
    const details: Record<string, unknown> = {};
    const name = str(reply.name);
    if (name !== undefined) details.name = name;
    const body = str(reply.body);
    if (body !== undefined) {
      details.body = body;
      ev.text = body;
    }
    ev.details = details;
  } else {
    ev.details = { interactive: raw };
  }
}

/** Text of a `{ text: { body } }` item, when it has one (also on `unsupported` items that keep it). */
function textBody(m: Json): string | null {
  const t = obj(m.text);
  return (t === undefined ? str(m.text) : str(t.body)) ?? null;
}

/** Fills the content fields of `ev` from message `m` of provider type `type`. */
export function fillContent(ev: MessageEvent, m: Json, type: string): void {
  switch (type) {
    case 'text':
      ev.type = 'text';
      ev.text = textBody(m);
      return;
    case 'image':
    case 'video':
    case 'document':
      setMedia(ev, type, m[type]);
      return;
    case 'audio':
      // Cloud marks voice notes (recorded in the app) with audio.voice === true.
      setMedia(ev, obj(m.audio)?.voice === true ? 'voice' : 'audio', m.audio);
      return;
    case 'voice':
      // On-Premises type, found in hand-made Cloud samples.
      setMedia(ev, 'voice', m.voice);
      if (ev.media !== undefined) ev.media.voice = true;
      return;
    case 'sticker':
      setMedia(ev, 'sticker', m.sticker);
      return;
    case 'interactive':
      setInteractive(ev, m.interactive);
      return;
    case 'button': {
      ev.type = 'button';
      const b = obj(m.button) ?? {};
      const interaction: MessageInteraction = { kind: 'quick_reply' };
      const payload = str(b.payload);
      if (payload !== undefined) interaction.payload = payload;
      const title = str(b.text);
      if (title !== undefined) {
        interaction.title = title;
        ev.text = title;
      }
      ev.interaction = interaction;
      return;
    }
    case 'reaction': {
      ev.type = 'reaction';
      const r = obj(m.reaction) ?? {};
      // An empty or missing emoji is an un-react.
      ev.reaction = { messageId: str(r.message_id) ?? null, emoji: str(r.emoji) ?? null };
      return;
    }
    case 'location': {
      ev.type = 'location';
      const l = obj(m.location);
      if (l === undefined) return;
      const latitude = num(l.latitude);
      const longitude = num(l.longitude);
      if (latitude === undefined || longitude === undefined) {
        ev.details = { location: l }; // placeholders instead of coordinates: keep them as data
        return;
      }
      const location: MessageEvent['location'] = { latitude, longitude };
      const name = str(l.name);
      if (name !== undefined) location.name = name;
      const address = str(l.address);
      if (address !== undefined) location.address = address;
      const url = str(l.url);
      if (url !== undefined) location.url = url;
      ev.location = location;
      return;
    }
    case 'contacts':
      ev.type = 'contacts';
      ev.details = { contacts: m.contacts };
      return;
    case 'order': {
      ev.type = 'order';
      const order = obj(m.order);
      ev.details = { order: m.order };
      if (order !== undefined) ev.text = str(order.text) ?? null;
      return;
    }
    case 'system': {
      ev.type = 'system';
      const system = obj(m.system);
      ev.details = { system: m.system };
      if (system !== undefined) ev.text = str(system.body) ?? null;
      return;
    }
    case 'revoke': {
      ev.type = 'revoke';
      const revoke = obj(m.revoke) ?? {};
      ev.details = { originalMessageId: str(revoke.original_message_id) ?? null };
      return;
    }
    case 'edit': {
      // The new content is mapped like a message of its own type (text, caption, media), then
      // the event is marked as an edit of original_message_id with the raw new message kept.
      const edit = obj(m.edit) ?? {};
      const inner = obj(edit.message);
      if (inner !== undefined) {
        const innerType = typeof inner.type === 'string' ? inner.type : inferType(inner);
        if (innerType !== 'edit') fillContent(ev, inner, innerType);
      }
      ev.type = 'edit';
      ev.details = { originalMessageId: str(edit.original_message_id) ?? null, message: edit.message };
      return;
    }
    case 'unsupported': {
      ev.type = 'unsupported';
      ev.text = textBody(m);
      // Meta names what it could not deliver (`{ type: "edit" }`, `{ type: "poll" }`, …).
      if (m.unsupported !== undefined) ev.details = { unsupported: m.unsupported };
      return;
    }
    default: {
      // `unknown`, `request_welcome` and types newer than this code: data, never an error.
      ev.type = 'unknown';
      ev.text = textBody(m);
      if (type !== '' && type !== 'unknown' && m[type] !== undefined) ev.details = { [type]: m[type] };
    }
  }
}
