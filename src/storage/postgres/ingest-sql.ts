/**
 * The ingest step as ONE statement (one round trip, atomic without BEGIN/COMMIT, so also safe
 * behind PgBouncer in transaction mode): data-modifying CTEs claim the event ids, merge the
 * observations, keep the interaction records and append the outbox records.
 *
 * - `c` claims: `INSERT … ON CONFLICT DO UPDATE … WHERE expired`; only the ids won come back.
 * - `m` merges: `INSERT … ON CONFLICT (key) DO UPDATE SET <the lattice join>`. The state BEFORE
 *   the join comes back through `prev`: PostgreSQL < 18 has no `RETURNING old.*`, and a CTE or
 *   sub-select reading the row sees the statement's snapshot, which under concurrency may be older
 *   than the row version the upsert actually locks and replaces (READ COMMITTED re-reads the latest
 *   version on conflict). In an UPDATE every `t.col` on the right-hand side is that locked version,
 *   so `prev = jsonb_build_array(t.…)` is exactly the before of THIS update; an insert leaves it
 *   NULL, which tells "no state before" apart atomically (exactly one creator per key).
 * - `o` outbox: one row per claimed event and consumer (joined with `c`), in event then consumer
 *   order (so the bigserial ids ascend in that order). A status event's row for a consumer that
 *   keeps merges (the listeners') also stores what its before/after are made of: `base` (the
 *   key's state before this step, `m.prev`), `prior` (the join of the step's earlier observations
 *   of that key) and `obs` (its own): before = base ⊔ prior, after = before ⊔ obs (see outbox.ts).
 *   The per-item unfold happens in JavaScript, so the statement needs no second round trip for it.
 * - `i` interactions: `INSERT … ON CONFLICT (id) DO NOTHING`.
 *
 * Lock order, the same in every step, so concurrent steps cannot deadlock: claim ids (sorted),
 * then state keys (sorted), then interaction ids (sorted). Rows are inserted in array order, and
 * each CTE waits for the previous one through an InitPlan (`(SELECT count(*) FROM c) >= 0`), which
 * PostgreSQL evaluates once, before the first row, rather than relying on the order in which the
 * main query happens to read the CTEs. Outbox rows are new rows: they lock nothing others wait for.
 */
import { COLUMNS, recordsetDefinition } from './columns.js';
import { joinAssignments, stateArray } from './join.js';
import type { Names } from './names.js';

/** Which parts a step has (a statement text per combination, built once). */
export interface StepShape {
  claims: boolean;
  merges: boolean;
  interactions: boolean;
  outbox: boolean;
}

/** Result row kinds of the ingest statement (first column). */
export const ROW = { claimed: 1, merged: 2, record: 3 } as const;

const INTERACTION_COLUMNS: ReadonlyArray<[column: string, field: string, type: string]> = [
  ['id', 'id', 'text'],
  ['provider', 'provider', 'text'],
  ['account_id', 'accountId', 'text'],
  ['message_id', 'messageId', 'text'],
  ['replied_to', 'repliedTo', 'text'],
  ['kind', 'kind', 'text'],
  ['reply_id', 'replyId', 'text'],
  ['title', 'title', 'text'],
  ['from_id', 'from', 'text'],
  ['at', 'at', 'bigint'],
];

/** The INSERT of interaction records from `$n` (a JSON array of InteractionRecord). */
export function interactionInsert(n: Names, param: string, after = ''): string {
  return `INSERT INTO ${n.interactions} (${INTERACTION_COLUMNS.map((c) => c[0]).join(', ')})
  SELECT ${INTERACTION_COLUMNS.map((c) => `r."${c[1]}"`).join(', ')}
  FROM jsonb_to_recordset(${param}::jsonb) AS r(${INTERACTION_COLUMNS.map((c) => `"${c[1]}" ${c[2]}`).join(', ')})${after}
  ON CONFLICT (id) DO NOTHING`;
}

/**
 * Builds the statement for a shape. Parameters, in order, present only with their part:
 * claims `(ttlMs float8, ids text[])`; merges `(keys text[], states jsonb)`; interactions
 * `(records jsonb)`; outbox `(events jsonb, consumers text[], keepsMerge bool[], leaseMs float8,
 * appendedAt bigint)`. Rows: `(kind, text, jsonb, jsonb)`, see {@link ROW}.
 */
export function ingestStatement(n: Names, shape: StepShape): string {
  let p = 0;
  const param = () => `$${++p}`;
  const ctes: string[] = [];
  const selects: string[] = [];
  let previous: string | null = null;
  const afterPrevious = (where: 'WHERE' | 'AND') => (previous === null ? '' : `\n  ${where} (SELECT count(*) FROM ${previous}) >= 0`);

  if (shape.claims) {
    const ttl = param();
    const ids = param();
    ctes.push(`c AS (
  INSERT INTO ${n.claims} AS c (id, expires_at)
  SELECT id, now() + ${ttl}::float8 * interval '1 millisecond' FROM unnest(${ids}::text[]) AS u(id)
  ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE c.expires_at <= now()
  RETURNING c.id)`);
    selects.push(`SELECT ${ROW.claimed}, id, NULL::jsonb, NULL::jsonb FROM c`);
    previous = 'c';
  }
  if (shape.merges) {
    const keys = param();
    const states = param();
    const names = COLUMNS.map((c) => c.name);
    ctes.push(`m AS (
  INSERT INTO ${n.states} AS t (key, ${names.join(', ')})
  SELECT s.key, ${COLUMNS.map((c) => `s."${c.field}"`).join(', ')}
  FROM ROWS FROM (unnest(${keys}::text[]), jsonb_to_recordset(${states}::jsonb) AS (${recordsetDefinition()})) AS s(key, ${COLUMNS.map((c) => `"${c.field}"`).join(', ')})${afterPrevious('WHERE')}
  ON CONFLICT (key) DO UPDATE SET
    ${[...joinAssignments(n), `prev = ${stateArray('t')}`, 'updated_at = now()'].join(',\n    ')}
  RETURNING t.key, t.prev, ${stateArray('t')} AS after)`);
    selects.push(`SELECT ${ROW.merged}, key, prev, after FROM m`);
    previous = 'm';
  }
  if (shape.interactions) {
    ctes.push(`i AS (
  ${interactionInsert(n, param(), afterPrevious('WHERE'))})`);
  }
  // Records are for claimed events only: no claims, no records.
  if (shape.outbox && shape.claims) {
    const events = param();
    const consumers = param();
    const keeps = param();
    const lease = param();
    const appended = param();
    const withMerge = shape.merges ? `LEFT JOIN m ON m.key = e.v->>'k'` : '';
    const base = shape.merges ? 'm.prev' : 'NULL::jsonb';
    ctes.push(`o AS (
  INSERT INTO ${n.outbox} (consumer, event, base, prior, obs, leases, lease_until, appended_at)
  SELECT k.consumer, e.v->'e', CASE WHEN k.keep AND e.v ? 'o' THEN ${base} END, CASE WHEN k.keep THEN e.v->'p' END, CASE WHEN k.keep THEN e.v->'o' END,
    1, now() + ${lease}::float8 * interval '1 millisecond', ${appended}::bigint
  FROM jsonb_array_elements(${events}::jsonb) WITH ORDINALITY AS e(v, n)
  JOIN c ON c.id = e.v->>'i'
  CROSS JOIN unnest(${consumers}::text[], ${keeps}::boolean[]) WITH ORDINALITY AS k(consumer, keep, kn)
  ${withMerge}
  ORDER BY e.n, k.kn
  RETURNING id)`);
    selects.push(`SELECT ${ROW.record}, id::text, NULL::jsonb, NULL::jsonb FROM o`);
  }
  if (selects.length === 0) return 'SELECT 1 WHERE false';
  return `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL ')}`;
}
