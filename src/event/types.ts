/**
 * The canonical event, schema version 1. These field names are bluetick's public contract:
 * optional fields may be added, none of these is ever renamed.
 *
 * @packageDocumentation
 */

/** Where a webhook came from. */
export type Provider = 'cloud' | 'onprem' | 'wasender';

/** The four kinds of canonical event. */
export type EventKind = 'message' | 'status' | 'error' | 'notification';

/** Canonical delivery status values. `deleted`, `warning` and `unknown` annotate; they never move progress. */
export type DeliveryStatus =
  | 'pending'
  | 'sent'
  | 'delivered'
  | 'read'
  | 'played'
  | 'failed'
  | 'deleted'
  | 'warning'
  | 'unknown';

/** What a host can do about a provider error: retry later, give up, fix a policy problem, or look closer. */
export type ErrorClass = 'retryable' | 'permanent' | 'policy' | 'unknown';

/** One provider error, with its code as a string and a {@link ErrorClass}. */
export interface ProviderError {
  code: string;
  title?: string;
  message?: string;
  details?: string;
  href?: string;
  class: ErrorClass;
}

/** Fields every canonical event carries. */
export interface EventBase {
  schemaVersion: 1;
  /** Deterministic idempotency key: the same logical item always gets the same id. */
  id: string;
  kind: EventKind;
  provider: Provider;
  /** WABA id (cloud), session id (wasender), null when unknown. */
  accountId: string | null;
  /** Business phone number id, where the provider gives one. */
  phoneNumberId: string | null;
  /** ISO-8601 UTC, from the provider's timestamp (falls back to `receivedAt` when it is missing or unusable). */
  occurredAt: string;
  /** Present (true) only when the provider gave no usable time and `occurredAt` is `receivedAt`. */
  occurredAtEstimated?: true;
  /** ISO-8601 UTC, when this process received the webhook. */
  receivedAt: string;
  /** The provider's own item, only when `normalize(…, { keepRaw: true })`. */
  raw?: unknown;
}

/** Pricing attached to a status (Cloud conversation-based `CBP` or per-message `PMP`). */
export interface Pricing {
  billable?: boolean;
  /** `CBP`, `PMP`, … as sent. */
  model?: string;
  /** `marketing`, `utility`, `authentication`, `service`, … */
  category?: string;
  /** PMP pricing type: `regular`, `free_customer_service`, `free_entry_point`, … */
  type?: string;
}

/** Conversation attached to a status (conversation-based pricing). */
export interface Conversation {
  id?: string;
  /** Conversation origin type: `marketing`, `utility`, `service`, `referral_conversion`, … */
  origin?: string;
  /** ISO-8601 UTC expiry, when given. */
  expiresAt?: string;
}

/** The delivery state of one outbound message for one recipient (or group participant). */
export interface StatusEvent extends EventBase {
  kind: 'status';
  messageId: string;
  /** Phone digits or provider id of the recipient; null for business-scoped ids without a number. */
  recipientId: string | null;
  /** Group member whose receipt this is (group messages only). */
  participantId?: string;
  /** Business-scoped user id of the recipient, when the provider sends one. */
  recipientUserId?: string;
  status: DeliveryStatus;
  /** The provider's raw status value (`"read"`, `"3"`, `"in_orbit"`, …). */
  providerStatus: string;
  errors: ProviderError[];
  pricing?: Pricing;
  conversation?: Conversation;
  bizOpaqueCallbackData?: string;
}

/** Canonical message types. */
export type MessageType =
  | 'text'
  | 'image'
  | 'audio'
  | 'voice'
  | 'video'
  | 'document'
  | 'sticker'
  | 'location'
  | 'contacts'
  | 'interactive'
  | 'button'
  | 'reaction'
  | 'order'
  | 'system'
  | 'revoke'
  | 'edit'
  | 'poll'
  | 'unsupported'
  | 'unknown';

/** Who sent a message, as the provider describes them. */
export interface MessageContact {
  name?: string;
  /** Phone digits (WhatsApp id). */
  waId?: string;
  /** Business-scoped user id (BSUID). */
  userId?: string;
}

/** Media attached to a message. */
export interface MessageMedia {
  id?: string;
  url?: string;
  mimeType?: string;
  sha256?: string;
  fileSize?: number;
  filename?: string;
  caption?: string;
  /** Voice note (audio recorded in the app), animated sticker, … */
  voice?: boolean;
  animated?: boolean;
}

/** A reply to an interactive message, a template quick-reply button or a flow. */
export interface MessageInteraction {
  kind: 'button_reply' | 'list_reply' | 'nfm_reply' | 'quick_reply';
  id?: string;
  title?: string;
  description?: string;
  payload?: string;
  /** Flow response: parsed `response_json` when it is valid JSON, else the string as sent. */
  response?: unknown;
}

/** A reaction: `emoji` is null when the user removed their reaction. */
export interface MessageReaction {
  messageId: string | null;
  emoji: string | null;
}

/** A location pin. */
export interface MessageLocation {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
  url?: string;
}

/** What a message replies to or was forwarded as. */
export interface MessageContext {
  messageId?: string;
  from?: string;
  forwarded?: boolean;
  frequentlyForwarded?: boolean;
  /** Users @-mentioned in a group message, as phone digits (or the provider's id when no number is given). */
  mentions?: string[];
  /** Product the user asked about (catalog "message business" button). */
  referredProduct?: { catalogId?: string; productRetailerId?: string };
}

/** Click-to-WhatsApp ad (or post) that started the conversation. */
export interface MessageReferral {
  sourceUrl?: string;
  sourceId?: string;
  sourceType?: string;
  headline?: string;
  body?: string;
  mediaType?: string;
  imageUrl?: string;
  videoUrl?: string;
  thumbnailUrl?: string;
  ctwaClid?: string;
}

/** One message, inbound (from a user) or outbound (an echo of what the business sent). */
export interface MessageEvent extends EventBase {
  kind: 'message';
  messageId: string;
  direction: 'inbound' | 'outbound';
  from: string | null;
  to: string | null;
  contact: MessageContact;
  type: MessageType;
  /**
   * The provider's raw type string (useful when `type` is `unknown`). Absent when the provider
   * named none (a Meta item without `type`, its type inferred from its content; a WASender item
   * without content).
   */
  providerType?: string;
  /** Text body or media caption. */
  text: string | null;
  media?: MessageMedia;
  interaction?: MessageInteraction;
  reaction?: MessageReaction;
  location?: MessageLocation;
  context?: MessageContext;
  referral?: MessageReferral;
  /** Group the message was sent in, when it was. */
  groupId?: string;
  /** Structured payload of types without a dedicated field (contacts, order, system, poll, edit, revoke). */
  details?: Record<string, unknown>;
  errors?: ProviderError[];
}

/** An account- or app-level error not tied to one message. */
export interface ErrorEvent extends EventBase {
  kind: 'error';
  errors: ProviderError[];
}

/** Everything else: account, template and quality updates, calls, WASender session/chat/group events. */
export interface NotificationEvent extends EventBase {
  kind: 'notification';
  /** The webhook `field` (cloud) or the WASender `event`. */
  topic: string;
  /** The provider object, untouched (bar nesting deeper than 32 levels, cut with a marker: providers.md). */
  data: unknown;
}

/** One canonical event: a discriminated union on `kind`. */
export type CanonicalEvent = MessageEvent | StatusEvent | ErrorEvent | NotificationEvent;

/** What {@link normalize} returns. */
export interface NormalizeResult {
  provider: Provider;
  events: CanonicalEvent[];
}
