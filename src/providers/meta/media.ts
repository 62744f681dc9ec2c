import type { MessageEvent, MessageMedia, MessageType } from '../../event/types.js';
import { bool, num, obj, str, type Json } from '../read.js';

/**
 * A Meta media object → {@link MessageMedia} with only the fields present. Cloud sends `url`,
 * older On-Premises payloads `link`. On-Premises `file` paths are local to the sender's coreapp
 * container, meaningless outside it, and are ignored rather than mistaken for a URL.
 */
function readMedia(o: Json): MessageMedia {
  const media: MessageMedia = {};
  const id = str(o.id);
  if (id !== undefined) media.id = id;
  const url = str(o.url) ?? str(o.link);
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

/**
 * Sets `type` and, when the media object is one, `media` and the caption as `text`. Voice notes:
 * Cloud sends `audio` with `voice: true`, On-Premises `type: "voice"`; both become `voice`.
 */
export function setMedia(ev: MessageEvent, type: MessageType, raw: unknown): void {
  const o = obj(raw);
  ev.type = type === 'audio' && o !== undefined && o.voice === true ? 'voice' : type;
  if (o === undefined) return;
  const media = readMedia(o);
  if (type === 'voice') media.voice = true;
  ev.media = media;
  if (media.caption !== undefined) ev.text = media.caption;
}
