/** The funnel's per-state definitions agree with present(); edge cases of the memory funnel. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeFunnel } from '../../src/analytics/memory-funnel.js';
import { nearestRank } from '../../src/analytics/percentile.js';
import { resolveFunnelQuery, toConversion } from '../../src/analytics/query.js';
import { anchorOf, bucketStart, sentToDelivered, sentToRead } from '../../src/analytics/state-metrics.js';
import type { InteractionRecord } from '../../src/analytics/types.js';
import { AnalyticsError } from '../../src/analytics/errors.js';
import { createTracker, memoryStore } from '../../src/index.js';
import { applyEvent } from '../../src/state/merge.js';
import { present } from '../../src/state/present.js';
import type { DeliveryState } from '../../src/state/state.js';
import { statusEvent } from '../tracking/make-event.js';

const STATUSES = ['sent', 'delivered', 'read', 'played', 'failed'] as const;
const obs = fc.array(fc.record({ status: fc.constantFrom(...STATUSES), at: fc.integer({ min: 1_700_000_000, max: 1_700_000_600 }) }), { minLength: 1, maxLength: 8 });

function stateOf(list: { status: (typeof STATUSES)[number]; at: number }[]): DeliveryState {
  let s: DeliveryState | null = null;
  for (const o of list) s = applyEvent(s, statusEvent({ status: o.status, at: o.at, errors: o.status === 'failed' ? [{ code: '1', class: 'unknown' }] : [] }));
  return s as DeliveryState;
}

describe('state metrics', () => {
  it('latencies are presented-time differences of observed (not implied) timestamps', () => {
    fc.assert(
      fc.property(obs, (list) => {
        const s = stateOf(list);
        const v = present(s);
        const d = v.sentAt && !v.sentImplied && v.deliveredAt && !v.deliveredImplied ? Date.parse(v.deliveredAt) - Date.parse(v.sentAt) : null;
        const r = v.sentAt && !v.sentImplied && v.readAt && !v.readImplied ? Date.parse(v.readAt) - Date.parse(v.sentAt) : null;
        expect(sentToDelivered(s)).toBe(d);
        expect(sentToRead(s)).toBe(r);
        if (d !== null) expect(d).toBeGreaterThanOrEqual(0);
        const times = [v.pendingAt, v.sentAt, v.deliveredAt, v.readAt, v.playedAt, v.failedAt].filter((x): x is string => x !== null).map(Date.parse);
        expect(anchorOf(s)).toBe(times.length === 0 ? 0 : Math.min(...times));
      }),
    );
  });

  it('nearest rank and UTC buckets', () => {
    expect(nearestRank([], 0.5)).toBeNull();
    expect(nearestRank([5], 0.99)).toBe(5);
    expect(nearestRank([1, 2, 3, 4], 0.5)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(nearestRank(Array.from({ length: 100 }, (_, i) => i + 1), 0.99)).toBe(99);
    expect(new Date(bucketStart(Date.UTC(2025, 2, 3, 23, 59, 59), 'day')).toISOString()).toBe('2025-03-03T00:00:00.000Z');
    expect(new Date(bucketStart(Date.UTC(2025, 2, 3, 23, 59, 59), 'hour')).toISOString()).toBe('2025-03-03T23:00:00.000Z');
  });
});

describe('memory funnel', () => {
  const at = (s: number) => new Date(s * 1000).toISOString();
  it('the window is half-open on the anchor; deleted-only states are in no window', () => {
    const inside = stateOf([{ status: 'sent', at: 1_700_000_000 }]);
    const edge = applyEvent(null, statusEvent({ messageId: 'edge', status: 'sent', at: 1_700_000_100 }));
    const deleted = applyEvent(null, statusEvent({ messageId: 'del', status: 'deleted', at: 1_700_000_050 }));
    const q = resolveFunnelQuery({ from: at(1_700_000_000), to: at(1_700_000_100) }, 'delivery-wins');
    const r = computeFunnel([inside, edge, deleted], [], [], q);
    expect(r.total).toBe(1);
    expect(r.sent).toBe(1);
    expect(r.rates).toEqual({ sent: 1, delivered: 0, read: null, played: null, failed: 0 });
  });

  it('failed follows the policy; failures by code and class; pricing by category', () => {
    const failedLate = stateOf([{ status: 'delivered', at: 1_700_000_010 }, { status: 'failed', at: 1_700_000_020 }]);
    const failedEarly = applyEvent(null, statusEvent({ messageId: 'f2', status: 'failed', at: 1_700_000_005, errors: [{ code: '131047', class: 'policy' }, { code: '131026', class: 'permanent' }] }));
    const priced = applyEvent(null, statusEvent({ messageId: 'p', status: 'sent', at: 1_700_000_001, pricing: { category: 'utility', billable: true } }));
    const q = (policy: 'delivery-wins' | 'absorbing') => resolveFunnelQuery({ from: 0, to: 2e12 }, policy);
    const dw = computeFunnel([failedLate, failedEarly, priced], [], [], q('delivery-wins'));
    expect(dw.failed).toBe(1);
    expect(dw.failures.byCode).toEqual([
      { code: '131026', class: 'permanent', count: 1 },
      { code: '131047', class: 'policy', count: 1 },
    ]);
    expect(dw.failures.byClass).toEqual({ retryable: 0, permanent: 1, policy: 1, unknown: 0 });
    expect(dw.byPricingCategory).toEqual([{ category: 'utility', count: 1, billable: 1 }]);
    expect(computeFunnel([failedLate, failedEarly, priced], [], [], q('absorbing')).failed).toBe(2);
  });

  it('interactions without a known outbound message are not counted', () => {
    const s = applyEvent(null, statusEvent({ messageId: 'out1', status: 'delivered', at: 1_700_000_000 }));
    const base: InteractionRecord = { id: 'i1', provider: 'cloud', accountId: 'waba1', messageId: 'in1', repliedTo: 'out1', kind: 'button_reply', replyId: 'yes', title: 'Yes', from: '1', at: 0 };
    const r = computeFunnel([s], [base, { ...base, id: 'i2', repliedTo: 'other' }, { ...base, id: 'i3', repliedTo: null }], [], resolveFunnelQuery({ from: 0, to: 2e12 }, 'delivery-wins'));
    expect(r.interactions).toEqual([{ kind: 'button_reply', replyId: 'yes', title: 'Yes', replies: 1, messages: 1, clickThroughRate: 1 }]);
  });

  it('validates queries and conversions; a store without analytics gets the funnel from its states but keeps no conversions', async () => {
    expect(() => resolveFunnelQuery({ from: 10, to: 10 }, 'delivery-wins')).toThrow(AnalyticsError);
    expect(() => resolveFunnelQuery({ from: 'nope', to: 10 }, 'delivery-wins')).toThrow(/from < to/);
    expect(() => toConversion('m', { value: Number.NaN, currency: 'USD' }, 0)).toThrow(expect.objectContaining({ code: 'invalid_conversion' }));
    expect(() => toConversion('m', { value: 1, currency: ' ' }, 0)).toThrow(expect.objectContaining({ code: 'invalid_conversion' }));
    expect(toConversion('m', { value: 0.1 + 0.2, currency: 'usd', id: 'o1' }, 5)).toEqual({ id: 'o1', messageId: 'm', valueMicros: 300_000, currency: 'USD', at: 5 });
    // A StateStore without the AnalyticsStore methods (as Redis is).
    const { funnel: _f, recordConversion: _r, recordInteractions: _i, ...stateOnly } = memoryStore();
    const bare = createTracker({ store: stateOnly });
    await bare.ingest(statusEvent({ status: 'delivered', at: 1_700_000_000 }));
    expect(await bare.funnel({ from: 0, to: 2e12 })).toMatchObject({ total: 1, delivered: 1, interactions: [], revenue: [] });
    await expect(bare.recordConversion('m', { value: 1, currency: 'USD' })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('the tracker records replies across WASender aliases and counts conversions once per id', async () => {
    const tracker = createTracker({ now: () => 1_700_000_000_000 });
    await tracker.track({ messageId: 'wa-key-1', recipientId: '5511999990002', provider: 'wasender', accountId: 's1', wasenderMsgId: 42, campaign: 'c1', sentAt: 1_700_000_000_000 });
    await tracker.ingest({
      schemaVersion: 1, id: 'r1', kind: 'message', provider: 'wasender', accountId: 's1', phoneNumberId: null, occurredAt: at(1_700_000_100), receivedAt: at(1_700_000_100),
      messageId: 'in-1', direction: 'inbound', from: '5511999990002', to: null, contact: {}, type: 'interactive', providerType: 'buttonsResponseMessage', text: null,
      interaction: { kind: 'button_reply', id: 'buy', title: 'Buy' }, context: { messageId: '42' },
    });
    expect(await tracker.recordConversion('42', { value: 10, currency: 'brl', id: 'o1' })).toBe(true);
    expect(await tracker.recordConversion('wa-key-1', { value: 10, currency: 'brl', id: 'o1' })).toBe(false);
    const r = await tracker.funnel({ from: 1_699_999_000_000, to: 1_700_001_000_000, campaign: 'c1' });
    expect(r.interactions).toEqual([{ kind: 'button_reply', replyId: 'buy', title: 'Buy', replies: 1, messages: 1, clickThroughRate: null }]);
    expect(r.revenue).toEqual([{ campaign: 'c1', currency: 'BRL', value: 10, conversions: 1 }]);
  });
});
