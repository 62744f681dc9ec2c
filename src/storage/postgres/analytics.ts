/**
 * Analytics of the PostgreSQL store (the {@link AnalyticsStore} half): `funnel` computed in SQL
 * (analytics-sql.ts), interaction and conversion records, over the store's own driver, so they
 * work unchanged on `pg` and PGlite.
 */
import { buildReport, emptyRawStats, type RawInteraction, type RawStats } from '../../analytics/assemble.js';
import type { ConversionRecord, FunnelReport, InteractionRecord, InteractionStat, RevenueStat, StoreFunnelQuery } from '../../analytics/types.js';
import type { ErrorClass } from '../../event/types.js';
import type { AnalyticsStore } from '../analytics-store.js';
import { sanitizeValue } from '../sanitize.js';
import { funnelStatements } from './analytics-sql.js';
import { interactionInsert } from './ingest-sql.js';
import type { Names } from './names.js';
import type { Runner } from './outbox.js';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function latency(count: unknown, pcts: unknown): RawStats['sentToDelivered'] {
  // percentile_disc over bigint returns bigint[]: pg hands it back as an array of strings.
  const arr = Array.isArray(pcts) ? pcts : typeof pcts === 'string' ? pcts.replace(/[{}]/g, '').split(',').filter(Boolean) : [];
  const at = (i: number) => (arr[i] === undefined || arr[i] === null || arr[i] === 'NULL' ? null : Number(arr[i]));
  return { count: num(count), p50: at(0), p90: at(1), p99: at(2) };
}

/** The analytics methods over the store's runner. */
export function createAnalytics(names: Names, run: Runner): AnalyticsStore {
  async function funnel(q: StoreFunnelQuery): Promise<FunnelReport> {
    const s = funnelStatements(names, q);
    const [stats, failures, classes, pricing, interactions, delivered, revenue] = await run('funnel', (d) =>
      Promise.all([s.stats, s.failures, s.classes, s.pricing, s.interactions, s.delivered, s.revenue].map((x) => d.query(x.text, x.params))),
    );
    const overall = emptyRawStats();
    const buckets = new Map<number, RawStats>();
    const target = (row: unknown[]): RawStats => {
      if (row[0] === true) return overall;
      const start = num(row[1]);
      let b = buckets.get(start);
      if (b === undefined) buckets.set(start, (b = emptyRawStats()));
      return b;
    };
    for (const r of stats ?? []) {
      const t = target(r);
      [t.total, t.sent, t.delivered, t.read, t.played, t.failed] = [r[2], r[3], r[4], r[5], r[6], r[7]].map(num) as [number, number, number, number, number, number];
      t.sentToDelivered = latency(r[8], r[9]);
      t.sentToRead = latency(r[10], r[11]);
      t.expired = num(r[12]);
    }
    for (const r of failures ?? []) target(r).byCode.push({ code: String(r[2]), class: String(r[3]) as ErrorClass, count: num(r[4]) });
    for (const r of classes ?? []) target(r).byClass[String(r[2]) as ErrorClass] = num(r[3]);
    for (const r of pricing ?? []) target(r).byPricingCategory.push({ category: String(r[2]), count: num(r[3]), billable: num(r[4]) });
    const replies: RawInteraction[] = (interactions ?? []).map((r) => ({
      kind: String(r[0]) as InteractionStat['kind'],
      replyId: text(r[1]),
      title: text(r[2]),
      replies: num(r[3]),
      messages: num(r[4]),
    }));
    const money: RevenueStat[] = (revenue ?? []).map((r) => ({ campaign: text(r[0]), currency: String(r[1]), value: num(r[2]) / 1e6, conversions: num(r[3]) }));
    const deliveredMessages = num(delivered?.[0]?.[0]);
    return buildReport(q, overall, [...buckets].map(([start, stats]) => ({ start, stats })), replies, deliveredMessages, money);
  }

  const insertInteractions = interactionInsert(names, '$1');
  return {
    funnel,
    async recordInteractions(records: readonly InteractionRecord[]) {
      if (records.length === 0) return;
      const json = JSON.stringify(records.map((r) => sanitizeValue(r)));
      await run('recordInteractions', (d) => d.query(insertInteractions, [json]));
    },
    async recordConversion(record: ConversionRecord) {
      const r = sanitizeValue(record);
      const rows = await run('recordConversion', (d) =>
        d.query(`INSERT INTO ${names.conversions} (id, message_id, value_micros, currency, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING 1`, [
          r.id,
          r.messageId,
          r.valueMicros,
          r.currency,
          r.at,
        ]),
      );
      return rows.length === 1;
    },
  };
}
