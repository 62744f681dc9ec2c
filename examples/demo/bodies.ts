/**
 * Turns the generated campaign into webhook bodies shaped like the providers': Cloud status
 * webhooks batched the way Meta batches them (several entries, changes and statuses per body),
 * button replies as inbound `interactive.button_reply` messages, WASender `messages.update`
 * events. Items are shuffled and ~10% are delivered twice, as provider retries do.
 */
import { addDuplicates, shuffleInPlace, type Random } from '../../src/cli/replay/random.js';
import type { ReplayPayload } from '../../src/cli/replay/request.js';
import { escapeNonAscii } from 'bluetick';
import type { Campaign, CampaignMessage } from './campaign.js';

type Observation = { message: CampaignMessage; status: CampaignMessage['statuses'][number] };

/** The bodies and what was put in them. */
export interface Traffic {
  payloads: ReplayPayload[];
  statusItems: number;
  replies: number;
  wasenderUpdates: number;
  /** Items sent a second time (the tracker must drop exactly these). */
  duplicates: number;
  /** Messages whose read receipt is sent before their delivered one. */
  readBeforeDelivered: number;
}

const PRICING = { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' };
const ACK_LEVEL = { sent: 2, delivered: 3, read: 4 } as const;

function cloudStatus(o: Observation): Record<string, unknown> {
  const item: Record<string, unknown> = { id: o.message.messageId, status: o.status.status, timestamp: String(o.status.at), recipient_id: o.message.recipientId };
  if (o.status.status === 'sent' || o.status.status === 'delivered') item.pricing = PRICING;
  if (o.status.error !== undefined) {
    const { code, title } = o.status.error;
    item.errors = [{ code, title, message: title, error_data: { details: title }, href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/' }];
  }
  return item;
}

/** Splits `items` into `parts` non-empty runs (fewer when there are not enough items). */
function split<T>(items: T[], parts: number, random: Random): T[][] {
  const out: T[][] = [];
  let rest = items;
  for (let p = Math.min(parts, items.length); p > 1; p--) {
    const take = 1 + random.int(rest.length - p + 1);
    out.push(rest.slice(0, take));
    rest = rest.slice(take);
  }
  out.push(rest);
  return out;
}

function cloudEnvelope(campaign: Campaign, entries: Array<Array<Record<string, unknown>>>): Record<string, unknown> {
  return { object: 'whatsapp_business_account', entry: entries.map((changes) => ({ id: campaign.wabaId, changes })) };
}

function statusBodies(campaign: Campaign, items: Observation[], random: Random): string[] {
  const metadata = { display_phone_number: campaign.displayPhone, phone_number_id: campaign.phoneNumberId };
  const bodies: string[] = [];
  for (let i = 0; i < items.length; ) {
    const size = 5 + random.int(56);
    const chunk = items.slice(i, i + size);
    i += size;
    const entries = split(chunk, 1 + random.int(3), random).map((entryItems) =>
      split(entryItems, 1 + random.int(2), random).map((changeItems) => ({
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata, statuses: changeItems.map(cloudStatus) },
      })),
    );
    bodies.push(JSON.stringify(cloudEnvelope(campaign, entries)));
  }
  return bodies;
}

function replyBody(campaign: Campaign, m: CampaignMessage, index: number, random: Random): string {
  const reply = m.reply as NonNullable<CampaignMessage['reply']>;
  const value = {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: campaign.displayPhone, phone_number_id: campaign.phoneNumberId },
    contacts: [{ profile: { name: reply.name }, wa_id: m.recipientId }],
    messages: [
      {
        context: { from: campaign.displayPhone, id: m.messageId },
        from: m.recipientId,
        id: `wamid.REPLY${String(index).padStart(6, '0')}`,
        timestamp: String(reply.at),
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: reply.button.id, title: reply.button.title } },
      },
    ],
  };
  const text = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: campaign.wabaId, changes: [{ field: 'messages', value }] }] });
  // Meta puts the escaped form on the wire; half are sent that way, half as raw UTF-8 (as after a
  // proxy that re-encodes): both are signed over the escaped form, as Meta signs.
  return random.chance(0.5) ? escapeNonAscii(text) : text;
}

function wasenderBody(campaign: Campaign, o: Observation): string {
  const level = ACK_LEVEL[o.status.status as keyof typeof ACK_LEVEL];
  return JSON.stringify({
    event: 'messages.update',
    sessionId: campaign.wasenderSession,
    timestamp: o.status.at * 1000,
    data: { key: { remoteJid: `${o.message.recipientId}@s.whatsapp.net`, fromMe: true, id: o.message.messageId }, update: { status: level } },
  });
}

/**
 * Builds every request body of the campaign, shuffled, with ~`duplicateRate` of the items twice.
 *
 * @example
 * ```ts
 * const traffic = buildTraffic(campaign, seededRandom(1), 0.1);
 * ```
 */
export function buildTraffic(campaign: Campaign, random: Random, duplicateRate: number): Traffic {
  const cloudItems: Observation[] = [];
  const wasenderItems: Observation[] = [];
  const replied: CampaignMessage[] = [];
  for (const message of campaign.messages) {
    for (const status of message.statuses) (message.provider === 'cloud' ? cloudItems : wasenderItems).push({ message, status });
    if (message.reply !== undefined) replied.push(message);
  }
  const statusItems = cloudItems.length;
  let duplicates = addDuplicates(cloudItems, duplicateRate, random);
  shuffleInPlace(cloudItems, random);
  const order = new Map<string, number>();
  let readBeforeDelivered = 0;
  cloudItems.forEach((o, i) => {
    const key = `${o.message.messageId}:${o.status.status}`;
    if (!order.has(key)) order.set(key, i);
  });
  for (const m of campaign.messages) {
    const r = order.get(`${m.messageId}:read`);
    const d = order.get(`${m.messageId}:delivered`);
    if (r !== undefined && d !== undefined && r < d) readBeforeDelivered++;
  }

  const payloads: ReplayPayload[] = statusBodies(campaign, cloudItems, random).map((body, i) => ({ label: `cloud-statuses-${i}`, provider: 'cloud', body }));
  const replyPayloads: ReplayPayload[] = replied.map((m, i) => ({ label: `cloud-reply-${i}`, provider: 'cloud', body: replyBody(campaign, m, i, random) }));
  duplicates += addDuplicates(replyPayloads, duplicateRate, random);
  const wasenderPayloads: ReplayPayload[] = wasenderItems.map((o, i) => ({ label: `wasender-update-${i}`, provider: 'wasender', body: wasenderBody(campaign, o) }));
  duplicates += addDuplicates(wasenderPayloads, duplicateRate, random);
  payloads.push(...replyPayloads, ...wasenderPayloads);
  shuffleInPlace(payloads, random);
  return { payloads, statusItems, replies: replied.length, wasenderUpdates: wasenderItems.length, duplicates, readBeforeDelivered };
}
