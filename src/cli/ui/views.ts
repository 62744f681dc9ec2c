/**
 * What the `listen --ui` page is sent: small, bounded summaries of canonical events and state
 * changes, not the events themselves. A notification's provider object, media URLs and the raw
 * payload stay on the server; free text is cut, so one record stays small whatever a webhook held.
 */
import type { CanonicalEvent, DeliveryStatus, EventKind, Provider } from '../../event/types.js';
import type { ChangeOrigin, Transition } from '../../tracking/tracker-types.js';

/** Longest free text (message text, error titles) a record carries, in UTF-16 code units. */
export const TEXT_LIMIT = 500;
/** Most provider errors a record carries (the state itself, read on click, has them all). */
export const ERRORS_LIMIT = 10;

/** One provider error, as the page shows it. */
export interface UiError {
  code: string;
  class: string;
  title: string | null;
  message: string | null;
}

/** A canonical event as the page shows it. */
export interface UiEvent {
  id: string;
  kind: EventKind;
  provider: Provider;
  /** The message it is about (null for account-level errors and notifications). */
  messageId: string | null;
  /** A status event's status. */
  status: DeliveryStatus | null;
  /** A message's type, a notification's topic. */
  type: string | null;
  direction: 'inbound' | 'outbound' | null;
  from: string | null;
  /** The recipient of a status or an outbound message. */
  to: string | null;
  participantId: string | null;
  /** Text, caption, button title, reaction or place, cut to {@link TEXT_LIMIT}. */
  text: string | null;
  errors: UiError[];
  /** True when the event listed more errors than {@link ERRORS_LIMIT}. */
  moreErrors: boolean;
  occurredAt: string;
  occurredAtEstimated: boolean;
  receivedAt: string;
}

/** A `transition` (status changed) or `change` (anything else changed) of a delivery state. */
export interface UiChange {
  key: string;
  provider: Provider;
  messageId: string;
  recipientId: string | null;
  participantId: string | null;
  before: DeliveryStatus | null;
  after: DeliveryStatus;
  /** Implied times and `failedAfterDelivery`, when set after the change. */
  flags: string[];
  origin: ChangeOrigin;
}

interface RecordBase {
  /** Position in this session's feed (1, 2, …): the server-sent event id carries it. */
  seq: number;
  /** ISO time this process saw it. */
  at: string;
}

/** One line of the page's feed. */
export type UiRecord = (RecordBase & { type: 'event' | 'duplicate'; event: UiEvent }) | (RecordBase & { type: 'transition' | 'change'; change: UiChange });

/** `text` cut to `limit` code units, never between the two halves of a surrogate pair. */
export function clip(text: string | null | undefined, limit = TEXT_LIMIT): string | null {
  if (text === null || text === undefined) return null;
  if (text.length <= limit) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
  return `${text.slice(0, end)}…`;
}

function messageText(e: Extract<CanonicalEvent, { kind: 'message' }>): string | null {
  if (e.text !== null) return e.text;
  if (e.interaction) return e.interaction.title ?? e.interaction.id ?? e.interaction.payload ?? null;
  if (e.reaction) return e.reaction.emoji ?? '(reaction removed)';
  if (e.location) return e.location.name ?? e.location.address ?? `${e.location.latitude}, ${e.location.longitude}`;
  return e.media?.filename ?? null;
}

/**
 * The page's summary of a canonical event.
 *
 * @example
 * ```ts
 * eventView(statusEvent); // { kind: 'status', messageId: 'wamid.…', status: 'read', … }
 * ```
 */
export function eventView(e: CanonicalEvent): UiEvent {
  const errors = e.kind === 'status' || e.kind === 'error' ? e.errors : e.kind === 'message' ? (e.errors ?? []) : [];
  const view: UiEvent = {
    id: e.id,
    kind: e.kind,
    provider: e.provider,
    messageId: null,
    status: null,
    type: null,
    direction: null,
    from: null,
    to: null,
    participantId: null,
    text: null,
    errors: errors.slice(0, ERRORS_LIMIT).map((x) => ({ code: x.code, class: x.class, title: clip(x.title ?? null), message: clip(x.message ?? x.details ?? null) })),
    moreErrors: errors.length > ERRORS_LIMIT,
    occurredAt: e.occurredAt,
    occurredAtEstimated: e.occurredAtEstimated === true,
    receivedAt: e.receivedAt,
  };
  if (e.kind === 'status') {
    Object.assign(view, { messageId: e.messageId, status: e.status, to: e.recipientId, participantId: e.participantId ?? null });
  } else if (e.kind === 'message') {
    Object.assign(view, { messageId: e.messageId, type: e.type, direction: e.direction, from: e.from, to: e.to, text: clip(messageText(e)) });
  } else if (e.kind === 'notification') {
    view.type = e.topic;
  }
  return view;
}

const FLAGS = ['sentImplied', 'deliveredImplied', 'readImplied', 'failedAfterDelivery'] as const;

/**
 * The page's summary of a transition or change.
 *
 * @example
 * ```ts
 * tracker.on('transition', (t) => send(changeView(t))); // { before: 'sent', after: 'delivered', … }
 * ```
 */
export function changeView(t: Transition): UiChange {
  const a = t.after;
  return {
    key: t.key,
    provider: a.provider,
    messageId: a.messageId,
    recipientId: a.recipientId,
    participantId: a.participantId,
    before: t.before?.status ?? null,
    after: a.status,
    flags: FLAGS.filter((f) => a[f]),
    origin: t.origin,
  };
}
