/**
 * Analytics schema of the PostgreSQL store, versioned apart from the store's own tables
 * (component `analytics` in the schema_version table): the interactions and conversions tables,
 * the indexes that keep the funnel and the views fast on millions of states, and the views
 * Grafana or Metabase chart directly (docs/analytics.md lists their columns).
 *
 * Version 2 (bluetick 0.2): the views' `account_id` is the presented account (the provider's,
 * else the host's from track()), and their latencies leave out states with an estimated progress
 * time, exactly as `funnel()` does. Version 3: `funnel_daily` counts `expired` (annotated by
 * reconciliation, below delivered, not failed) as `funnel()` does.
 */
import { ACCOUNT, ANCHOR, expiredExpr, failedExpr, reached, TO_DELIVERED, TO_READ } from './analytics-sql.js';
import type { SqlQuery } from './driver.js';
import type { Names } from './names.js';

/** The analytics schema version this code writes. */
export const ANALYTICS_VERSION = 3;

/** Indexes on the states table that the funnel and the views use (the benchmark drops them to compare). */
export function analyticsIndexes(n: Names): Array<{ name: string; ddl: string }> {
  return [
    { name: n.index('states_anchor'), ddl: `CREATE INDEX IF NOT EXISTS ${n.index('states_anchor')} ON ${n.states} ((${ANCHOR}))` },
    {
      name: n.index('states_campaign_anchor'),
      ddl: `CREATE INDEX IF NOT EXISTS ${n.index('states_campaign_anchor')} ON ${n.states} ((meta->>'campaign'), (${ANCHOR}))`,
    },
    { name: n.index('states_account_anchor'), ddl: `CREATE INDEX IF NOT EXISTS ${n.index('states_account_anchor')} ON ${n.states} ((${ACCOUNT}), (${ANCHOR}))` },
    // Retention walks the least recently updated states.
    { name: n.index('states_updated'), ddl: `CREATE INDEX IF NOT EXISTS ${n.index('states_updated')} ON ${n.states} (updated_at)` },
  ];
}

const day = (ms: string) => `to_timestamp((${ms} / 86400000) * 86400)`;

function tables(n: Names): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${n.interactions} (
       id text COLLATE "C" PRIMARY KEY, provider text NOT NULL, account_id text COLLATE "C", message_id text COLLATE "C" NOT NULL,
       replied_to text COLLATE "C", kind text COLLATE "C" NOT NULL, reply_id text COLLATE "C", title text COLLATE "C", from_id text,
       at bigint NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS ${n.index('interactions_replied_to')} ON ${n.interactions} (replied_to)`,
    `CREATE INDEX IF NOT EXISTS ${n.index('interactions_recorded')} ON ${n.interactions} (recorded_at)`,
    `CREATE TABLE IF NOT EXISTS ${n.conversions} (
       id text COLLATE "C" PRIMARY KEY, message_id text COLLATE "C" NOT NULL, value_micros bigint NOT NULL,
       currency text COLLATE "C" NOT NULL, at bigint NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
    `CREATE INDEX IF NOT EXISTS ${n.index('conversions_message')} ON ${n.conversions} (message_id)`,
    `CREATE INDEX IF NOT EXISTS ${n.index('conversions_recorded')} ON ${n.conversions} (recorded_at)`,
  ];
}

function views(n: Names): string[] {
  const v = n.views;
  const failed = failedExpr('delivery-wins');
  // One outbound message's campaign, found through the states_message index.
  const campaignOf = (id: string) => `(SELECT s.meta->>'campaign' FROM ${n.states} s WHERE s.message_id = ${id} ORDER BY s.meta->>'campaign' COLLATE "C" DESC NULLS LAST LIMIT 1)`;
  return [
    // Their columns changed meaning in version 2: dropped and created, not replaced.
    ...Object.values(v).map((name) => `DROP VIEW IF EXISTS ${name}`),
    // Views use the default delivery-wins policy; the funnel() API also offers `absorbing`.
    `CREATE VIEW ${v.funnelDaily} AS
     SELECT ${day(ANCHOR)} AS day, provider, ${ACCOUNT} AS account_id, meta->>'campaign' AS campaign,
       count(*) AS total, count(*) FILTER (WHERE ${reached('sent')}) AS sent, count(*) FILTER (WHERE ${reached('delivered')}) AS delivered,
       count(*) FILTER (WHERE ${reached('read')}) AS read, count(*) FILTER (WHERE ${reached('played')}) AS played, count(*) FILTER (WHERE ${failed}) AS failed,
       count(*) FILTER (WHERE ${expiredExpr('delivery-wins')}) AS expired,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ${TO_DELIVERED}) AS sent_to_delivered_p50_ms,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY ${TO_DELIVERED}) AS sent_to_delivered_p90_ms,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY ${TO_READ}) AS sent_to_read_p50_ms,
       percentile_disc(0.9) WITHIN GROUP (ORDER BY ${TO_READ}) AS sent_to_read_p90_ms
     FROM ${n.states} WHERE ${ANCHOR} IS NOT NULL GROUP BY 1, 2, 3, 4`,
    `CREATE VIEW ${v.failuresDaily} AS
     SELECT ${day(ANCHOR)} AS day, provider, ${ACCOUNT} AS account_id, meta->>'campaign' AS campaign, e.key AS code, e.value->>'class' AS class, count(*) AS failed
     FROM ${n.states}, jsonb_each(errors) e WHERE ${failed} AND ${ANCHOR} IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6`,
    `CREATE VIEW ${v.interactionsDaily} AS
     SELECT ${day('i.at')} AS day, i.provider, i.account_id, ${campaignOf('i.replied_to')} AS campaign, i.kind, i.reply_id, i.title,
       count(*) AS replies, count(DISTINCT i.replied_to) AS messages
     FROM ${n.interactions} i GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    `CREATE VIEW ${v.revenueDaily} AS
     SELECT ${day('c.at')} AS day, ${campaignOf('c.message_id')} AS campaign, c.currency, sum(c.value_micros) / 1000000.0 AS value, count(*) AS conversions
     FROM ${n.conversions} c GROUP BY 1, 2, 3`,
  ];
}

/**
 * Brings the analytics component from `from` to {@link ANALYTICS_VERSION}, inside the store's
 * migration transaction (after the store's own tables).
 */
export async function migrateAnalytics(q: SqlQuery, n: Names, from: number): Promise<void> {
  if (from >= ANALYTICS_VERSION) return;
  for (const statement of tables(n)) await q(statement);
  // The 0.1 account index is replaced by states_account_anchor (see migrate-v01.ts).
  for (const index of analyticsIndexes(n)) await q(index.ddl);
  for (const statement of views(n)) await q(statement);
}
