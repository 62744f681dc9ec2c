/**
 * Descriptions of the canonical event's fields that have no TSDoc of their own in
 * src/event/types.ts. A field's own TSDoc always wins over these; these win over the generic
 * description of the type a field refers to. Keys are field paths (`errors[].code`); a key
 * ending in `.*` covers every field under that prefix. test/docs/canonical-event.test.ts fails
 * when a field of the schema ends up with no description at all, so a new field must be
 * documented here or (better) in types.ts.
 */
export const FALLBACK_DESCRIPTIONS: Readonly<Record<string, string>> = {
  schemaVersion: 'Always `1` in this version of the schema. A breaking change would bump it; added optional fields do not.',
  kind: 'The discriminant of the union: `message`, `status`, `error` or `notification`.',
  provider: 'Which API sent the webhook: `cloud` (Meta Cloud API), `onprem` (On-Premises API), `wasender` (WASenderApi).',

  // status
  'status.messageId': 'Id of the outbound message this status is about (Cloud/On-Premises `wamid.…`, WASender `key.id`). With `provider`, `accountId` and the recipient it forms the tracking key.',
  'status.status': 'Canonical status. `pending` … `played` are progress; `failed` is a failure; `deleted`, `warning` and `unknown` (any other provider value, including payment statuses) only annotate.',
  'status.errors': 'Errors the provider attached to this status (empty when none).',
  'status.pricing.billable': 'Whether the message is charged.',
  'status.bizOpaqueCallbackData': 'The `biz_opaque_callback_data` you set when sending the message (Meta APIs), echoed back.',
  'status.conversation.id': 'Conversation id (conversation-based pricing).',

  // message
  'message.messageId': 'The provider\'s id of the message (Cloud `wamid.…`, WASender `key.id`; `hash-<16 hex>` of the item when the provider gave none).',
  'message.direction': '`inbound`: sent by a user. `outbound`: an echo of a message the business sent (WASender `key.fromMe`, Cloud `smb_message_echoes` from the WhatsApp Business app).',
  'message.from': 'Sender as phone digits (E.164 without `+`): Meta `from`, else the sender contact\'s `wa_id`. The provider\'s id as sent when that is what `from` holds (a business-scoped user id in `from`, a WhatsApp Web `@lid` or channel user part). Null when the sender is known only by a business-scoped user id outside `from` (it is then `contact.userId`), and on WASender outbound messages; the business number on Cloud echoes.',
  'message.to': 'Inbound Cloud messages: the business number (`metadata.display_phone_number`, digits). Outbound messages (WASender, Cloud echoes): the customer. Else the item\'s `recipient_id`, or null.',
  'message.contact': 'The sender as the provider describes them (`contacts[]` on Meta APIs, matched by `wa_id` / `user_id`; `pushName` on WASender); on Cloud echoes, the customer they were sent to; `{}` when nothing is known.',
  'message.contact.name': 'Profile name (Meta `contacts[].profile.name`, WASender `pushName`).',
  'message.type': 'Canonical message type (`unknown` for anything this version does not map; the raw type is in `providerType`).',
  'message.errors': 'Errors attached to an inbound message (Meta `unsupported` / `unknown` messages).',
  'message.media.id': 'Provider media id (Cloud: download it through the Graph API).',
  'message.media.url': 'Download URL: Cloud `url`, On-Premises `link`, WASender\'s (encrypted) WhatsApp Web `url`.',
  'message.media.mimeType': 'MIME type as sent.',
  'message.media.sha256': 'File hash as sent: hex on Meta APIs, base64 on WASender.',
  'message.media.fileSize': 'Size in bytes, when given.',
  'message.media.filename': 'Document file name.',
  'message.media.caption': 'Caption (also copied to `text`).',
  'message.media.animated': 'An animated sticker.',
  'message.interaction.kind': '`button_reply` / `list_reply`: replies to interactive messages; `quick_reply`: a template quick-reply button; `nfm_reply`: a WhatsApp Flow completion.',
  'message.interaction.id': 'Id of the button or list row, as the business set it.',
  'message.interaction.title': 'What the user saw and tapped (also copied to `text`).',
  'message.interaction.description': 'List row description.',
  'message.interaction.payload': 'Payload of a template quick-reply button.',
  'message.reaction.messageId': 'Id of the message reacted to.',
  'message.reaction.emoji': 'The emoji; null when the user removed their reaction.',
  'message.location.latitude': 'Degrees.',
  'message.location.longitude': 'Degrees.',
  'message.location.name': 'Place name.',
  'message.location.address': 'Place address.',
  'message.location.url': 'Place URL.',
  'message.context.messageId': 'Id of the message this one replies to (or the button message a reply comes from).',
  'message.context.from': 'Sender of that message (digits).',
  'message.context.forwarded': 'The message was forwarded.',
  'message.context.frequentlyForwarded': 'The message was forwarded many times (WASender: a forwarding score of 5 or more).',
  'message.context.referredProduct.catalogId': 'Catalog id of the product.',
  'message.context.referredProduct.productRetailerId': 'Retailer id of the product.',
  'message.referral.*': 'As the click-to-WhatsApp referral sends it, snake_case renamed to camelCase (`source_url` → `sourceUrl`, `ctwa_clid` → `ctwaClid`).',

  // error
  'error.errors': 'Every error of the provider item: Cloud `value.errors[]` of one change, On-Premises top-level `errors[]`, a WASender `message.sent` failure without a message id.',

  // shared by every `errors[]`
  '*.errors[].code': 'The provider\'s code as a string (`131047`, `470`, `invalid_number`); `unknown` when the provider sent none.',
  '*.errors[].title': 'Short title, as sent.',
  '*.errors[].message': 'Message, as sent.',
  '*.errors[].details': 'Meta `error_data.details`, as sent.',
  '*.errors[].href': 'Link to the provider\'s documentation of the code.',
  '*.errors[].class': 'What you can do about it: `retryable`, `permanent`, `policy` (fix a WhatsApp rule first: 24-hour window, opt-out, quality) or `unknown`. From `classifyErrorCode()`.',
};

/**
 * The fallback description of field `path` of events of `kind` (`''` for the common fields), or
 * `undefined`.
 *
 * @example
 * ```ts
 * fallbackDescription('status', 'errors[].code'); // "The provider's code as a string (…)"
 * ```
 */
export function fallbackDescription(kind: string, path: string): string | undefined {
  const scoped = kind === '' ? path : `${kind}.${path}`;
  const direct = FALLBACK_DESCRIPTIONS[scoped] ?? FALLBACK_DESCRIPTIONS[path];
  if (direct !== undefined) return direct;
  const errorsAt = path.indexOf('errors[].');
  if (errorsAt !== -1) return FALLBACK_DESCRIPTIONS[`*.${path.slice(errorsAt)}`];
  const dot = scoped.lastIndexOf('.');
  return dot === -1 ? undefined : FALLBACK_DESCRIPTIONS[`${scoped.slice(0, dot)}.*`];
}
