/**
 * The demo's generated traffic, and the truth it implies. Every outbound message gets a fate
 * (read, delivered, stuck at sent, failed with a real Cloud API error code, or nothing at all),
 * its status webhooks carry Meta-shaped timestamps in seconds, and the demo knows the final state
 * each message must reach whatever the order and duplication of delivery.
 */
import type { Random } from '../../src/cli/replay/random.js';

/** The four Cloud API error codes the demo fails messages with (title as Meta sends it). */
export const FAILURES = [
  { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' },
  { code: 131026, title: 'Message undeliverable' },
  { code: 131047, title: 'Re-engagement message' },
  { code: 130429, title: 'Rate limit hit' },
] as const;

/** The quick-reply buttons of the campaign template. */
export const BUTTONS = [
  { id: 'yes', title: "Yes, I'm in" },
  { id: 'later', title: 'Not now' },
  { id: 'stop', title: 'Stop promotions' },
] as const;

const CAMPAIGNS = ['spring-sale', 'order-updates', 'win-back'] as const;
// Names with accents and emoji: their bodies are signed over Meta's \u-escaped form.
const NAMES = ['José Álvarez', 'Zoë 🌸', 'Ana', 'Chidi Okafor', 'Mårten Ström', 'Priya', 'Nguyễn Văn An', 'Lea 🎉', 'Tom', 'Fatima Zahra'];

/** What the host sent, and what must come out. */
export interface CampaignMessage {
  provider: 'cloud' | 'wasender';
  messageId: string;
  recipientId: string;
  campaign: string;
  /** Epoch ms the host sent it. */
  sentAtMs: number;
  /** Status observations the provider will report (unordered). */
  statuses: Array<{ status: 'sent' | 'delivered' | 'read' | 'failed'; at: number; error?: (typeof FAILURES)[number] }>;
  /** The presented status the tracker must end with. */
  expected: 'pending' | 'sent' | 'delivered' | 'read' | 'failed';
  /** The button the recipient pressed, if any (Cloud only). */
  reply?: { button: (typeof BUTTONS)[number]; at: number; name: string };
}

/** The whole generated campaign. */
export interface Campaign {
  wabaId: string;
  phoneNumberId: string;
  displayPhone: string;
  wasenderSession: string;
  messages: CampaignMessage[];
}

/** Seconds of delay with a long tail (log-normal): most fast, a few very slow. */
function delaySeconds(random: Random, medianSeconds: number): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(1, Math.round(medianSeconds * Math.exp(gaussian * 1.1)));
}

function cloudFate(random: Random, sentAtMs: number): Pick<CampaignMessage, 'statuses' | 'expected'> {
  const sent = Math.floor(sentAtMs / 1000) + 1;
  const delivered = sent + delaySeconds(random, 3);
  const read = delivered + delaySeconds(random, 240);
  const roll = random();
  if (roll < 0.01) return { statuses: [], expected: 'pending' }; // the webhook never came
  if (roll < 0.07) {
    const error = random.pick(FAILURES);
    const statuses: CampaignMessage['statuses'] = [{ status: 'failed', at: sent + 1, error }];
    if (random.chance(0.5)) statuses.push({ status: 'sent', at: sent });
    return { statuses, expected: 'failed' };
  }
  if (roll < 0.11) return { statuses: [{ status: 'sent', at: sent }], expected: 'sent' };
  if (roll < 0.45) return { statuses: [{ status: 'sent', at: sent }, { status: 'delivered', at: delivered }], expected: 'delivered' };
  // Read. A few read receipts arrive with no delivered at all (delivery is then implied).
  const statuses: CampaignMessage['statuses'] = [{ status: 'sent', at: sent }, { status: 'read', at: read }];
  if (!random.chance(0.04)) statuses.push({ status: 'delivered', at: delivered });
  return { statuses, expected: 'read' };
}

/**
 * Generates `count` Cloud messages (and a few WASender ones) deterministically from `random`.
 *
 * @example
 * ```ts
 * const campaign = generateCampaign(seededRandom(1), 3000, Date.UTC(2025, 5, 1, 12));
 * ```
 */
export function generateCampaign(random: Random, count: number, startMs: number): Campaign {
  const messages: CampaignMessage[] = [];
  for (let i = 0; i < count; i++) {
    const sentAtMs = startMs + i * 120; // the host sends ~8 messages a second
    const messageId = `wamid.DEMO${String(i).padStart(6, '0')}${random.int(1e9).toString(36).toUpperCase()}`;
    const message: CampaignMessage = {
      provider: 'cloud',
      messageId,
      recipientId: `5511${String(900_000_000 + i)}`,
      campaign: CAMPAIGNS[i % CAMPAIGNS.length] as string,
      sentAtMs,
      ...cloudFate(random, sentAtMs),
    };
    const read = message.statuses.find((s) => s.status === 'read');
    if (read !== undefined && random.chance(0.12)) {
      message.reply = { button: random.pick(BUTTONS), at: read.at + delaySeconds(random, 20), name: random.pick(NAMES) };
    }
    messages.push(message);
  }
  // A few messages went out through a WASender session: ack levels 2 sent, 3 delivered, 4 read.
  const wasenderCount = Math.max(3, Math.round(count / 60));
  for (let i = 0; i < wasenderCount; i++) {
    const sentAtMs = startMs + i * 1000;
    const sent = Math.floor(sentAtMs / 1000) + 1;
    const top = random.pick(['sent', 'delivered', 'read'] as const);
    const statuses: CampaignMessage['statuses'] = [{ status: 'sent', at: sent }];
    if (top !== 'sent') statuses.push({ status: 'delivered', at: sent + delaySeconds(random, 3) });
    if (top === 'read') statuses.push({ status: 'read', at: sent + 300 });
    messages.push({
      provider: 'wasender',
      messageId: `3EB0DEMO${String(i).padStart(6, '0')}`,
      recipientId: `4477009${String(10_000 + i)}`,
      campaign: 'whatsapp-web',
      sentAtMs,
      statuses,
      expected: top,
    });
  }
  return { wabaId: '100000000000001', phoneNumberId: '100000000000002', displayPhone: '15550001111', wasenderSession: 'demo-session', messages };
}
