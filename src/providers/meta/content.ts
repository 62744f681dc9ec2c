/**
 * Content of a Meta-style message (a Cloud or On-Premises `messages[]` item) by type: `type`,
 * `text`, `media`, `interaction`, `reaction`, `location` and `details`. Straight-line on purpose
 * (one switch, no per-item closures): this runs for every inbound message.
 */
import type { MessageEvent } from '../../event/types.js';
import { num, obj, str, type Json } from '../read.js';
import { setButton, setInteractive } from './interactive.js';
import { setMedia } from './media.js';

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
    case 'audio':
    case 'voice':
    case 'sticker':
      setMedia(ev, type, m[type]);
      return;
    case 'interactive':
      setInteractive(ev, m.interactive);
      return;
    case 'button':
      setButton(ev, m.button);
      return;
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
      if (type !== '' && type !== 'unknown' && Object.hasOwn(m, type) && m[type] !== undefined) ev.details = { [type]: m[type] };
    }
  }
}
