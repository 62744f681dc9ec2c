/**
 * The multi-process scenario's data: status events of many messages (1:1 and group
 * participants), every progress status, failures with errors, deleted/warning/unknown
 * annotations, pricing and conversations, equal timestamps. Deterministic for a seed, so every
 * worker process generates the very same events without passing them around.
 */
import type { DeliveryStatus, StatusEvent } from '../../../src/event/types.js';
import { seeded } from '../../../src/testing/index.js';

const PROGRESS: DeliveryStatus[] = ['pending', 'sent', 'delivered', 'read', 'played'];
const ODD: DeliveryStatus[] = ['failed', 'deleted', 'warning', 'unknown'];

function event(tag: string, messageId: string, party: { recipientId: string; participantId?: string }, status: DeliveryStatus, atMs: number, n: number): StatusEvent {
  const iso = new Date(atMs).toISOString();
  const e: StatusEvent = {
    schemaVersion: 1,
    id: `${tag}:${messageId}:${party.participantId ?? party.recipientId}:${status}:${n}`,
    kind: 'status',
    provider: 'cloud',
    accountId: `waba-${messageId.length % 3}`,
    phoneNumberId: null,
    occurredAt: iso,
    receivedAt: iso,
    messageId,
    recipientId: party.recipientId,
    status,
    providerStatus: status === 'unknown' ? `odd_${n % 3}` : status,
    errors: [],
  };
  if (party.participantId !== undefined) e.participantId = party.participantId;
  return e;
}

/**
 * About `count` status events (exactly `count`: the list is cut or padded with repeats of
 * distinct events under new ids). `tag` namespaces message ids so runs never share keys.
 */
export function generateEvents(seed: number, count: number, tag = `mp${seed}`): StatusEvent[] {
  const random = seeded(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const out: StatusEvent[] = [];
  for (let m = 0; out.length < count; m++) {
    const messageId = `${tag}-wamid-${m}`;
    const group = random() < 0.2;
    const parties: { recipientId: string; participantId?: string }[] = group
      ? Array.from({ length: 2 + Math.floor(random() * 3) }, (_, p) => ({ recipientId: `group-${m}@g.us`, participantId: `1555000${p}` }))
      : [{ recipientId: `1555${String(m).padStart(6, '0')}` }];
    if (group && random() < 0.5) parties.push({ recipientId: `group-${m}@g.us` }); // the group-level state
    for (const party of parties) {
      const base = 1_700_000_000_000 + m * 1000;
      const top = 1 + Math.floor(random() * PROGRESS.length);
      let n = 0;
      for (let r = 0; r < top; r++) {
        if (r < top - 1 && random() < 0.25) continue; // providers skip statuses (read without delivered)
        const at = base + r * (random() < 0.2 ? 0 : 1 + Math.floor(random() * 5000)); // sometimes equal times
        const e = event(tag, messageId, party, PROGRESS[r] as DeliveryStatus, at, n++);
        if (r >= 1 && random() < 0.3) e.pricing = { billable: random() < 0.5, model: pick(['CBP', 'PMP']), category: pick(['utility', 'marketing']) };
        if (r >= 1 && random() < 0.2) e.conversation = { id: `conv-${m % 7}`, origin: pick(['utility', 'service']) };
        if (random() < 0.05) e.bizOpaqueCallbackData = `biz-${Math.floor(random() * 3)}`;
        out.push(e);
      }
      if (random() < 0.15) {
        const status = random() < 0.6 ? 'failed' : pick(ODD);
        const e = event(tag, messageId, party, status, base + Math.floor(random() * 9000), n++);
        if (status === 'failed' || random() < 0.3) {
          e.errors = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
            code: String(131000 + Math.floor(random() * 60)),
            class: pick(['retryable', 'permanent', 'policy', 'unknown'] as const),
            title: pick(['Rate limit hit', 'Message undeliverable', 'Re-engagement message']),
            ...(random() < 0.5 ? { details: pick(['a', 'b', 'ü']) } : {}),
          }));
        }
        out.push(e);
      }
    }
  }
  return out.slice(0, count);
}
