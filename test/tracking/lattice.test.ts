import { describe, expect, it } from 'vitest';
import { applyEvent, merge } from '../../src/tracking/merge.js';
import { observe } from '../../src/tracking/observe.js';
import { present, presentedStatus, samePresentation } from '../../src/tracking/present.js';
import { parseTrackingKey, trackingKey } from '../../src/tracking/key.js';
import type { DeliveryState } from '../../src/tracking/state.js';
import { statusEvent, type StatusInit } from './make-event.js';

function fold(inits: StatusInit[]): DeliveryState {
  let s: DeliveryState | null = null;
  for (const i of inits) s = applyEvent(s, statusEvent(i));
  if (s === null) throw new Error('empty');
  return s;
}

const err131049 = { code: '131049', class: 'policy' as const, title: 'not delivered' };

describe('lattice merge and presentation', () => {
  it('keeps the highest rank and the earliest timestamp per status', () => {
    const s = fold([
      { status: 'read', at: 300 },
      { status: 'sent', at: 100 },
      { status: 'delivered', at: 200 },
      { status: 'sent', at: 150 },
    ]);
    expect(s.rank).toBe(4);
    expect(s.sentAt).toBe(100_000);
    expect(s.deliveredAt).toBe(200_000);
    expect(s.readAt).toBe(300_000);
    const view = present(s);
    expect(view.status).toBe('read');
    expect(view.deliveredImplied).toBe(false);
  });

  it('fills a missing deliveredAt from readAt and flags it', () => {
    const view = present(fold([{ status: 'sent', at: 100 }, { status: 'read', at: 300 }]));
    expect(view.status).toBe('read');
    expect(view.deliveredAt).toBe(view.readAt);
    expect(view.deliveredImplied).toBe(true);
    expect(view.readImplied).toBe(false);
  });

  it('fills read and delivered from played (voice note) and clamps a late lower timestamp', () => {
    const view = present(fold([{ status: 'played', at: 400 }, { status: 'sent', at: 500 }]));
    expect(view.status).toBe('played');
    expect(view.readImplied).toBe(true);
    expect(view.deliveredImplied).toBe(true);
    expect(view.sentAt).toBe(new Date(400_000).toISOString()); // clamped from 500 down to played
    expect(view.sentImplied).toBe(false);
  });

  it('delivery-wins: failure below delivery is failed; after delivery it is flagged, not shown', () => {
    const failedAfterSent = fold([{ status: 'sent', at: 1 }, { status: 'failed', at: 2, errors: [err131049] }]);
    expect(presentedStatus(failedAfterSent)).toBe('failed');
    const deliveredThenFailed = fold([{ status: 'delivered', at: 1 }, { status: 'failed', at: 2, errors: [err131049] }]);
    const view = present(deliveredThenFailed);
    expect(view.status).toBe('delivered');
    expect(view.failedAfterDelivery).toBe(true);
    expect(view.errors.map((e) => e.code)).toEqual(['131049']);
    expect(present(deliveredThenFailed, { failedPolicy: 'absorbing' }).status).toBe('failed');
  });

  it('timestamps never decide precedence: a failure timestamped before delivery still loses to delivery', () => {
    const s = fold([{ status: 'failed', at: 1 }, { status: 'delivered', at: 50 }]);
    expect(presentedStatus(s, 'delivery-wins')).toBe('delivered');
  });

  it('annotations never move the rank; with nothing else they are the status', () => {
    const s = fold([{ status: 'sent', at: 1 }, { status: 'deleted', at: 2 }, { status: 'unknown', providerStatus: 'in_orbit', at: 3 }]);
    expect(s.rank).toBe(2);
    expect(present(s).status).toBe('sent');
    expect(present(s).annotations).toEqual(['deleted', 'in_orbit']);
    expect(presentedStatus(fold([{ status: 'warning' }]))).toBe('warning');
    expect(presentedStatus(fold([{ status: 'unknown', providerStatus: 'x' }]))).toBe('unknown');
    expect(presentedStatus(fold([{ status: 'warning' }, { status: 'deleted' }]))).toBe('deleted');
  });

  it('pricing comes from the highest-rank status that carried it and is never erased', () => {
    const s = fold([
      { status: 'delivered', at: 2, pricing: { model: 'PMP', category: 'utility' } },
      { status: 'sent', at: 1, pricing: { model: 'CBP', category: 'marketing' } },
      { status: 'read', at: 3 },
    ]);
    expect(s.pricing).toEqual({ model: 'PMP', category: 'utility' });
  });

  it('same error code twice: the greater variant wins whichever order', () => {
    const a = observe(statusEvent({ status: 'failed', errors: [{ code: '1', class: 'unknown', title: 'a' }] }));
    const b = observe(statusEvent({ status: 'failed', errors: [{ code: '1', class: 'unknown', title: 'b' }] }));
    expect(merge(a, b)).toEqual(merge(b, a));
    expect(merge(a, b).errors?.['1']?.title).toBe('b');
  });

  it('merge returns the same object when nothing changes', () => {
    const s = fold([{ status: 'sent', at: 1 }, { status: 'read', at: 3 }]);
    expect(merge(s, observe(statusEvent({ status: 'sent', at: 2 })))).toBe(s);
    expect(merge(s, s)).toBe(s);
  });

  it('samePresentation agrees with present() on a flip of an implied flag', () => {
    const a = fold([{ status: 'read', at: 3 }]);
    const b = merge(a, observe(statusEvent({ status: 'delivered', at: 3 })));
    expect(present(a).deliveredAt).toBe(present(b).deliveredAt);
    expect(samePresentation(a, b)).toBe(false);
  });

  it('tracking keys separate participants and round-trip through parseTrackingKey', () => {
    const e = statusEvent({ status: 'read', recipientId: 'g1@g.us', participantId: '155:5' });
    const key = trackingKey(e);
    expect(key).toBe('cloud:waba1:wamid.M1:155%3A5');
    expect(parseTrackingKey(key)).toEqual({ provider: 'cloud', accountId: 'waba1', messageId: 'wamid.M1', party: '155:5' });
    expect(trackingKey(statusEvent({ status: 'read', accountId: null, recipientId: null }))).toBe('cloud::wamid.M1:');
    expect(parseTrackingKey('nope')).toBeNull();
  });
});

describe('trackingKey', () => {
  it('equals joinId of its parts, escapes included', async () => {
    const { joinId } = await import('../../src/event/ids.js');
    for (const [accountId, messageId, party] of [
      ['a', 'm', 'r'],
      [null, 'm:1', '50%:x'],
      ['a%b', 'm', null],
    ] as const) {
      const e = statusEvent({ status: 'sent', accountId, messageId, recipientId: party });
      expect(trackingKey(e)).toBe(joinId(['cloud', accountId, messageId, party]));
      expect(parseTrackingKey(trackingKey(e))).toEqual({ provider: 'cloud', accountId, messageId, party });
    }
  });
});
