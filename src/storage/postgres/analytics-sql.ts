/**
 * The funnel in SQL: a line-by-line port of src/analytics/memory-funnel.ts over the states table
 * (docs/analytics.md is the specification both follow). Percentiles use `percentile_disc`, which
 * is the nearest-rank method of src/analytics/percentile.ts.
 */
import type { StoreFunnelQuery } from '../../analytics/types.js';
import type { Names } from './names.js';

/**
 * A state's anchor: the least non-zero progress or failure time (NULL when none). The exact text
 * matters: the `states_anchor` expression index is built on it, and the planner only uses the
 * index for a textually identical expression.
 */
export const ANCHOR =
  'LEAST(NULLIF(pending_at, 0), NULLIF(sent_at, 0), NULLIF(delivered_at, 0), NULLIF(read_at, 0), NULLIF(played_at, 0), NULLIF(failed_at, 0))';

const PRES_READ = 'LEAST(NULLIF(read_at, 0), NULLIF(played_at, 0))';
const PRES_DELIVERED = `LEAST(NULLIF(delivered_at, 0), ${PRES_READ})`;
const PRES_SENT = `LEAST(NULLIF(sent_at, 0), ${PRES_DELIVERED})`;
/** Milliseconds from presented sent to presented delivered / read, when both raw times were observed. */
export const TO_DELIVERED = `CASE WHEN sent_at <> 0 AND delivered_at <> 0 THEN ${PRES_DELIVERED} - ${PRES_SENT} END`;
export const TO_READ = `CASE WHEN sent_at <> 0 AND read_at <> 0 THEN ${PRES_READ} - ${PRES_SENT} END`;
const FAILURE = '(failed_at <> 0 OR errors IS NOT NULL)';

/** The presented-failed predicate under a policy. */
export function failedExpr(policy: StoreFunnelQuery['failedPolicy']): string {
  return policy === 'absorbing' ? FAILURE : `(${FAILURE} AND rank < 3)`;
}

/** A statement and its parameters. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** WHERE clause of the window and filters, with its parameters ($1, $2 are the bounds). */
export function windowClause(q: StoreFunnelQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [q.fromMs, q.toMs];
  const parts = [`${ANCHOR} >= $1::bigint`, `${ANCHOR} < $2::bigint`];
  if (q.accountId !== undefined) parts.push(`account_id IS NOT DISTINCT FROM $${params.push(q.accountId)}::text`);
  if (q.provider !== undefined) parts.push(`provider = $${params.push(q.provider)}::text`);
  if (q.campaign !== undefined) parts.push(`meta->>'campaign' = $${params.push(q.campaign)}::text`);
  return { where: parts.join(' AND '), params };
}

const bucketSize = (q: StoreFunnelQuery) => (q.groupBy === 'day' ? 86_400_000 : 3_600_000);

/** `(bucket, …)` grouping: one overall row (bucket NULL, grouped 1) plus one per bucket with groupBy. */
function grouping(q: StoreFunnelQuery): { bucket: string; groupBy: string } {
  if (q.groupBy === undefined) return { bucket: 'NULL::bigint', groupBy: '' };
  return { bucket: `(${ANCHOR} / ${bucketSize(q)}) * ${bucketSize(q)}`, groupBy: 'GROUP BY GROUPING SETS ((), (bucket))' };
}

/** The funnel's statements over the tables named by `n`. */
export function funnelStatements(n: Names, interactions: string, conversions: string, q: StoreFunnelQuery): Record<'stats' | 'failures' | 'classes' | 'pricing' | 'interactions' | 'delivered' | 'revenue', Statement> {
  const { where, params } = windowClause(q);
  const g = grouping(q);
  const isOverall = q.groupBy === undefined ? 'true' : 'GROUPING(bucket) = 1';
  const bucket = q.groupBy === undefined ? 'NULL::bigint' : 'bucket';
  const w = `SELECT key, message_id, rank, errors, pricing, ${g.bucket} AS bucket, ${failedExpr(q.failedPolicy)} AS is_failed,
      ${TO_DELIVERED} AS to_delivered, ${TO_READ} AS to_read FROM ${n.states} WHERE ${where}`;
  const pcts = "'{0.5,0.9,0.99}'::float8[]";
  return {
    stats: {
      text: `WITH w AS (${w})
SELECT ${isOverall}, ${bucket}, count(*), count(*) FILTER (WHERE rank >= 2), count(*) FILTER (WHERE rank >= 3),
  count(*) FILTER (WHERE rank >= 4), count(*) FILTER (WHERE rank >= 5), count(*) FILTER (WHERE is_failed),
  count(to_delivered), percentile_disc(${pcts}) WITHIN GROUP (ORDER BY to_delivered),
  count(to_read), percentile_disc(${pcts}) WITHIN GROUP (ORDER BY to_read)
FROM w ${g.groupBy}`,
      params,
    },
    failures: {
      text: `WITH w AS (${w}), e AS (SELECT w.bucket, x.key COLLATE "C" AS code, x.value->>'class' AS class FROM w, jsonb_each(w.errors) x WHERE w.is_failed)
SELECT ${isOverall}, ${bucket}, code, class, count(*) FROM e ${g.groupBy === '' ? 'GROUP BY code, class' : 'GROUP BY GROUPING SETS ((code, class), (bucket, code, class))'}`,
      params,
    },
    classes: {
      text: `WITH w AS (${w}), e AS (SELECT DISTINCT w.key, w.bucket, x.value->>'class' AS class FROM w, jsonb_each(w.errors) x WHERE w.is_failed)
SELECT ${isOverall}, ${bucket}, class, count(*) FROM e ${g.groupBy === '' ? 'GROUP BY class' : 'GROUP BY GROUPING SETS ((class), (bucket, class))'}`,
      params,
    },
    pricing: {
      text: `WITH w AS (${w}), p AS (SELECT bucket, pricing->>'category' COLLATE "C" AS category, pricing->'billable' = 'true'::jsonb AS billable FROM w WHERE pricing ? 'category')
SELECT ${isOverall}, ${bucket}, category, count(*), count(*) FILTER (WHERE billable) FROM p ${g.groupBy === '' ? 'GROUP BY category' : 'GROUP BY GROUPING SETS ((category), (bucket, category))'}`,
      params,
    },
    interactions: {
      text: `WITH m AS (SELECT DISTINCT message_id FROM ${n.states} WHERE ${where})
SELECT i.kind, i.reply_id, i.title, count(*), count(DISTINCT i.replied_to) FROM ${interactions} i JOIN m ON m.message_id = i.replied_to
GROUP BY i.kind, i.reply_id, i.title`,
      params,
    },
    delivered: { text: `SELECT count(DISTINCT message_id) FROM ${n.states} WHERE ${where} AND rank >= 3`, params },
    revenue: {
      text: `WITH m AS (SELECT message_id, max(meta->>'campaign' COLLATE "C") AS campaign FROM ${n.states} WHERE ${where} GROUP BY message_id)
SELECT m.campaign, c.currency, sum(c.value_micros), count(*) FROM ${conversions} c JOIN m ON m.message_id = c.message_id GROUP BY m.campaign, c.currency`,
      params,
    },
  };
}
