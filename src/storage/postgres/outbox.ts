/**
 * The PostgreSQL outbox (the {@link Outbox} contract): one `outbox` row per accepted event and
 * consumer, appended by the ingest statement, leased with `SELECT … FOR UPDATE SKIP LOCKED` and a
 * `lease_until` time (as pg-boss and graphile-worker do), so any number of processes drain it
 * without ever holding one record at once. Ack deletes; release ends the lease now; dead letters
 * move to their own table (reason, message, attempts, time) and `replay` moves them back.
 *
 * Times are the database's clock (`now()`), so processes with skewed clocks agree on leases.
 * Record ids are the rows' bigserial, as strings.
 *
 * A status event's record for the listeners' consumer carries what its before/after are made of
 * (see ingest-sql.ts): `base` (the key's state before the step, a column array), `prior` (the
 * step's earlier observations of that key, joined) and `obs`; lease rebuilds before = base ⊔
 * prior and after = before ⊔ obs with `merge()`, the join the SQL equals.
 */
import type { CanonicalEvent } from '../../event/types.js';
import { merge } from '../../state/merge.js';
import type { DeliveryState } from '../../state/state.js';
import type { DeadLetterReason, DeadLetterRecord, Outbox, OutboxRecord, OutboxStats } from '../outbox.js';
import { sanitizeText } from '../sanitize.js';
import { decodeState } from './columns.js';
import type { SqlDriver } from './driver.js';
import type { Names } from './names.js';
import { PACK_BASE, PACK_SIZE } from './schema.js';

/** Runs one statement for an outbox operation (the store's retrying, error-mapping runner). */
export type Runner = <T>(what: string, fn: (d: SqlDriver) => Promise<T>) => Promise<T>;

const ID = /^\d{1,18}$/;
/** Only ids the store could have issued reach SQL (a foreign id would fail the bigint cast). */
const validIds = (ids: readonly string[]): string[] => ids.filter((id) => typeof id === 'string' && ID.test(id));

/** The database's clock in epoch ms. */
export const NOW_MS = '(extract(epoch FROM now()) * 1000)::bigint';

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : (v as T));

/** before/after of a record from its stored parts (undefined when the record keeps no merge). */
function change(base: unknown, prior: unknown, obs: unknown): { before: DeliveryState | null; after: DeliveryState } | undefined {
  // Unpacked from a packed row, an observation is a column array (the step's `states`).
  const o = Array.isArray(obs) ? decodeState(obs as unknown[]) : json<DeliveryState>(obs);
  if (o === null) return undefined;
  const b = base === null || base === undefined ? null : decodeState(base as unknown[]);
  const p = json<DeliveryState>(prior);
  const before = b === null ? p : p === null ? b : merge(b, p);
  return { before, after: before === null ? o : merge(before, o) };
}

/** The stored parts of a row, in the order of `PARTS`. */
const PARTS = 'id::text, consumer, event, base, prior, obs';

function recordOf(row: unknown[], attempts: number, appendedAt: number): OutboxRecord {
  const record: OutboxRecord = { id: String(row[0]), consumer: String(row[1]), event: row[2] as CanonicalEvent, attempts, appendedAt };
  const c = change(row[3], row[4], row[5]);
  if (c !== undefined) {
    record.before = c.before;
    record.after = c.after;
  }
  return record;
}

/**
 * Unpacks packed rows into ordinary outbox rows (ids, leases and parts kept); `$1` the consumer.
 * `expired`: rows whose lease ended, oldest first, until about `$2` records; otherwise the rows
 * holding the record ids `$2`. A change is null (no merge), a merge group's index into `states`
 * (its only observation, no prior, stored as the column array sent) or `{p?, o}` (see ingest.ts); `bases` holds the keys' states
 * before the step.
 */
export function unpackStatement(n: Names, which: 'expired' | 'ids'): string {
  const rows =
    which === 'expired'
      ? `head AS (SELECT id, cardinality(pending) AS size FROM ${n.outboxSteps} WHERE consumer = $1 AND lease_until <= now() ORDER BY id LIMIT greatest($2::int, 1)),
r AS (SELECT s.id FROM ${n.outboxSteps} s WHERE s.consumer = $1 AND s.lease_until <= now()
  AND s.id IN (SELECT id FROM (SELECT id, sum(size) OVER (ORDER BY id) - size AS before FROM head) h WHERE h.before < greatest($2::int, 1))
  ORDER BY s.id FOR UPDATE SKIP LOCKED)`
      : `r AS (SELECT s.id FROM ${n.outboxSteps} s WHERE s.consumer = $1
  AND s.id IN (SELECT DISTINCT x - x % ${PACK_SIZE} FROM unnest($2::bigint[]) AS x WHERE x >= ${PACK_BASE})
  ORDER BY s.id FOR UPDATE)`;
  return `WITH ${rows},
g AS (DELETE FROM ${n.outboxSteps} s USING r WHERE s.consumer = $1 AND s.id = r.id
  RETURNING s.id, s.consumer, s.events, s.keys, s.changes::jsonb AS ch, s.states::jsonb AS st, s.bases, s.pending, s.leases, s.lease_until, s.appended_at),
x AS (INSERT INTO ${n.outbox} (id, consumer, event, base, prior, obs, leases, lease_until, appended_at)
  SELECT g.id + e.n - 1, g.consumer, e.ev,
    CASE WHEN jsonb_typeof(c.c) IN ('number', 'object') THEN g.bases -> (g.keys[e.n]) END,
    CASE WHEN jsonb_typeof(c.c) = 'object' THEN (c.c -> 'p')::json END,
    CASE jsonb_typeof(c.c) WHEN 'number' THEN (g.st -> (c.c::text)::int)::json WHEN 'object' THEN (c.c -> 'o')::json END,
    g.leases, g.lease_until, g.appended_at
  FROM g
  CROSS JOIN LATERAL json_array_elements(g.events) WITH ORDINALITY AS e(ev, n)
  CROSS JOIN LATERAL (SELECT g.ch -> (e.n::int - 1) AS c) c
  WHERE (e.n::int - 1) = ANY (g.pending)
  RETURNING 1)
SELECT count(*) FROM x`;
}

/** Creates the outbox over the store's runner. */
export function createPostgresOutbox(n: Names, run: Runner): Outbox {
  const unpackExpired = unpackStatement(n, 'expired');
  const unpackIds = unpackStatement(n, 'ids');
  const unpack = (what: string, consumer: string, ids: readonly string[]) =>
    ids.some((id) => id.length === PACK_BASE.length) ? run(what, (d) => d.query(unpackIds, [consumer, ids])) : Promise.resolve();
  // Acks of packed records: a row whose pending positions are all acked goes, others shrink.
  const ackPacked = `WITH a AS (
  SELECT x - x % ${PACK_SIZE} AS id, array_agg((x % ${PACK_SIZE})::int) AS done FROM unnest($2::bigint[]) AS x WHERE x >= ${PACK_BASE} GROUP BY 1),
gone AS (DELETE FROM ${n.outboxSteps} s USING a WHERE s.consumer = $1 AND s.id = a.id AND s.pending <@ a.done RETURNING s.id),
kept AS (UPDATE ${n.outboxSteps} s SET pending = ARRAY(SELECT p FROM unnest(s.pending) AS p WHERE NOT p = ANY (a.done) ORDER BY p)
  FROM a WHERE s.consumer = $1 AND s.id = a.id AND NOT s.pending <@ a.done RETURNING s.id)
DELETE FROM ${n.outbox} WHERE consumer = $1 AND id = ANY($2::bigint[])`;
  const lease = `WITH picked AS (
  SELECT id FROM ${n.outbox} WHERE consumer = $1 AND lease_until <= now() ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
UPDATE ${n.outbox} o SET lease_until = now() + $3::float8 * interval '1 millisecond', leases = o.leases + 1
FROM picked WHERE o.consumer = $1 AND o.id = picked.id
RETURNING o.${PARTS.split(', ').join(', o.')}, o.leases - 1, o.appended_at`;
  const deadLetter = `WITH d AS (SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::int[]) AS d(id, reason, message, attempts)),
gone AS (DELETE FROM ${n.outbox} o USING d WHERE o.consumer = $1 AND o.id = d.id RETURNING o.id, o.consumer, o.event, o.base, o.prior, o.obs, o.appended_at)
INSERT INTO ${n.deadLetters} (id, consumer, event, base, prior, obs, appended_at, reason, message, attempts, at)
SELECT g.id, g.consumer, g.event, g.base, g.prior, g.obs, g.appended_at, d.reason, d.message, d.attempts, ${NOW_MS} FROM gone g JOIN d ON d.id = g.id
ON CONFLICT (id) DO NOTHING`;

  return {
    async lease(consumer, limit, leaseMs) {
      if (!(limit > 0)) return [];
      await run('outbox lease', (d) => d.query(unpackExpired, [consumer, Math.floor(limit)]));
      const rows = await run('outbox lease', (d) => d.query(lease, [consumer, Math.floor(limit), leaseMs]));
      return rows
        .map((r) => recordOf(r, num(r[6]), num(r[7])))
        .sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async ack(consumer, ids) {
      const valid = validIds(ids);
      if (valid.length === 0) return;
      await run('outbox ack', (d) => d.query(ackPacked, [consumer, valid]));
    },
    async release(consumer, ids) {
      const valid = validIds(ids);
      if (valid.length === 0) return;
      await unpack('outbox release', consumer, valid);
      await run('outbox release', (d) =>
        d.query(`UPDATE ${n.outbox} SET lease_until = '-infinity' WHERE consumer = $1 AND id = ANY($2::bigint[]) AND lease_until > now()`, [consumer, valid]),
      );
    },
    async deadLetter(consumer, items) {
      const valid = items.filter((i) => typeof i.id === 'string' && ID.test(i.id));
      if (valid.length === 0) return;
      await unpack(
        'outbox deadLetter',
        consumer,
        valid.map((i) => i.id),
      );
      await run('outbox deadLetter', (d) =>
        d.query(deadLetter, [
          consumer,
          valid.map((i) => i.id),
          valid.map((i) => sanitizeText(String(i.reason))),
          valid.map((i) => sanitizeText(String(i.message))),
          valid.map((i) => Math.max(0, Math.floor(i.attempts) || 0)),
        ]),
      );
    },
    async deadLetters(query = {}) {
      const params: unknown[] = [];
      const where = query.consumer === undefined ? '' : `WHERE consumer = $${params.push(query.consumer)}`;
      const limit = query.limit === undefined ? '' : `LIMIT $${params.push(Math.max(0, Math.floor(query.limit)))}`;
      const rows = await run('outbox deadLetters', (d) =>
        d.query(`SELECT id::text, consumer, event, reason, message, attempts, at FROM ${n.deadLetters} ${where} ORDER BY at, id ${limit}`, params),
      );
      return rows.map(
        (r): DeadLetterRecord => ({
          id: String(r[0]),
          consumer: String(r[1]),
          event: r[2] as CanonicalEvent,
          reason: String(r[3]) as DeadLetterReason,
          message: String(r[4]),
          attempts: num(r[5]),
          at: num(r[6]),
        }),
      );
    },
    async replay(query) {
      const params: unknown[] = [];
      const where: string[] = [];
      if (query.consumer !== undefined) where.push(`consumer = $${params.push(query.consumer)}`);
      if (query.ids !== undefined) where.push(`id = ANY($${params.push(validIds(query.ids))}::bigint[])`);
      const rows = await run('outbox replay', (d) =>
        d.query(
          `WITH gone AS (DELETE FROM ${n.deadLetters} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} RETURNING id, consumer, event, base, prior, obs),
           back AS (INSERT INTO ${n.outbox} (id, consumer, event, base, prior, obs, leases, lease_until, appended_at)
             SELECT id, consumer, event, base, prior, obs, 0, '-infinity', ${NOW_MS} FROM gone ORDER BY id RETURNING 1)
           SELECT count(*) FROM back`,
          params,
        ),
      );
      return num(rows[0]?.[0]);
    },
    async stats(): Promise<OutboxStats> {
      const rows = await run('outbox stats', (d) =>
        d.query(
          `SELECT 'p', consumer, count(*) FROM ${n.outbox} GROUP BY consumer
           UNION ALL SELECT 'p', consumer, sum(cardinality(pending)) FROM ${n.outboxSteps} GROUP BY consumer HAVING sum(cardinality(pending)) > 0
           UNION ALL SELECT 'd', consumer, count(*) FROM ${n.deadLetters} GROUP BY consumer`,
        ),
      );
      const out: OutboxStats = { pending: {}, deadLetters: {} };
      for (const r of rows) {
        const into = r[0] === 'p' ? out.pending : out.deadLetters;
        into[String(r[1])] = (into[String(r[1])] ?? 0) + num(r[2]);
      }
      return out;
    },
  };
}
