/**
 * The funnel in SQL: a line-by-line port of src/analytics/memory-funnel.ts and
 * src/analytics/state-metrics.ts over the states table (docs/analytics.md is the specification
 * both follow). Percentiles use `percentile_disc`, which is the nearest-rank method of
 * src/analytics/percentile.ts. Ranks, time columns and estimate bits come from src/state/ and
 * the JS reference.
 */
import { EXPIRED_ANNOTATION, PROGRESS_ESTIMATE_BITS } from '../../analytics/state-metrics.js';
import type { StoreFunnelQuery } from '../../analytics/types.js';
import { DELIVERED_RANK, RANK, TIME_FIELDS } from '../../state/state.js';
import { timeColumn } from './columns.js';
import type { Names } from './names.js';

const col = (f: (typeof TIME_FIELDS)[number]) => timeColumn(f);
const [PENDING, SENT, DELIVERED, READ, PLAYED, FAILED] = TIME_FIELDS.map(col) as [string, string, string, string, string, string];

/**
 * A state's anchor (`anchorOf`): the least non-zero progress or failure time (NULL when none).
 * The exact text matters: the `states_anchor` expression indexes are built on it, and the planner
 * only uses an index for a textually identical expression.
 */
export const ANCHOR = `LEAST(${[PENDING, SENT, DELIVERED, READ, PLAYED, FAILED].map((c) => `NULLIF(${c}, 0)`).join(', ')})`;

/** The account a state presents (`accountOf`): the provider's, else the host's from track(). */
export const ACCOUNT = "COALESCE(account_id, meta->>'accountId')";

const PRES_READ = `LEAST(NULLIF(${READ}, 0), NULLIF(${PLAYED}, 0))`;
const PRES_DELIVERED = `LEAST(NULLIF(${DELIVERED}, 0), ${PRES_READ})`;
const PRES_SENT = `LEAST(NULLIF(${SENT}, 0), ${PRES_DELIVERED})`;
/** No progress time of the state is an estimate (latencies are provider times only). */
const OBSERVED = `(estimated & ${PROGRESS_ESTIMATE_BITS}) = 0`;
/** Milliseconds from presented sent to presented delivered / read, when both raw times were observed. */
export const TO_DELIVERED = `CASE WHEN ${SENT} <> 0 AND ${DELIVERED} <> 0 AND ${OBSERVED} THEN ${PRES_DELIVERED} - ${PRES_SENT} END`;
export const TO_READ = `CASE WHEN ${SENT} <> 0 AND ${READ} <> 0 AND ${OBSERVED} THEN ${PRES_READ} - ${PRES_SENT} END`;
const FAILURE = `(${FAILED} <> 0 OR errors IS NOT NULL)`;

/** The presented-failed predicate under a policy. */
export function failedExpr(policy: StoreFunnelQuery['failedPolicy']): string {
  return policy === 'absorbing' ? FAILURE : `(${FAILURE} AND rank < ${DELIVERED_RANK})`;
}

/** Counted as expired (`isExpired`): annotated by reconciliation, below delivered, not failed. */
export function expiredExpr(policy: StoreFunnelQuery['failedPolicy']): string {
  return `(rank < ${DELIVERED_RANK} AND annotations @> ARRAY['${EXPIRED_ANNOTATION}']::text[] AND NOT ${failedExpr(policy)})`;
}

/** `rank >= <status>`: reached at least that status. */
export const reached = (status: 'sent' | 'delivered' | 'read' | 'played'): string => `rank >= ${RANK[status]}`;

/** A statement and its parameters. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** WHERE clause of the window and filters, with its parameters ($1, $2 are the bounds). */
export function windowClause(q: StoreFunnelQuery): { where: string; params: unknown[] } {
  const params: unknown[] = [q.fromMs, q.toMs];
  const parts = [`${ANCHOR} >= $1::bigint`, `${ANCHOR} < $2::bigint`];
  // `=` and `IS NULL`, not IS NOT DISTINCT FROM: only those can use the states_account_anchor index.
  if (q.accountId === null) parts.push(`${ACCOUNT} IS NULL`);
  else if (q.accountId !== undefined) parts.push(`${ACCOUNT} = $${params.push(q.accountId)}::text`);
  if (q.provider !== undefined) parts.push(`provider = $${params.push(q.provider)}::text`);
  if (q.campaign !== undefined) parts.push(`meta->>'campaign' = $${params.push(q.campaign)}::text`);
  if (q.tracked !== undefined) parts.push(`tracked = $${params.push(q.tracked)}::boolean`);
  return { where: parts.join(' AND '), params };
}

const bucketSize = (q: StoreFunnelQuery) => (q.groupBy === 'day' ? 86_400_000 : 3_600_000);

/** `(bucket, …)` grouping: one overall row (bucket NULL, grouped 1) plus one per bucket with groupBy. */
function grouping(q: StoreFunnelQuery): { bucket: string; groupBy: string } {
  if (q.groupBy === undefined) return { bucket: 'NULL::bigint', groupBy: '' };
  return { bucket: `(${ANCHOR} / ${bucketSize(q)}) * ${bucketSize(q)}`, groupBy: 'GROUP BY GROUPING SETS ((), (bucket))' };
}

/** The funnel's statements over the tables named by `n`. */
export function funnelStatements(n: Names, q: StoreFunnelQuery): Record<'stats' | 'failures' | 'classes' | 'pricing' | 'interactions' | 'delivered' | 'revenue', Statement> {
  const { where, params } = windowClause(q);
  const g = grouping(q);
  const isOverall = q.groupBy === undefined ? 'true' : 'GROUPING(bucket) = 1';
  const bucket = q.groupBy === undefined ? 'NULL::bigint' : 'bucket';
  const w = `SELECT key, message_id, rank, errors, pricing, ${g.bucket} AS bucket, ${failedExpr(q.failedPolicy)} AS is_failed,
      ${expiredExpr(q.failedPolicy)} AS is_expired, ${TO_DELIVERED} AS to_delivered, ${TO_READ} AS to_read FROM ${n.states} WHERE ${where}`;
  const pcts = "'{0.5,0.9,0.99}'::float8[]";
  return {
    stats: {
      text: `WITH w AS (${w})
SELECT ${isOverall}, ${bucket}, count(*), count(*) FILTER (WHERE ${reached('sent')}), count(*) FILTER (WHERE ${reached('delivered')}),
  count(*) FILTER (WHERE ${reached('read')}), count(*) FILTER (WHERE ${reached('played')}), count(*) FILTER (WHERE is_failed),
  count(to_delivered), percentile_disc(${pcts}) WITHIN GROUP (ORDER BY to_delivered),
  count(to_read), percentile_disc(${pcts}) WITHIN GROUP (ORDER BY to_read), count(*) FILTER (WHERE is_expired)
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
SELECT i.kind, i.reply_id, i.title, count(*), count(DISTINCT i.replied_to) FROM ${n.interactions} i JOIN m ON m.message_id = i.replied_to
GROUP BY i.kind, i.reply_id, i.title`,
      params,
    },
    delivered: { text: `SELECT count(DISTINCT message_id) FROM ${n.states} WHERE ${where} AND ${reached('delivered')}`, params },
    revenue: {
      text: `WITH m AS (SELECT message_id, max(meta->>'campaign' COLLATE "C") AS campaign FROM ${n.states} WHERE ${where} GROUP BY message_id)
SELECT m.campaign, c.currency, sum(c.value_micros), count(*) FROM ${n.conversions} c JOIN m ON m.message_id = c.message_id GROUP BY m.campaign, c.currency`,
      params,
    },
  };
}
