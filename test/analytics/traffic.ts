/**
 * Generated traffic for analytics tests: tracked messages over three days with campaigns, status
 * sequences delivered out of order and duplicated, failures, pricing, interactive replies and
 * conversions. Seeded, so both stores see exactly the same batches.
 */
import type { CanonicalEvent, DeliveryStatus, MessageEvent, StatusEvent } from '../../src/event/types.js';
import type { ConversionInput } from '../../src/analytics/types.js';
import type { TrackInput } from '../../src/tracking/tracker-types.js';

export const T0 = Date.UTC(2025, 0, 10, 0, 0, 0);

/** The seeded PRNG (mulberry32) of `bluetick/testing`: both stores see the same batches. */
import { seeded as rng } from '../../src/testing/observations.js';

export interface Traffic {
  tracks: TrackInput[];
  batches: CanonicalEvent[][];
  conversions: Array<{ messageId: string; input: ConversionInput }>;
}

const CODES = [
  { code: '131026', class: 'permanent' as const },
  { code: '131047', class: 'policy' as const },
  { code: '130429', class: 'retryable' as const },
];
const BUTTONS = [
  { id: 'yes', title: 'Yes' },
  { id: 'no', title: 'No' },
  { id: 'later', title: 'Later' },
];

function status(messageId: string, recipientId: string, s: DeliveryStatus, at: number, extra: Partial<StatusEvent> = {}): StatusEvent {
  const iso = new Date(at).toISOString();
  return {
    schemaVersion: 1,
    id: `${messageId}:${s}:${recipientId}:${iso}`,
    kind: 'status',
    provider: 'cloud',
    accountId: messageId.endsWith('7') ? 'waba2' : 'waba1',
    phoneNumberId: 'pn1',
    occurredAt: iso,
    receivedAt: iso,
    messageId,
    recipientId,
    status: s,
    providerStatus: s,
    errors: [],
    ...extra,
  };
}

function reply(n: number, repliedTo: string, from: string, button: { id: string; title: string }, at: number, kind: 'button_reply' | 'quick_reply'): MessageEvent {
  const iso = new Date(at).toISOString();
  return {
    schemaVersion: 1,
    id: `reply-${n}`,
    kind: 'message',
    provider: 'cloud',
    accountId: 'waba1',
    phoneNumberId: 'pn1',
    occurredAt: iso,
    receivedAt: iso,
    messageId: `wamid.in${n}`,
    direction: 'inbound',
    from,
    to: null,
    contact: {},
    type: kind === 'button_reply' ? 'interactive' : 'button',
    providerType: 'interactive',
    text: null,
    interaction: kind === 'button_reply' ? { kind, id: button.id, title: button.title } : { kind, payload: button.id, title: button.title },
    context: { messageId: repliedTo },
  };
}

/** Variations for the stores' analytics tests (off by default: other tests keep their traffic). */
export interface TrafficOptions {
  /** Some statuses carry no provider time (`occurredAtEstimated`): latencies must leave those states out. */
  estimates?: boolean;
  /** Some hosts write the account differently at track() than the provider reports it. */
  hostSpellings?: boolean;
}

/** `n` messages; about a third of the statuses are repeated, and every batch is shuffled. */
export function generateTraffic(n: number, seed = 7, options: TrafficOptions = {}): Traffic {
  const rand = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const tracks: TrackInput[] = [];
  const events: CanonicalEvent[] = [];
  const conversions: Traffic['conversions'] = [];
  let replies = 0;
  for (let i = 0; i < n; i++) {
    const messageId = `wamid.m${i}`;
    const recipientId = `1555000${String(i).padStart(4, '0')}`;
    const sentAt = T0 + Math.floor(rand() * 3 * 86_400_000);
    const campaign = rand() < 0.8 ? pick(['spring', 'winter', 'spring-b']) : undefined;
    const hostAccount = options.hostSpellings === true && i % 20 === 7 ? 'WABA-2 (host)' : i % 10 === 7 ? 'waba2' : 'waba1';
    if (rand() < 0.7) tracks.push({ messageId, recipientId, provider: 'cloud', accountId: hostAccount, campaign, sentAt: sentAt - Math.floor(rand() * 2000) });
    const reach = Math.floor(rand() * 6); // 0 none … 5 played
    const pricing = rand() < 0.6 ? { billable: rand() < 0.8, category: pick(['marketing', 'utility', 'service']), model: 'PMP' } : undefined;
    let t = sentAt;
    const seq: StatusEvent[] = [];
    const statuses: DeliveryStatus[] = ['sent', 'delivered', 'read', 'played'];
    for (let k = 0; k < reach - 1 && k < statuses.length; k++) {
      // Sometimes a step is lost (read without delivered), and times may go backwards a little.
      if (k > 0 && rand() < 0.1) continue;
      const extra: Partial<StatusEvent> = k === 0 && pricing ? { pricing } : {};
      if (options.estimates === true && rand() < 0.1) extra.occurredAtEstimated = true;
      seq.push(status(messageId, recipientId, statuses[k] as DeliveryStatus, t, extra));
      t += Math.floor(rand() * 120_000) - (rand() < 0.05 ? 200_000 : 0);
    }
    if (rand() < 0.15) {
      const err = pick(CODES);
      seq.push(status(messageId, recipientId, 'failed', sentAt + 5000, { errors: [{ code: err.code, class: err.class, title: 'failure' }] }));
    }
    for (const e of seq) {
      events.push(e);
      if (rand() < 0.3) events.push({ ...e }); // provider retry: same id
    }
    if (reach >= 3 && rand() < 0.4) {
      const kind = rand() < 0.5 ? 'button_reply' : 'quick_reply';
      const r = reply(replies++, messageId, recipientId, pick(BUTTONS), t + 1000, kind);
      events.push(r);
      if (rand() < 0.3) events.push({ ...r });
      if (rand() < 0.5) conversions.push({ messageId, input: { value: Math.round(rand() * 10_000) / 100, currency: pick(['usd', 'BRL']), id: `order-${i}` } });
    }
  }
  // Shuffle all events, then cut into batches: statuses arrive out of order and across batches.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [events[i], events[j]] = [events[j] as CanonicalEvent, events[i] as CanonicalEvent];
  }
  const batches: CanonicalEvent[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 1 + Math.floor(rand() * 40);
    batches.push(events.slice(i, i + size));
    i += size;
  }
  return { tracks, batches, conversions };
}
