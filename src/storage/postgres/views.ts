/**
 * Analytics schema of the PostgreSQL store, versioned apart from the store's own tables
 * (component `analytics` in the schema_version table): the interactions and conversions tables,
 * the indexes that keep the funnel and the views fast on millions of states, and the views
 * Grafana or Metabase chart directly (docs/analytics.md lists their columns).
 */
import { ANCHOR, TO_DELIVERED, TO_READ } from './analytics-sql.js';
import type { SqlDriver } from './driver.js';
import type { Names } from './names.js';

/** Names of the analytics tables, views and indexes. */
export interface AnalyticsNames {
  interactions: string;
  conversions: string;
  archive: string;
  views: { funnelDaily: string; failuresDaily: string; interactionsDaily: string; revenueDaily: string };
  /** Indexes on the states table that the funnel and the views use (dropped by the benchmark to compare). */
  stateIndexes: string[];
}

/** The analytics names for a store's names. */
export function analyticsNames(n: Names): AnalyticsNames {
  const table = (s: string) => `${n.schema}."${n.prefix}${s}"`;
  return {
    interactions: table('interactions'),
    conversions: table('conversions'),
    archive: table('states_archive'),
    views: { funnelDaily: table('funnel_daily'), failuresDaily: table('failures_daily'), interactionsDaily: table('interactions_daily'), revenueDaily: table('revenue_daily') },
    stateIndexes: [n.index('states_anchor'), n.index('states_campaign_anchor'), n.index('states_updated')],
  };
}

/** The index DDL on the states table (also used by the benchmark to rebuild them). */
export function stateIndexStatements(n: Names): string[] {
  return [
    `CREATE INDEX IF NOT EXISTS ${n.index('states_anchor')} ON ${n.states} ((${ANCHOR}))`,
    `CREATE INDEX IF NOT EXISTS ${n.index('states_campaign_anchor')} ON ${n.states} ((meta->>'campaign'), (${ANCHOR}))`,
    // Retention walks the least recently updated states.
    `CREATE INDEX IF NOT EXISTS ${n.index('states_updated')} ON ${n.states} (updated_at)`,
  ];
}

const day = (ms: string) => `to_timestamp((${ms} / 86400000) * 86400)`;

function version1(n: Names, a: AnalyticsNames): string[] {
  const failed = `(failed_at <> 0 OR errors IS NOT NULL) AND rank < 3`;
  // One outbound message's campaign, found through the states_message index.
  const campaignOf = (id: string) => `(SELECT s.meta->>'campaign' FROM ${n.states} s WHERE s.message_id = ${id} ORDER BY s.meta->>'campaign' COLLATE "C" DESC NULLS LAST LIMIT 1)`;
  return [
    `CREATE TABLE IF NOT EXISTS ${a.interactions} (
       id text COLLATE "C" PRIMARY KEY, provider text NOT NULL, account_id text COLLATE "C", message_id text COLLATE "C" NOT NULL,
       replied_to text COLLATE "C", kind text COLLATE "C" NOT NULL, reply_id text COLLATE "C", title text COLLATE "C", from_id text,
       at bigint NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS ${n.index('interactions_replied_to')} ON ${a.interactions} (replied_to)`,
    `CREATE INDEX IF NOT EXISTS ${n.index('interactions_recorded')} ON ${a.interactions} (recorded_at)`,
    `CREATE TABLE IF NOT EXISTS ${a.conversions} (
       id text COLLATE "C" PRIMARY KEY, message_id text COLLATE "C" NOT NULL, value_micros bigint NOT NULL,
       currency text COLLATE "C" NOT NULL, at bigint NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS ${n.index('conversions_message')} ON ${a.conversions} (message_id)`,
    `CREATE INDEX IF NOT EXISTS ${n.index('conversions_recorded')} ON ${a.conversions} (recorded_at)`,
    ...stateIndexStatements(n),
    // Views use the default delivery-wins policy; the funnel() API also offers `absorbing`.
    `CREATE OR REPLACE VIEW ${a.views.funnelDaily} AS
     SELECT ${day(ANCHOR)} AS day, provider, account_id, meta->>'campaign' AS campaign,
       count(*) AS total, count(*) FILTER (WHERE rank >= 2) AS sent, count(*) FILTER (WHERE rank >= 3) AS delivered,
       count(*) FILTER (WHERE rank >= 4) AS read, count(*) FILTER (WHERE rank >= 5) AS played, count(*) FILTER (WHERE ${failed}) AS failed,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ${TO_DELIVERED}) AS sent_to_delivered_p50_ms,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY ${TO_DELIVERED}) AS sent_to_delivered_p90_ms,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ${TO_READ}) AS sent_to_read_p50_ms,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY ${TO_READ}) AS sent_to_read_p90_ms
     FROM ${n.states} WHERE ${ANCHOR} IS NOT NULL GROUP BY 1, 2, 3, 4`,
    `CREATE OR REPLACE VIEW ${a.views.failuresDaily} AS
     SELECT ${day(ANCHOR)} AS day, provider, account_id, meta->>'campaign' AS campaign, e.key AS code, e.value->>'class' AS class, count(*) AS failed
     FROM ${n.states}, jsonb_each(errors) e WHERE ${failed} AND ${ANCHOR} IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`,
    `CREATE OR REPLACE VIEW ${a.views.interactionsDaily} AS
     SELECT ${day('i.at')} AS day, i.provider, i.account_id, ${campaignOf('i.replied_to')} AS campaign, i.kind, i.reply_id, i.title,
       count(*) AS replies, count(DISTINCT i.replied_to) AS messages
     FROM ${a.interactions} i GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    `CREATE OR REPLACE VIEW ${a.views.revenueDaily} AS
     SELECT ${day('c.at')} AS day, ${campaignOf('c.message_id')} AS campaign, c.currency, sum(c.value_micros) / 1000000.0 AS value, count(*) AS conversions
     FROM ${a.conversions} c GROUP BY 1, 2, 3`,
  ];
}

/** The analytics schema version this code writes. */
export const ANALYTICS_VERSION = 1;

/**
 * Creates or upgrades the analytics tables, indexes and views (after the store's own migration).
 * Idempotent and safe across processes (transaction-level advisory lock, like the store's).
 *
 * @example
 * ```ts
 * await migrateAnalytics(driver, names); // { from: 0, to: 1 }, then { from: 1, to: 1 }
 * ```
 */
export async function migrateAnalytics(driver: SqlDriver, n: Names): Promise<{ from: number; to: number }> {
  const a = analyticsNames(n);
  return driver.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock(hashtext($1))', [`bluetick:migrate:${n.schemaName}.${n.prefix}`]);
    const rows = await q(`SELECT version FROM ${n.version} WHERE component = 'analytics'`);
    const from = rows.length > 0 ? Number((rows[0] as unknown[])[0]) : 0;
    if (from >= ANALYTICS_VERSION) return { from, to: from };
    for (const statement of version1(n, a)) await q(statement);
    await q(
      `INSERT INTO ${n.version} (component, version) VALUES ('analytics', $1)
       ON CONFLICT (component) DO UPDATE SET version = excluded.version, migrated_at = now()`,
      [ANALYTICS_VERSION],
    );
    return { from, to: ANALYTICS_VERSION };
  });
}
