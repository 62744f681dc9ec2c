/**
 * Delivery sequences from the shared real fixtures, through normalize() and the tracker. Where a
 * sequence needs a body no public source published (the same message's sent and failed, a second
 * group participant, an outbound WASender update), it is derived from a real fixture by changing
 * only the named field, at run time.
 */
import { expect, it } from 'vitest';
import { normalize } from '../../src/normalize.js';
import { createTracker, type Tracker } from '../../src/tracking/tracker.js';
import type { Transition } from '../../src/tracking/tracker-types.js';
import { sharedFixture, describeWithSharedFixtures } from '../helpers/fixtures.js';

type Json = Record<string, unknown>;
const RECEIVED = '2025-01-01T00:00:00.000Z';

function body(provider: 'cloud' | 'onprem' | 'wasender', name: string): Json {
  return JSON.parse(sharedFixture(provider, name)) as Json;
}

/** The first status object of a Cloud body, to edit. */
function cloudStatus(b: Json): Json {
  const entry = (b.entry as Json[])[0] as Json;
  const value = ((entry.changes as Json[])[0] as Json).value as Json;
  return (value.statuses as Json[])[0] as Json;
}

function withTransitions(tracker: Tracker): Transition[] {
  const out: Transition[] = [];
  tracker.on('transition', (t) => void out.push(t));
  return out;
}

const ingest = (tracker: Tracker, b: Json | string) => tracker.ingest(normalize(typeof b === 'string' ? b : JSON.stringify(b), { receivedAt: RECEIVED }));

describeWithSharedFixtures('tracking real fixture sequences', () => {
  it('sent → read → delivered (delivered last): read wins, deliveredAt becomes observed', async () => {
    const tracker = createTracker();
    const seen = withTransitions(tracker);
    for (const name of ['pywa-message-status-sent.json', 'pywa-message-status-read.json', 'pywa-message-status-delivered.json']) {
      await ingest(tracker, sharedFixture('cloud', name));
    }
    expect(seen.map((t) => t.after.status)).toEqual(['sent', 'read']);
    const state = await tracker.getState('wamid.xyzxyz');
    // pywa's read is timestamped before its sent/delivered: presented times are clamped monotone.
    expect(state).toMatchObject({ status: 'read', deliveredImplied: false, readAt: '2023-07-15T00:20:58.000Z' });
    expect(state?.sentAt).toBe('2023-07-15T00:20:58.000Z');
    expect(state?.deliveredAt).toBe('2023-07-15T00:20:58.000Z');
    expect(state?.pricing).not.toBeNull();
  });

  it('a duplicate delivered webhook is dropped and emits no transition', async () => {
    const tracker = createTracker();
    const seen = withTransitions(tracker);
    const delivered = sharedFixture('cloud', 'bindambc-textmessagestatusdelivered.json');
    expect((await ingest(tracker, delivered)).accepted).toBe(1);
    const again = await ingest(tracker, delivered);
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, transitions: 0 });
    expect(seen).toHaveLength(1);
  });

  it('failed 131049 after sent is failed, with a policy-class error', async () => {
    const tracker = createTracker();
    const failed = body('cloud', 'meta-docs-status-failed-131049.json');
    const sent = structuredClone(failed);
    cloudStatus(sent).status = 'sent';
    delete cloudStatus(sent).errors;
    cloudStatus(sent).timestamp = '1751142800';
    await ingest(tracker, sent);
    await ingest(tracker, failed);
    const state = await tracker.getState('wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QUQ2MjA4NEYyRkExNjMyREUA');
    expect(state).toMatchObject({ status: 'failed', failedAfterDelivery: false, failedAt: '2025-06-28T20:34:48.000Z' });
    expect(state?.errors.map((e) => [e.code, e.class])).toEqual([['131049', 'policy']]);
  });

  it('delivered then failed: delivery wins by default, failure absorbs under the absorbing policy', async () => {
    const delivered = body('cloud', 'bindambc-textmessagestatusdelivered.json');
    const failed = structuredClone(delivered);
    cloudStatus(failed).status = 'failed';
    cloudStatus(failed).errors = cloudStatus(body('cloud', 'meta-docs-status-failed-131049.json')).errors;
    const id = 'wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==';
    for (const [policy, status] of [['delivery-wins', 'delivered'], ['absorbing', 'failed']] as const) {
      const tracker = createTracker({ failedPolicy: policy });
      await ingest(tracker, delivered);
      await ingest(tracker, failed);
      expect(await tracker.getState(id)).toMatchObject({ status, failedAfterDelivery: true });
    }
  });

  it('read with no delivered implies delivery; a played voice note implies read', async () => {
    const tracker = createTracker();
    await ingest(tracker, sharedFixture('cloud', 'bindambc-textmessagestatussent.json'));
    await ingest(tracker, sharedFixture('cloud', 'bindambc-textmessagestatusread.json'));
    expect(await tracker.getState('wamid.nBgN6TUyN2k5NzAzM5kzNhUCABI8FDNFQjAxQkE5REI4NEUzQ5Y5QTNgAA==')).toMatchObject({
      status: 'read',
      deliveredImplied: true,
    });
    const voice = createTracker();
    await ingest(voice, sharedFixture('cloud', 'pywa-message-status-played.json'));
    expect(await voice.getState('wamid.xyzxyz')).toMatchObject({ status: 'played', readImplied: true, deliveredImplied: true });
  });

  it('WASender numeric ack levels (as numbers and strings) advance one state; ERROR after READ does not undo it', async () => {
    const tracker = createTracker();
    const seen = withTransitions(tracker);
    const base = body('wasender', 'docs-messages-update-status.json');
    const step = (status: unknown, ts: number) => {
      const b = structuredClone(base);
      const data = b.data as Json;
      (data.key as Json).fromMe = true; // the doc sample is inbound; outbound acks are the tracked ones
      (data.update as Json).status = status;
      b.timestamp = ts;
      return b;
    };
    const report = await ingest(tracker, step(2, 1747775431467));
    expect(report.byKind.status).toBe(1);
    await ingest(tracker, step('4', 1747775439000));
    await ingest(tracker, step(3, 1747775435000));
    await ingest(tracker, step(0, 1747775440000));
    expect(seen.map((t) => t.after.status)).toEqual(['sent', 'read']);
    const state = (await tracker.getGroupSummary('34874643876')).group ?? (await tracker.getState('34874643876'));
    expect(state).toMatchObject({ status: 'read', deliveredImplied: false, failedAfterDelivery: true });
  });

  it('a Cloud group message read by two participants: one state each, counted', async () => {
    const tracker = createTracker();
    const one = body('cloud', 'pywa-message-status-group.json');
    const two = structuredClone(one);
    cloudStatus(two).recipient_participant_id = '15550002222';
    await ingest(tracker, one);
    await ingest(tracker, two);
    await ingest(tracker, two);
    const summary = await tracker.getGroupSummary('<WHATSAPP_MESSAGE_ID>');
    expect(summary).toMatchObject({ total: 2, readCount: 2, deliveredCount: 2, failedCount: 0 });
    expect(summary.participants.map((p) => p.participantId)).toEqual(['15550002222', '<GROUP_PARTICIPANT_USER_PHONE_NUMBER>']);
    expect(await tracker.getState('<WHATSAPP_MESSAGE_ID>', '15550002222')).toMatchObject({ status: 'read', recipientId: 'fowefinoewcnw' });
  });

  it('WASender group receipts (delivered, then read) for one participant', async () => {
    const tracker = createTracker();
    await ingest(tracker, sharedFixture('wasender', 'docs-message-receipt-update-read.json'));
    await ingest(tracker, sharedFixture('wasender', 'docs-message-receipt-update-receipt.json'));
    expect(await tracker.getState('message_id_here', 'participant_jid_here')).toMatchObject({ status: 'read', deliveredImplied: false });
  });
});
