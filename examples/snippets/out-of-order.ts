/**
 * The out-of-order example of docs/delivery-state.md, runnable: one tracked message whose
 * statuses arrive read first, then sent, then delivered, then a retried copy of read, then a
 * late failure. test/docs/snippets.test.ts checks the transitions the doc shows.
 *
 *   node --import tsx examples/snippets/out-of-order.ts
 *
 * @sample run
 */
import { createTracker, normalize } from 'bluetick';

const WABA = '102290129340398';
const MESSAGE = 'wamid.HBgLMTYzMTU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA';
const USER = '16315551234';

/** A Cloud API statuses webhook carrying one status of MESSAGE. */
function statusWebhook(status: string, timestamp: number, errors?: unknown[]): object {
  const item = { id: MESSAGE, status, timestamp: String(timestamp), recipient_id: USER, ...(errors ? { errors } : {}) };
  const value = { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' }, statuses: [item] };
  return { object: 'whatsapp_business_account', entry: [{ id: WABA, changes: [{ field: 'messages', value }] }] };
}

/** One line per delivery: what arrived, and what it caused: a `transition`, a `change`, or nothing. */
export interface Step {
  arrived: string;
  emitted: 'transition' | 'change' | null;
  status: string | null;
  flags: string[];
}

/** Replays the example and returns what the tracker emitted for each delivery. */
export async function replayOutOfOrder(): Promise<Step[]> {
  const tracker = createTracker({ provider: 'cloud', accountId: WABA });
  const t0 = Date.UTC(2026, 0, 1, 10, 0, 0) / 1000; // 10:00:00 UTC, send time
  let last: Step | null = null;
  const record = (emitted: 'transition' | 'change') => ({ after }: { after: { status: string; sentImplied: boolean; deliveredImplied: boolean; failedAfterDelivery: boolean } }) => {
    if (last === null) return;
    last.emitted = emitted;
    last.status = after.status;
    last.flags = (['sentImplied', 'deliveredImplied', 'failedAfterDelivery'] as const).filter((f) => after[f]);
  };
  // `transition`: the status changed. `change`: something else you can see changed (a time, a flag).
  tracker.on('transition', record('transition'));
  tracker.on('change', record('change'));
  const deliveries: [string, () => Promise<unknown>][] = [
    ['track() at 10:00:00', () => tracker.track({ messageId: MESSAGE, recipientId: USER, sentAt: t0 * 1000 })],
    ['read (10:00:09)', () => tracker.ingest(normalize(statusWebhook('read', t0 + 9)))],
    ['sent (10:00:01)', () => tracker.ingest(normalize(statusWebhook('sent', t0 + 1)))],
    ['delivered (10:00:03)', () => tracker.ingest(normalize(statusWebhook('delivered', t0 + 3)))],
    ['read again (Meta retry)', () => tracker.ingest(normalize(statusWebhook('read', t0 + 9)))],
    ['failed 131026 (late)', () => tracker.ingest(normalize(statusWebhook('failed', t0 + 12, [{ code: 131026, title: 'Message undeliverable' }])))],
  ];
  const steps: Step[] = [];
  for (const [arrived, deliver] of deliveries) {
    last = { arrived, emitted: null, status: null, flags: [] };
    await deliver();
    steps.push(last);
  }
  const final = await tracker.getState(MESSAGE);
  await tracker.close();
  steps.push({ arrived: 'final getState()', emitted: null, status: final?.status ?? null, flags: final?.failedAfterDelivery ? ['failedAfterDelivery'] : [] });
  return steps;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const step of await replayOutOfOrder()) {
    console.log(step.arrived.padEnd(26), step.status === null ? '(nothing emitted)' : `${step.emitted ?? 'state'}: ${step.status} ${step.flags.join(' ')}`);
  }
}
