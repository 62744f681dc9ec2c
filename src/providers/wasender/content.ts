/**
 * Maps the content of a Baileys `WAMessage.message` (what WASender forwards) onto a canonical
 * message event: the first content key decides the type (`conversation`, `imageMessage`, …).
 */
import type { MessageContext, MessageEvent, MessageMedia, MessageType } from '../../event/types.js';
import { arr, bool, type Json, num, obj, str } from '../read.js';
import { personId } from '../../event/person.js';

/** Containers whose `message` holds the real content (disappearing, view-once, captioned documents, edits). */
const WRAPPERS: Record<string, true> = {
  ephemeralMessage: true,
  viewOnceMessage: true,
  viewOnceMessageV2: true,
  viewOnceMessageV2Extension: true,
  documentWithCaptionMessage: true,
  editedMessage: true,
  botInvokeMessage: true,
};

/** Keys that travel beside the content and are never the content. */
const NOT_CONTENT: Record<string, true> = { messageContextInfo: true, senderKeyDistributionMessage: true };

const MEDIA: Record<string, MessageType> = {
  imageMessage: 'image',
  videoMessage: 'video',
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
};

/** WhatsApp labels a message "forwarded many times" from this forwarding score on. */
const FREQUENTLY_FORWARDED_SCORE = 5;

function contentKey(message: Json): string | undefined {
  for (const key in message) {
    if (Object.hasOwn(NOT_CONTENT, key)) continue;
    const value = message[key];
    if (value !== null && value !== undefined) return key;
  }
  return undefined;
}

function mapMedia(m: Json, voice: boolean): MessageMedia {
  const media: MessageMedia = {};
  const url = str(m.url);
  if (url !== undefined) media.url = url;
  const mimeType = str(m.mimetype);
  if (mimeType !== undefined) media.mimeType = mimeType;
  // Baileys serializes the SHA-256 as base64 (Meta uses hex); kept as sent.
  const sha256 = str(m.fileSha256);
  if (sha256 !== undefined) media.sha256 = sha256;
  const size = obj(m.fileLength) === undefined ? num(m.fileLength) : num(obj(m.fileLength)?.low);
  if (size !== undefined) media.fileSize = size;
  const filename = str(m.fileName);
  if (filename !== undefined) media.filename = filename;
  const caption = str(m.caption);
  if (caption !== undefined) media.caption = caption;
  if (voice) media.voice = true;
  if (bool(m.isAnimated) === true) media.animated = true;
  return media;
}

function mapContext(info: Json): MessageContext | undefined {
  const context: MessageContext = {};
  let any = false;
  const messageId = str(info.stanzaId);
  if (messageId !== undefined) {
    context.messageId = messageId;
    any = true;
  }
  const participant = str(info.participant);
  if (participant !== undefined) {
    context.from = personId(participant);
    any = true;
  }
  if (bool(info.isForwarded) === true) {
    context.forwarded = true;
    any = true;
  }
  const score = num(info.forwardingScore);
  if (score !== undefined && score >= FREQUENTLY_FORWARDED_SCORE) {
    context.frequentlyForwarded = true;
    any = true;
  }
  const mentioned = arr(info.mentionedJid);
  if (mentioned.length > 0) {
    const mentions: string[] = [];
    for (const jid of mentioned) {
      const s = str(jid);
      if (s !== undefined) mentions.push(personId(s));
    }
    if (mentions.length > 0) {
      context.mentions = mentions;
      any = true;
    }
  }
  return any ? context : undefined;
}

/** Text of an edited message's new content (`conversation`, `extendedTextMessage.text` or a caption). */
function editedText(message: Json | undefined): string | undefined {
  if (message === undefined) return undefined;
  const key = contentKey(message);
  if (key === undefined) return undefined;
  const value = message[key];
  if (typeof value === 'string') return value;
  const inner = obj(value);
  return str(inner?.text) ?? str(inner?.caption);
}

function mapProtocol(event: MessageEvent, p: Json): MessageType {
  const type = p.type;
  const target = str(obj(p.key)?.id);
  if (type === 0 || type === 'REVOKE') {
    event.details = target === undefined ? {} : { messageId: target };
    return 'revoke';
  }
  if (type === 14 || type === 'MESSAGE_EDIT') {
    event.details = target === undefined ? {} : { messageId: target };
    event.text = editedText(obj(p.editedMessage)) ?? null;
    return 'edit';
  }
  return 'unknown';
}

function mapPoll(event: MessageEvent, p: Json): void {
  const options: string[] = [];
  for (const option of arr(p.options)) {
    const name = str(obj(option)?.optionName);
    if (name !== undefined) options.push(name);
  }
  const details: Record<string, unknown> = { options };
  const name = str(p.name);
  if (name !== undefined) {
    details.name = name;
    event.text = name;
  }
  const selectable = num(p.selectableOptionsCount);
  if (selectable !== undefined) details.selectableCount = selectable;
  event.details = details;
}

/**
 * Fills `type`, `providerType`, `text` and the per-type fields of `event` from a Baileys message
 * content object. Unknown content keys become `type: "unknown"` with the key in `providerType`.
 *
 * @example
 * ```ts
 * applyBaileysContent(event, { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus' } });
 * event.type; // 'voice'
 * ```
 */
export function applyBaileysContent(event: MessageEvent, content: Json | undefined): void {
  let message = content;
  let key = message === undefined ? undefined : contentKey(message);
  for (let depth = 0; depth < 4 && message !== undefined && key !== undefined && Object.hasOwn(WRAPPERS, key); depth++) {
    message = obj(obj(message[key])?.message);
    key = message === undefined ? undefined : contentKey(message);
  }
  if (message === undefined || key === undefined) {
    // No content at all: there is no provider type to report.
    event.type = 'unknown';
    delete event.providerType;
    return;
  }
  event.providerType = key;
  const value = message[key];
  const inner = obj(value);
  let type: MessageType = 'unknown';
  // Own keys only: a content key named `constructor` or `toString` must not find Object.prototype's.
  const mediaType = Object.hasOwn(MEDIA, key) ? MEDIA[key] : undefined;
  if (key === 'conversation') {
    type = 'text';
    event.text = str(value) ?? null;
  } else if (key === 'extendedTextMessage') {
    type = 'text';
    event.text = str(inner?.text) ?? null;
  } else if (mediaType !== undefined && inner !== undefined) {
    const voice = mediaType === 'audio' && bool(inner.ptt) === true;
    type = voice ? 'voice' : mediaType;
    const media = mapMedia(inner, voice);
    event.media = media;
    event.text = media.caption ?? null;
  } else if ((key === 'locationMessage' || key === 'liveLocationMessage') && inner !== undefined) {
    type = 'location';
    const latitude = num(inner.degreesLatitude);
    const longitude = num(inner.degreesLongitude);
    if (latitude !== undefined && longitude !== undefined) {
      const location: MessageEvent['location'] = { latitude, longitude };
      const name = str(inner.name);
      if (name !== undefined) location.name = name;
      const address = str(inner.address);
      if (address !== undefined) location.address = address;
      const url = str(inner.url);
      if (url !== undefined) location.url = url;
      event.location = location;
    }
  } else if (key === 'contactMessage' && inner !== undefined) {
    type = 'contacts';
    event.details = { contacts: [inner] };
  } else if (key === 'contactsArrayMessage' && inner !== undefined) {
    type = 'contacts';
    event.details = { contacts: arr(inner.contacts) };
  } else if (key === 'reactionMessage' && inner !== undefined) {
    type = 'reaction';
    // An empty reaction text is WhatsApp's "reaction removed".
    event.reaction = { messageId: str(obj(inner.key)?.id) ?? null, emoji: str(inner.text) ?? null };
  } else if (key.startsWith('pollCreationMessage') && inner !== undefined) {
    type = 'poll';
    mapPoll(event, inner);
  } else if (key === 'pollUpdateMessage' && inner !== undefined) {
    // A vote: its choice is encrypted for the poll's creator, only the poll's id is readable.
    type = 'poll';
    const pollId = str(obj(inner.pollCreationMessageKey)?.id);
    event.details = pollId === undefined ? { vote: true } : { vote: true, pollMessageId: pollId };
  } else if (key === 'protocolMessage' && inner !== undefined) {
    type = mapProtocol(event, inner);
  } else if (key === 'buttonsResponseMessage' && inner !== undefined) {
    type = 'interactive';
    const interaction: MessageEvent['interaction'] = { kind: 'button_reply' };
    const id = str(inner.selectedButtonId);
    if (id !== undefined) interaction.id = id;
    const title = str(inner.selectedDisplayText);
    if (title !== undefined) interaction.title = title;
    event.interaction = interaction;
    event.text = title ?? null;
  } else if (key === 'listResponseMessage' && inner !== undefined) {
    type = 'interactive';
    const interaction: MessageEvent['interaction'] = { kind: 'list_reply' };
    const id = str(obj(inner.singleSelectReply)?.selectedRowId);
    if (id !== undefined) interaction.id = id;
    const title = str(inner.title);
    if (title !== undefined) interaction.title = title;
    const description = str(inner.description);
    if (description !== undefined) interaction.description = description;
    event.interaction = interaction;
    event.text = title ?? null;
  } else if (key === 'templateButtonReplyMessage' && inner !== undefined) {
    // The reply to a template's quick-reply button: Meta's `type: "button"` equivalent.
    type = 'button';
    const interaction: MessageEvent['interaction'] = { kind: 'quick_reply' };
    const id = str(inner.selectedId);
    if (id !== undefined) {
      interaction.id = id;
      interaction.payload = id;
    }
    const title = str(inner.selectedDisplayText);
    if (title !== undefined) interaction.title = title;
    event.interaction = interaction;
    event.text = title ?? null;
  } else if (key === 'interactiveResponseMessage' && inner !== undefined) {
    type = 'interactive';
    const flow = obj(inner.nativeFlowResponseMessage);
    const interaction: MessageEvent['interaction'] = { kind: 'nfm_reply' };
    const title = str(obj(inner.body)?.text) ?? str(flow?.name);
    if (title !== undefined) interaction.title = title;
    const params = flow?.paramsJson;
    if (typeof params === 'string') {
      try {
        interaction.response = JSON.parse(params);
      } catch {
        interaction.response = params;
      }
    }
    event.interaction = interaction;
    event.text = title ?? null;
  }
  event.type = type;
  const contextInfo = obj(inner?.contextInfo);
  if (contextInfo !== undefined) {
    const context = mapContext(contextInfo);
    if (context !== undefined) event.context = context;
  }
}
