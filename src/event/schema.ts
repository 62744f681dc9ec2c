import * as z from 'zod/mini';
import type { CanonicalEvent } from './types.js';

/*
 * The zod schema of a canonical event. It is for consumers (validate what you read back from a
 * queue) and for tests; normalize() never runs it, because validating whole payloads costs about
 * as much as JSON.parse itself.
 */

const isoTimestamp = z.iso.datetime();
const str = z.string();
const nonEmpty = z.string().check(z.minLength(1));

const providerError = z.object({
  code: str,
  title: z.optional(str),
  message: z.optional(str),
  details: z.optional(str),
  href: z.optional(str),
  class: z.enum(['retryable', 'permanent', 'policy', 'unknown']),
});

const base = {
  schemaVersion: z.literal(1),
  id: nonEmpty,
  provider: z.enum(['cloud', 'onprem', 'wasender']),
  accountId: z.nullable(str),
  phoneNumberId: z.nullable(str),
  occurredAt: isoTimestamp,
  occurredAtEstimated: z.optional(z.literal(true)),
  receivedAt: isoTimestamp,
  raw: z.optional(z.unknown()),
};

const statusEvent = z.object({
  ...base,
  kind: z.literal('status'),
  messageId: nonEmpty,
  recipientId: z.nullable(str),
  participantId: z.optional(str),
  recipientUserId: z.optional(str),
  status: z.enum(['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'unknown']),
  providerStatus: str,
  errors: z.array(providerError),
  pricing: z.optional(
    z.object({ billable: z.optional(z.boolean()), model: z.optional(str), category: z.optional(str), type: z.optional(str) }),
  ),
  conversation: z.optional(
    z.object({ id: z.optional(str), origin: z.optional(str), expiresAt: z.optional(isoTimestamp) }),
  ),
  bizOpaqueCallbackData: z.optional(str),
});

const messageEvent = z.object({
  ...base,
  kind: z.literal('message'),
  messageId: nonEmpty,
  direction: z.enum(['inbound', 'outbound']),
  from: z.nullable(str),
  to: z.nullable(str),
  contact: z.object({ name: z.optional(str), waId: z.optional(str), userId: z.optional(str) }),
  type: z.enum([
    'text', 'image', 'audio', 'voice', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive',
    'button', 'reaction', 'order', 'system', 'revoke', 'edit', 'poll', 'unsupported', 'unknown',
  ]),
  providerType: z.optional(str),
  text: z.nullable(str),
  media: z.optional(
    z.object({
      id: z.optional(str),
      url: z.optional(str),
      mimeType: z.optional(str),
      sha256: z.optional(str),
      fileSize: z.optional(z.number()),
      filename: z.optional(str),
      caption: z.optional(str),
      voice: z.optional(z.boolean()),
      animated: z.optional(z.boolean()),
    }),
  ),
  interaction: z.optional(
    z.object({
      kind: z.enum(['button_reply', 'list_reply', 'nfm_reply', 'quick_reply']),
      id: z.optional(str),
      title: z.optional(str),
      description: z.optional(str),
      payload: z.optional(str),
      response: z.optional(z.unknown()),
    }),
  ),
  reaction: z.optional(z.object({ messageId: z.nullable(str), emoji: z.nullable(str) })),
  location: z.optional(
    z.object({
      latitude: z.number(),
      longitude: z.number(),
      name: z.optional(str),
      address: z.optional(str),
      url: z.optional(str),
    }),
  ),
  context: z.optional(
    z.object({
      messageId: z.optional(str),
      from: z.optional(str),
      forwarded: z.optional(z.boolean()),
      frequentlyForwarded: z.optional(z.boolean()),
      mentions: z.optional(z.array(str)),
      referredProduct: z.optional(z.object({ catalogId: z.optional(str), productRetailerId: z.optional(str) })),
    }),
  ),
  referral: z.optional(
    z.object({
      sourceUrl: z.optional(str),
      sourceId: z.optional(str),
      sourceType: z.optional(str),
      headline: z.optional(str),
      body: z.optional(str),
      mediaType: z.optional(str),
      imageUrl: z.optional(str),
      videoUrl: z.optional(str),
      thumbnailUrl: z.optional(str),
      ctwaClid: z.optional(str),
    }),
  ),
  groupId: z.optional(str),
  details: z.optional(z.record(str, z.unknown())),
  errors: z.optional(z.array(providerError)),
});

const errorEvent = z.object({ ...base, kind: z.literal('error'), errors: z.array(providerError) });

const notificationEvent = z.object({ ...base, kind: z.literal('notification'), topic: str, data: z.unknown() });

/**
 * The zod schema of a {@link CanonicalEvent} (schema version 1). Strict about types, lenient
 * about extra keys, so events written by a newer bluetick still validate.
 *
 * @example
 * ```ts
 * import { eventSchema } from 'bluetick';
 * const event = eventSchema.parse(JSON.parse(queueMessage.body));
 * if (event.kind === 'status') console.log(event.status);
 * ```
 */
export const eventSchema: z.ZodMiniType<CanonicalEvent> = z.discriminatedUnion('kind', [
  messageEvent,
  statusEvent,
  errorEvent,
  notificationEvent,
]);
