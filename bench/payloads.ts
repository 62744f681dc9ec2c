/**
 * The three benchmark payloads the targets are stated for, built in code from the documented
 * Cloud API shapes (the same shapes as the shared fixtures), so the benchmark runs in any clone.
 */

const WABA = '102290129340398';
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

function envelope(value: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: WABA, changes: [{ value: { messaging_product: 'whatsapp', metadata, ...value }, field: 'messages' }] }],
  });
}

function status(i: number, state = 'delivered'): Record<string, unknown> {
  return {
    id: `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI${String(i).padStart(6, '0')}QUFERjg0NDEzNDdFODU3MUMxMAA=`,
    status: state,
    timestamp: String(1750030073 + i),
    recipient_id: `1650555${String(1000 + i).padStart(4, '0')}`,
    conversation: { id: '72b14d6bd5407799e66f64d1b338e567', expiration_timestamp: '1750116480', origin: { type: 'marketing' } },
    pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
  };
}

/** A single inbound text message with its contact. */
export const inboundText = envelope({
  contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: '16505551234' }],
  messages: [
    {
      from: '16505551234',
      id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
      timestamp: '1749416383',
      type: 'text',
      text: { body: 'Does it come in another color?' },
    },
  ],
});

/** A single status with conversation and pricing. */
export const statusWithPricing = envelope({ statuses: [status(0, 'sent')] });

/** A batch of 50 statuses in one change. */
export const fiftyStatuses = envelope({ statuses: Array.from({ length: 50 }, (_, i) => status(i)) });

export const payloads = { 'inbound text': inboundText, 'status with pricing': statusWithPricing, '50 statuses': fiftyStatuses };
