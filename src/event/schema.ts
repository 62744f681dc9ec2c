import { z } from 'zod';
import type { CanonicalEvent } from './types.js';

/*
 * The zod schema of a canonical event. It is for consumers (validate what you read back from a
 * queue) and for tests; normalize() never runs it, because validating whole payloads costs about
 * as much as JSON.parse itself.
 */

const isoTimestamp = z.iso.datetime();
const str = z.string();

const providerError = z.object({
  code: str,
  title: str.optional(),
  message: str.optional(),
  details: str.optional(),
  href: str.optional(),
  class: z.enum(['retryable', 'permanent', 'policy', 'unknown']),
});

const base = {
  schemaVersion: z.literal(1),
  id: str.min(1),
  provider: z.enum(['cloud', 'onprem', 'wasender']),
  accountId: str.nullable(),
  phoneNumberId: str.nullable(),
  occurredAt: isoTimestamp,
  occurredAtEstimated: z.literal(true).optional(),
  receivedAt: isoTimestamp,
  raw: z.unknown().optional(),
};

const statusEvent = z.object({
  ...base,
  kind: z.literal('status'),
  messageId: str.min(1),
  recipientId: str.nullable(),
  participantId: str.optional(),
  recipientUserId: str.optional(),
  status: z.enum(['pending', 'sent', 'delivered', 'read', 'played', 'failed', 'deleted', 'warning', 'unknown']),
  providerStatus: str,
  errors: z.array(providerError),
  pricing: z
    .object({ billable: z.boolean().optional(), model: str.optional(), category: str.optional(), type: str.optional() })
    .optional(),
  conversation: z
    .object({ id: str.optional(), origin: str.optional(), expiresAt: isoTimestamp.optional() })
    .optional(),
  bizOpaqueCallbackData: str.optional(),
});

const messageEvent = z.object({
  ...base,
  kind: z.literal('message'),
  messageId: str.min(1),
  direction: z.enum(['inbound', 'outbound']),
  from: str.nullable(),
  to: str.nullable(),
  contact: z.object({ name: str.optional(), waId: str.optional(), userId: str.optional() }),
  type: z.enum([
    'text', 'image', 'audio', 'voice', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive',
    'button', 'reaction', 'order', 'system', 'revoke', 'edit', 'poll', 'unsupported', 'unknown',
  ]),
  providerType: str.optional(),
  text: str.nullable(),
  media: z
    .object({
      id: str.optional(),
      url: str.optional(),
      mimeType: str.optional(),
      sha256: str.optional(),
      fileSize: z.number().optional(),
      filename: str.optional(),
      caption: str.optional(),
      voice: z.boolean().optional(),
      animated: z.boolean().optional(),
    })
    .optional(),
  interaction: z
    .object({
      kind: z.enum(['button_reply', 'list_reply', 'nfm_reply', 'quick_reply']),
      id: str.optional(),
      title: str.optional(),
      description: str.optional(),
      payload: str.optional(),
      response: z.unknown().optional(),
    })
    .optional(),
  reaction: z.object({ messageId: str.nullable(), emoji: str.nullable() }).optional(),
  location: z
    .object({
      latitude: z.number(),
      longitude: z.number(),
      name: str.optional(),
      address: str.optional(),
      url: str.optional(),
    })
    .optional(),
  context: z
    .object({
      messageId: str.optional(),
      from: str.optional(),
      forwarded: z.boolean().optional(),
      frequentlyForwarded: z.boolean().optional(),
      mentions: z.array(str).optional(),
      referredProduct: z.object({ catalogId: str.optional(), productRetailerId: str.optional() }).optional(),
    })
    .optional(),
  referral: z
    .object({
      sourceUrl: str.optional(),
      sourceId: str.optional(),
      sourceType: str.optional(),
      headline: str.optional(),
      body: str.optional(),
      mediaType: str.optional(),
      imageUrl: str.optional(),
      videoUrl: str.optional(),
      thumbnailUrl: str.optional(),
      ctwaClid: str.optional(),
    })
    .optional(),
  groupId: str.optional(),
  details: z.record(str, z.unknown()).optional(),
  errors: z.array(providerError).optional(),
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
export const eventSchema: z.ZodType<CanonicalEvent> = z.discriminatedUnion('kind', [
  messageEvent,
  statusEvent,
  errorEvent,
  notificationEvent,
]);
