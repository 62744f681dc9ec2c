/**
 * The ingest step as ONE statement (one round trip, atomic without BEGIN/COMMIT, so also safe
 * behind PgBouncer in transaction mode): data-modifying CTEs claim the event ids, merge the
 * observations, keep the interaction records and append the outbox records.
 *
 * - `c` claims: `INSERT … ON CONFLICT DO UPDATE … WHERE expired`; the ids not won come back.
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
 * - `p` packed outbox records: for a consumer packed in this step (the listeners', see
 *   ingest.ts), ONE row holding the step's parameters as sent (events, their keys, the joined
 *   states, the changes) with the positions of the claimed events (`pending`) and the keys'
 *   before states (`bases`, from `m.prev`); record ids are the row's id + the event's position.
 *   One tuple per step instead of one per event (bench/receiver.ts, see docs/postgres.md).
 * - `i` interactions: `INSERT … ON CONFLICT (id) DO NOTHING`.
 *
 * Lock order, the same in every step, so concurrent steps cannot deadlock: claim ids (sorted),
 * then state keys (sorted), then interaction ids (sorted). Rows are inserted in array order, and
 * each CTE waits for the previous one through an InitPlan (`(SELECT count(*) FROM c) >= 0`), which
 * PostgreSQL evaluates once, before the first row, rather than relying on the order in which the
 * main query happens to read the CTEs. Outbox rows are new rows: they lock nothing others wait for.
 */
import { COLUMNS, rowColumns } from './columns.js';
import { joinAssignments, stateArray } from './join.js';
import type { Names } from './names.js';

/**
 * Result row kinds of the ingest function (first column): the ids NOT claimed (duplicates are
 * rare, so usually none), the keys that had a state before with that state, how many keys were
 * merged, the records' ids and the packed rows. Only the exceptions come back: on fresh traffic a
 * step's result is a handful of rows whatever its size (the steps of bench/receiver.ts's
 * 50-status batches run alone, 400 events a step: server CPU ≈40 → ≈37 µs an event on a shared
 * machine; and Node parses no row per event).
 */
export const ROW = { lost: 1, merged: 2, record: 3, packed: 4, keys: 5 } as const;

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
export function interactionInsert(n: Names, param: string, after = '', json: 'json' | 'jsonb' = 'jsonb'): string {
  return `INSERT INTO ${n.interactions} (${INTERACTION_COLUMNS.map((c) => c[0]).join(', ')})
  SELECT ${INTERACTION_COLUMNS.map((c) => `r."${c[1]}"`).join(', ')}
  FROM ${json}_to_recordset(${param}::${json}) AS r(${INTERACTION_COLUMNS.map((c) => `"${c[1]}" ${c[2]}`).join(', ')})${after}
  ON CONFLICT (id) DO NOTHING`;
}

/**
 * The version of the ingest function's interface (parameters and result), part of its name. Bump
 * it whenever either changes: a new name leaves the old function in place for processes of the
 * previous release still running during a rolling deploy, while `CREATE OR REPLACE` updates the
 * body of the current one.
 */
export const INGEST_INTERFACE = 2;

/** The ingest function's qualified name. */
export const ingestName = (n: Names): string => n.fn(`ingest_v${INGEST_INTERFACE}`);

/** The ingest function's parameters, in order (see {@link ingestFunction}). */
export const INGEST_PARAMS = [
  ['ttl_ms', 'float8'],
  ['ids', 'text[]'],
  ['keys', 'text[]'],
  ['states', 'JSON'],
  ['interactions', 'JSON'],
  ['event_ids', 'text[]'],
  ['event_keys', 'text[]'],
  ['events', 'JSON'],
  ['changes', 'JSON'],
  ['consumers', 'text[]'],
  ['keeps', 'boolean[]'],
  ['packs', 'boolean[]'],
  ['lease_ms', 'float8'],
  ['appended_at', 'bigint'],
] as const;

/**
 * The ingest step as a plpgsql function around ONE statement: PL/pgSQL prepares its statements
 * once per connection, so a step pays no parse, analysis or planning of this long statement
 * (measured: a single-event step went from ~4.4 to ~1.0 ms of server round trip), and a call is
 * still one statement (PgBouncer-safe). Absent parts are empty arrays. Parameters: see
 * {@link INGEST_PARAMS}; `states` is a JSON array of the merge groups' joined observations
 * (aligned with `keys`), each a column array (`stateRow`, columns.ts), `events` the claimed-to-be events (first occurrences, aligned with
 * `event_ids` and `event_keys`), `changes` for each event null or `{p?, o}` (sent only when a
 * consumer keeps merges; when that consumer is packed, a merge group's only item is just the
 * group's index into `states`, see ingest.ts), `packs` which consumers get one packed row.
 * Rows: `(kind, text, prev)`, see {@link ROW} (a packed row: its id and `to_jsonb(consumer)`). The pinned search_path
 * keeps a caller's from redirecting the built-ins it calls, and keeps its cached plan valid for
 * every caller (a plan is re-made when the search_path it was made under changes).
 */
export function ingestFunction(n: Names): string {
  // json, not jsonb: the arrays are read once, and the events are stored as the text they are
  // (measured: -15% on a 500-observation step against jsonb parameters and columns).
  const json = 'json';
  const $ = (name: (typeof INGEST_PARAMS)[number][0]) => `$${INGEST_PARAMS.findIndex((p) => p[0] === name) + 1}`;
  const names = COLUMNS.map((c) => c.name);
  const statement = `WITH c AS (
  INSERT INTO ${n.claims} AS c (id, expires_at)
  SELECT id, now() + ${$('ttl_ms')} * interval '1 millisecond' FROM unnest(${$('ids')}) AS u(id)
  ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE c.expires_at <= now()
  RETURNING c.id),
m AS (
  INSERT INTO ${n.states} AS t (key, ${names.join(', ')})
  SELECT s.key, ${rowColumns('s.x', n.fn('jsonb_texts')).join(', ')}
  FROM ROWS FROM (unnest(${$('keys')}), jsonb_array_elements(${$('states')}::jsonb)) AS s(key, x)
  WHERE (SELECT count(*) FROM c) >= 0
  ON CONFLICT (key) DO UPDATE SET
    ${[...joinAssignments(n), `prev = ${stateArray('t')}`, 'updated_at = now()'].join(',\n    ')}
  RETURNING t.key, t.prev),
i AS (
  ${interactionInsert(n, $('interactions'), '\n  WHERE (SELECT count(*) FROM m) >= 0', json)}),
o AS (
  INSERT INTO ${n.outbox} (consumer, event, base, prior, obs, leases, lease_until, appended_at)
  SELECT k.consumer, e.ev, CASE WHEN k.keep AND (e.ch->'o') IS NOT NULL THEN m.prev END, CASE WHEN k.keep THEN e.ch->'p' END, CASE WHEN k.keep THEN e.ch->'o' END,
    1, now() + ${$('lease_ms')} * interval '1 millisecond', ${$('appended_at')}
  FROM ROWS FROM (unnest(${$('event_ids')}), unnest(${$('event_keys')}), ${json}_array_elements(${$('events')}), ${json}_array_elements(${$('changes')})) WITH ORDINALITY AS e(id, key, ev, ch, n)
  JOIN c ON c.id = e.id
  CROSS JOIN unnest(${$('consumers')}, ${$('keeps')}, ${$('packs')}) WITH ORDINALITY AS k(consumer, keep, pack, kn)
  LEFT JOIN m ON m.key = e.key
  WHERE NOT k.pack
  ORDER BY e.n, k.kn
  RETURNING id),
p AS (
  INSERT INTO ${n.outboxSteps} (id, consumer, events, keys, states, changes, bases, pending, leases, lease_until, appended_at)
  SELECT nextval('${n.outboxStepIds}'::regclass), k.consumer, ${$('events')}, ${$('event_keys')}, ${$('states')}, ${$('changes')}, b.bases, w.pending,
    1, now() + ${$('lease_ms')} * interval '1 millisecond', ${$('appended_at')}
  FROM unnest(${$('consumers')}, ${$('packs')}) WITH ORDINALITY AS k(consumer, pack, kn)
  CROSS JOIN (SELECT array_agg((e.n - 1)::int ORDER BY e.n) AS pending FROM unnest(${$('event_ids')}) WITH ORDINALITY AS e(id, n) JOIN c ON c.id = e.id) w
  CROSS JOIN (SELECT jsonb_object_agg(m.key, m.prev) FILTER (WHERE m.prev IS NOT NULL) AS bases FROM m) b
  WHERE k.pack AND w.pending IS NOT NULL
  ORDER BY k.kn
  RETURNING id, consumer)
SELECT ${ROW.lost}, u.id, NULL::jsonb FROM unnest(${$('ids')}) AS u(id) WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.id = u.id)
UNION ALL SELECT ${ROW.merged}, key, prev FROM m WHERE prev IS NOT NULL
UNION ALL SELECT ${ROW.keys}, count(*)::text, NULL::jsonb FROM m
UNION ALL SELECT ${ROW.record}, id::text, NULL::jsonb FROM o
UNION ALL SELECT ${ROW.packed}, id::text, to_jsonb(consumer) FROM p`;
  const args = INGEST_PARAMS.map(([name, type]) => `${name} ${type === 'JSON' ? json : type}`).join(', ');
  return `CREATE OR REPLACE FUNCTION ${ingestName(n)}(${args})
RETURNS TABLE (r_kind int, r_text text, r_prev jsonb) LANGUAGE plpgsql SET search_path = pg_catalog AS $fn$
BEGIN
  RETURN QUERY ${statement};
END $fn$`;
}

/** The call of the ingest function. */
export const ingestCall = (n: Names): string => `SELECT * FROM ${ingestName(n)}(${INGEST_PARAMS.map((_, i) => `$${i + 1}`).join(', ')})`;
