import { describe, expect, it } from 'vitest';
import { applyEvent, merge } from '../../src/state/merge.js';
import { observe } from '../../src/state/observe.js';
import { present, presentedStatus } from '../../src/state/present.js';
import { classifyChange } from '../../src/state/change.js';
import { parseStateKey, stateKey } from '../../src/state/key.js';
import type { DeliveryState } from '../../src/state/state.js';
import { statusEvent, type StatusInit } from '../tracking/make-event.js';

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

  it('an implied time becoming observed, at the same instant, is a change, not a transition', () => {
    const a = fold([{ status: 'read', at: 3 }]);
    const b = merge(a, observe(statusEvent({ status: 'delivered', at: 3 })));
    expect(present(a).deliveredAt).toBe(present(b).deliveredAt);
    expect(classifyChange(a, b).kind).toBe('change');
    expect(classifyChange(a, a).kind).toBe('none');
    expect(classifyChange(null, a).kind).toBe('transition');
  });

  it('state keys: provider, message and participant; account and recipient are not identity', () => {
    const e = observe(statusEvent({ status: 'read', recipientId: 'g1@g.us', participantId: '155:5' }));
    expect(stateKey(e)).toBe('cloud:wamid.M1:155%3A5');
    expect(parseStateKey(stateKey(e))).toEqual({ provider: 'cloud', messageId: 'wamid.M1', participantId: '155:5' });
    const other = observe(statusEvent({ status: 'read', accountId: null, recipientId: null }));
    const same = observe(statusEvent({ status: 'sent', accountId: 'waba9', recipientId: '1999' }));
    expect(stateKey(other)).toBe('cloud:wamid.M1:');
    expect(stateKey(same)).toBe(stateKey(other));
    expect(parseStateKey('nope')).toBeNull();
    expect(parseStateKey('cloud::')).toBeNull();
  });
});

describe('stateKey', () => {
  it('equals joinId of its parts, escapes included, and round-trips', async () => {
    const { joinId } = await import('../../src/event/ids.js');
    for (const [messageId, participantId] of [
      ['m', 'r'],
      ['m:1', '50%:x'],
      ['a%b', null],
    ] as const) {
      expect(stateKey({ provider: 'cloud', messageId, participantId })).toBe(joinId(['cloud', messageId, participantId]));
      expect(parseStateKey(stateKey({ provider: 'cloud', messageId, participantId }))).toEqual({ provider: 'cloud', messageId, participantId });
    }
  });
});
