/**
 * Analytics on the PostgreSQL store: every `postgresStore()` carries the optional analytics
 * methods (`funnel`, `recordInteractions`, `recordConversion`) and maintenance (`retention`,
 * `migrateAnalytics`), run over the store's own driver, so they work unchanged on `pg` and PGlite.
 *
 * @packageDocumentation
 */
import { buildReport, emptyRawStats, type RawInteraction, type RawStats } from '../../analytics/assemble.js';
import type { ConversionRecord, FunnelReport, InteractionRecord, InteractionStat, RevenueStat, StoreFunnelQuery } from '../../analytics/types.js';
import type { ErrorClass } from '../../event/types.js';
import { funnelStatements } from './analytics-sql.js';
import type { SqlDriver } from './driver.js';
import { toStorageError } from './errors.js';
import { createNames } from './names.js';
import { runRetention, type RetentionOptions, type RetentionResult } from './retention.js';
import type { PostgresStore, PostgresStoreOptions } from './store.js';
import { analyticsNames, migrateAnalytics, type AnalyticsNames } from './views.js';

/** A {@link PostgresStore} with analytics. */
export interface PostgresAnalyticsStore extends PostgresStore {
  funnel(query: StoreFunnelQuery): Promise<FunnelReport>;
  recordInteractions(records: readonly InteractionRecord[]): Promise<void>;
  recordConversion(record: ConversionRecord): Promise<boolean>;
  /** Deletes (or archives) states not updated since the cutoff, and older records, in bounded batches. */
  retention(options: RetentionOptions): Promise<RetentionResult>;
  /** Creates or upgrades the analytics tables, indexes and views (run on first use unless `migrate: false`). */
  migrateAnalytics(): Promise<{ from: number; to: number }>;
  /** Qualified names of the analytics tables and views, for your own queries and dashboards. */
  readonly analyticsTables: AnalyticsNames;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function latency(count: unknown, pcts: unknown): RawStats['sentToDelivered'] {
  // percentile_disc over bigint returns bigint[]: pg hands it back as an array of strings.
  const arr = Array.isArray(pcts) ? pcts : typeof pcts === 'string' ? pcts.replace(/[{}]/g, '').split(',').filter(Boolean) : [];
  const at = (i: number) => (arr[i] === undefined || arr[i] === null || arr[i] === 'NULL' ? null : Number(arr[i]));
  return { count: num(count), p50: at(0), p90: at(1), p99: at(2) };
}

/**
 * Adds the analytics methods to a store, over the store's own driver (`postgresStore()` calls it;
 * internal).
 */
export function withAnalytics(store: PostgresStore, getDriver: () => Promise<SqlDriver>, options: PostgresStoreOptions = {}): PostgresAnalyticsStore {
  const names = createNames(options.schema, options.tablePrefix);
  const a = analyticsNames(names);
  let migrated: Promise<unknown> | undefined;

  async function ready(): Promise<SqlDriver> {
    const d = await getDriver();
    if (options.migrate !== false) {
      migrated ??= store
        .ping() // the store's own migration first: the indexes and views are on its table
        .then(() => migrateAnalytics(d, names))
        .catch((err: unknown) => {
          migrated = undefined;
          throw err;
        });
      await migrated;
    }
    return d;
  }

  async function run<T>(what: string, fn: (d: SqlDriver) => Promise<T>): Promise<T> {
    try {
      return await fn(await ready());
    } catch (err) {
      throw toStorageError(err, what);
    }
  }

  async function funnel(q: StoreFunnelQuery): Promise<FunnelReport> {
    const s = funnelStatements(names, a.interactions, a.conversions, q);
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

  return Object.assign({}, store, {
    funnel,
    async recordInteractions(records: readonly InteractionRecord[]) {
      if (records.length === 0) return;
      const cols = (f: (r: InteractionRecord) => unknown) => records.map(f);
      await run('recordInteractions', (d) =>
        d.query(
          `INSERT INTO ${a.interactions} (id, provider, account_id, message_id, replied_to, kind, reply_id, title, from_id, at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[])
           ON CONFLICT (id) DO NOTHING`,
          [cols((r) => r.id), cols((r) => r.provider), cols((r) => r.accountId), cols((r) => r.messageId), cols((r) => r.repliedTo), cols((r) => r.kind), cols((r) => r.replyId), cols((r) => r.title), cols((r) => r.from), cols((r) => r.at)],
        ),
      );
    },
    async recordConversion(r: ConversionRecord) {
      const rows = await run('recordConversion', (d) =>
        d.query(`INSERT INTO ${a.conversions} (id, message_id, value_micros, currency, at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING 1`, [r.id, r.messageId, r.valueMicros, r.currency, r.at]),
      );
      return rows.length === 1;
    },
    retention: (opts: RetentionOptions) => run('retention', (d) => runRetention(d.query, names, a, opts)),
    migrateAnalytics: () => run('migrateAnalytics', async (d) => { await store.ping(); return migrateAnalytics(d, names); }),
    analyticsTables: a,
  }) as PostgresAnalyticsStore;
}
