/**
 * The {@link AnalyticsStore} conformance suite: idempotent records, and a funnel equal to the
 * reference computed in JavaScript over the same states and records.
 */
import { computeFunnel } from '../../analytics/memory-funnel.js';
import type { ConversionRecord, InteractionRecord, StoreFunnelQuery } from '../../analytics/types.js';
import type { AnalyticsStore } from '../../storage/analytics-store.js';
import type { StateStore } from '../../storage/state-store.js';
import { foldItems, observation, stepOf, type StepItem } from '../observations.js';
import { uniquePrefix, type ConformanceRunner, type ConformanceTarget } from './runner.js';

/**
 * Registers the conformance tests of a store that is also an {@link AnalyticsStore}.
 *
 * @example
 * ```ts
 * runAnalyticsStoreConformance({ name: 'my store', create: async () => myStore() }, { describe, it, expect, beforeEach, afterEach });
 * ```
 */
export function runAnalyticsStoreConformance(target: ConformanceTarget<StateStore & AnalyticsStore>, t: ConformanceRunner): void {
  const { describe, it, expect, beforeEach, afterEach } = t;
  let store: StateStore & AnalyticsStore;
  let prefix = '';

  describe(`AnalyticsStore conformance: ${target.name}`, () => {
    beforeEach(async () => {
      store = await target.create();
      prefix = uniquePrefix();
    });
    afterEach(async () => {
      if (target.cleanup) await target.cleanup(store);
    });

    it('recordConversion is idempotent by id', async () => {
      const c: ConversionRecord = { id: `${prefix}-order`, messageId: `${prefix}-m`, valueMicros: 12_500_000, currency: 'EUR', at: 1_700_000_000_000 };
      expect(await store.recordConversion(c)).toBe(true);
      expect(await store.recordConversion(c)).toBe(false);
    });

    it('funnel equals the reference over the same states, replies and conversions', async () => {
      const account = `${prefix}-acct`;
      const t0 = 1_700_000_000;
      const items: StepItem[] = [];
      for (let i = 0; i < 12; i++) {
        const msg = `${prefix}-m${i}`;
        const extra = { accountId: account };
        items.push(observation(msg, 'sent', t0 + i, extra));
        if (i % 2 === 0) items.push(observation(msg, 'delivered', t0 + i + 5, { ...extra, pricing: { category: 'marketing', billable: true } }));
        if (i % 3 === 0) items.push(observation(msg, 'read', t0 + i + 60, extra));
        if (i % 5 === 4) items.push(observation(msg, 'failed', t0 + i + 2, { ...extra, errors: [{ code: '131026', class: 'permanent' }] }));
        if (i === 7) items.push(observation(msg, 'read', t0 + i + 90, { ...extra, occurredAtEstimated: true }));
      }
      await store.ingest(stepOf(items));
      const replies: InteractionRecord[] = [0, 2, 2].map((i, k) => ({
        id: `${prefix}-reply-${k}`,
        provider: 'cloud',
        accountId: account,
        messageId: `${prefix}-in-${k}`,
        repliedTo: `${prefix}-m${i}`,
        kind: 'button_reply',
        replyId: 'yes',
        title: 'Yes',
        from: '15550001111',
        at: (t0 + 100) * 1000,
      }));
      await store.recordInteractions(replies);
      await store.recordInteractions(replies); // idempotent
      const conversion: ConversionRecord = { id: `${prefix}-c1`, messageId: `${prefix}-m0`, valueMicros: 49_900_000, currency: 'BRL', at: (t0 + 200) * 1000 };
      await store.recordConversion(conversion);
      const query: StoreFunnelQuery = { fromMs: (t0 - 10) * 1000, toMs: (t0 + 10_000) * 1000, accountId: account, failedPolicy: 'delivery-wins', groupBy: 'hour' };
      const expected = computeFunnel(foldItems(items).values(), replies, [conversion], query);
      expect(await store.funnel(query)).toEqual(expected);
      const absorbing = { ...query, failedPolicy: 'absorbing' as const };
      expect(await store.funnel(absorbing)).toEqual(computeFunnel(foldItems(items).values(), replies, [conversion], absorbing));
    });
  });
}
