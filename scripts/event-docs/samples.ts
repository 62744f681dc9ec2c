/**
 * Small webhook bodies, written from the providers' documented shapes, whose normalized events
 * serve as the reference's examples. They are normalized when the doc is generated, so an
 * example is always exactly what this version of `normalize()` returns.
 */
import type { CanonicalEvent, EventKind } from '../../src/event/types.js';
import { normalize } from '../../src/normalize.js';

/** The receive time of every example (fixed, so the generated file is stable). */
export const SAMPLE_RECEIVED_AT = '2026-01-01T00:00:00.000Z';

const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

/** One Cloud API body: a button reply, a read status with pricing, a value-level error, an account update. */
export const CLOUD_SAMPLE = {
  object: 'whatsapp_business_account',
  entry: [
    {
      id: '102290129340398',
      changes: [
        {
          field: 'messages',
          value: {
            messaging_product: 'whatsapp',
            metadata,
            contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
            messages: [
              {
                context: { from: '15550783881', id: 'wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA' },
                from: '16315551234',
                id: 'wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
                timestamp: '1712595443',
                type: 'interactive',
                interactive: { type: 'button_reply', button_reply: { id: 'confirm-yes', title: 'Yes, confirm' } },
              },
            ],
            statuses: [
              {
                id: 'wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA',
                status: 'read',
                timestamp: '1712595441',
                recipient_id: '16315551234',
                pricing: { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular' },
              },
            ],
            errors: [{ code: 130429, title: 'Rate limit hit', message: 'Rate limit hit', error_data: { details: 'Message failed to send because there were too many messages sent from this phone number in a short period of time' } }],
          },
        },
        {
          field: 'account_update',
          value: { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' },
        },
      ],
      time: 1712595445,
    },
  ],
};

/**
 * The normalized events of the samples, one per kind (the first of each), for the examples.
 *
 * @example
 * ```ts
 * sampleEvents().status?.status; // 'read'
 * ```
 */
export function sampleEvents(): Partial<Record<EventKind, CanonicalEvent>> {
  const { events } = normalize(CLOUD_SAMPLE, { receivedAt: SAMPLE_RECEIVED_AT });
  const byKind: Partial<Record<EventKind, CanonicalEvent>> = {};
  for (const event of events) byKind[event.kind] ??= event;
  return byKind;
}
