/**
 * The benchmark payloads, built in code from each provider's documented shapes (the same shapes
 * as the shared fixtures), so the benchmark runs in any clone. The three Cloud payloads are the
 * ones the target is stated for; On-Premises and WASender get the same two shapes (one
 * inbound text, a batch of 50 statuses).
 */
import type { StatusEvent } from '../src/event/types.js';

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

/** On-Premises: a single inbound text with its contact (flat envelope, no `object`). */
export const onPremText = JSON.stringify({
  contacts: [{ profile: { name: 'Kerry Fisher' }, wa_id: '16315551234' }],
  messages: [
    {
      from: '16315551234',
      id: 'ABGGFlA5FpafAgo6tHcNmNjXmuSf',
      timestamp: '1521497954',
      type: 'text',
      text: { body: 'Does it come in another color?' },
    },
  ],
});

/** On-Premises: 50 statuses with conversation and pricing. */
export const onPremFiftyStatuses = JSON.stringify({
  statuses: Array.from({ length: 50 }, (_, i) => ({
    id: `gBGGFlB5YjhvAgnhuF1qIUvCo${String(i).padStart(3, '0')}`,
    recipient_id: `1631555${String(1000 + i).padStart(4, '0')}`,
    status: 'delivered',
    timestamp: String(1610561171 + i),
    conversation: { id: 'e118e912f7b8212088f2ccad1d8f70bf', origin: { type: 'user_initiated' }, expiration_timestamp: '1610647571' },
    pricing: { billable: true, pricing_model: 'CBP', category: 'user_initiated' },
  })),
});

const SESSION = 'a1b2c3d4e5f6';
const ENVELOPE_MS = 1747775431467;

/** WASender: a single `messages.upsert` (one inbound text, phone-number addressing). */
export const wasenderUpsert = JSON.stringify({
  event: 'messages.upsert',
  sessionId: SESSION,
  timestamp: ENVELOPE_MS,
  data: {
    messages: {
      key: {
        id: '3EB0C431C26A1916E07E',
        fromMe: false,
        remoteJid: '5511999990002@s.whatsapp.net',
        senderPn: '5511999990002@s.whatsapp.net',
        cleanedSenderPn: '5511999990002',
        senderLid: '123456789012345@lid',
        addressingMode: 'pn',
      },
      pushName: 'Maria',
      messageTimestamp: 1747775430,
      messageBody: 'Does it come in another color?',
      message: { conversation: 'Does it come in another color?' },
    },
  },
});

/** WASender: 50 `messages.update` ack levels of our own messages, as an array in `data`. */
export const wasenderFiftyUpdates = JSON.stringify({
  event: 'messages.update',
  sessionId: SESSION,
  timestamp: ENVELOPE_MS,
  data: Array.from({ length: 50 }, (_, i) => ({
    key: { id: `3EB0C431C26A1916E${String(i).padStart(3, '0')}`, fromMe: true, remoteJid: `55119999${String(10000 + i)}@s.whatsapp.net` },
    update: { status: 3 },
  })),
});

export const payloads = {
  'cloud inbound text': inboundText,
  'cloud status with pricing': statusWithPricing,
  'cloud 50 statuses': fiftyStatuses,
  'onprem inbound text': onPremText,
  'onprem 50 statuses': onPremFiftyStatuses,
  'wasender messages.upsert': wasenderUpsert,
  'wasender 50 messages.update': wasenderFiftyUpdates,
};

/**
 * Canonical status events of a campaign: messages `from`…`to`, each sent, delivered and read one
 * second apart, with realistic sizes (a 58-character wamid, an 11-digit recipient, a WABA id).
 * The tracker and memory benchmarks feed these straight to `tracker.ingest`.
 */
export function campaignStatusEvents(from: number, to: number): StatusEvent[] {
  const out: StatusEvent[] = [];
  const base = 1_750_000_000_000;
  for (let m = from; m < to; m++) {
    const messageId = `wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI${m.toString(36).padStart(8, '0')}QUQ2MjA4NEYA`;
    const recipientId = String(15550000000 + m);
    for (let k = 0; k < 3; k++) {
      const status = (['sent', 'delivered', 'read'] as const)[k] as StatusEvent['status'];
      const occurredAt = new Date(base + m * 10 + k * 1000).toISOString();
      out.push({
        schemaVersion: 1,
        id: `${messageId}:${status}:${recipientId}`,
        kind: 'status',
        provider: 'cloud',
        accountId: '102290129340398',
        phoneNumberId: '106540352242922',
        occurredAt,
        receivedAt: occurredAt,
        messageId,
        recipientId,
        status,
        providerStatus: status,
        errors: [],
      });
    }
  }
  return out;
}
