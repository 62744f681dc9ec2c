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
  const o = json<DeliveryState>(obs);
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

/** Creates the outbox over the store's runner. */
export function createPostgresOutbox(n: Names, run: Runner): Outbox {
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
      const rows = await run('outbox lease', (d) => d.query(lease, [consumer, Math.floor(limit), leaseMs]));
      return rows
        .map((r) => recordOf(r, num(r[6]), num(r[7])))
        .sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async ack(consumer, ids) {
      const valid = validIds(ids);
      if (valid.length === 0) return;
      await run('outbox ack', (d) => d.query(`DELETE FROM ${n.outbox} WHERE consumer = $1 AND id = ANY($2::bigint[])`, [consumer, valid]));
    },
    async release(consumer, ids) {
      const valid = validIds(ids);
      if (valid.length === 0) return;
      await run('outbox release', (d) =>
        d.query(`UPDATE ${n.outbox} SET lease_until = '-infinity' WHERE consumer = $1 AND id = ANY($2::bigint[]) AND lease_until > now()`, [consumer, valid]),
      );
    },
    async deadLetter(consumer, items) {
      const valid = items.filter((i) => typeof i.id === 'string' && ID.test(i.id));
      if (valid.length === 0) return;
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
        d.query(`SELECT 'p', consumer, count(*) FROM ${n.outbox} GROUP BY consumer UNION ALL SELECT 'd', consumer, count(*) FROM ${n.deadLetters} GROUP BY consumer`),
      );
      const out: OutboxStats = { pending: {}, deadLetters: {} };
      for (const r of rows) (r[0] === 'p' ? out.pending : out.deadLetters)[String(r[1])] = num(r[2]);
      return out;
    },
  };
}
