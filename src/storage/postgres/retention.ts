/**
 * Retention of the PostgreSQL store: deletes (or moves to an archive table) the states nobody has
 * touched since a cutoff, in bounded batches, each its own short statement so that webhook
 * steps never wait long behind it. Interaction and conversion records, and dead letters, older
 * than the cutoff go too. Rows locked by a concurrent step are skipped (SKIP LOCKED) and caught
 * by the next run. The outbox itself is never trimmed here: delivered records are deleted when
 * acked, and undelivered ones wait for their consumer (or its `eventTtlMs` dead-letters them).
 */
import { COLUMNS } from './columns.js';
import type { SqlQuery } from './driver.js';
import type { Names } from './names.js';

/**
 * Options of `store.retention()`.
 *
 * @example
 * ```ts
 * await store.retention({ olderThan: 90 * 86_400_000, batchSize: 5000, archive: true });
 * ```
 */
export interface RetentionOptions {
  /** An age in ms (states not updated for that long) or an absolute cutoff Date. */
  olderThan: number | Date;
  /** Rows per statement. Default 5000. */
  batchSize?: number;
  /** Most batches per table in this run (the rest waits for the next run). Default unlimited. */
  maxBatches?: number;
  /** Move states to `<prefix>states_archive` instead of deleting them. Default false. */
  archive?: boolean;
  /** Also delete dead letters recorded before the cutoff. Default true. */
  deadLetters?: boolean;
}

/** What a retention run removed. */
export interface RetentionResult {
  states: number;
  /** States copied into the archive table (equal to `states` with `archive`, else 0). */
  archived: number;
  interactions: number;
  conversions: number;
  deadLetters: number;
}

async function batches(query: SqlQuery, text: string, params: unknown[], batch: number, max: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < max; i++) {
    const rows = await query(text, params);
    const n = Number((rows[0] as unknown[] | undefined)?.[0] ?? 0);
    total += n;
    if (n < batch) break;
  }
  return total;
}

/** Runs retention with `query` (each statement atomic on its own). */
export async function runRetention(query: SqlQuery, n: Names, options: RetentionOptions): Promise<RetentionResult> {
  const cutoff = options.olderThan instanceof Date ? options.olderThan : new Date(Date.now() - options.olderThan);
  if (!Number.isFinite(cutoff.getTime())) throw new RangeError('retention(): olderThan must be an age in ms or a valid Date.');
  const batch = Math.max(1, Math.floor(options.batchSize ?? 5000));
  const max = options.maxBatches ?? Number.POSITIVE_INFINITY;
  // Explicit columns: an archive created by 0.1 has the same columns in another order.
  const kept = ['key', ...COLUMNS.map((c) => c.name), 'created_at', 'updated_at'].join(', ');
  const doomed = `SELECT key FROM ${n.states} WHERE updated_at < $1 ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED`;
  const del = `DELETE FROM ${n.states} s USING doomed d WHERE s.key = d.key RETURNING ${kept.split(', ').map((c) => `s.${c}`).join(', ')}`;
  if (options.archive === true) {
    await query(`CREATE TABLE IF NOT EXISTS ${n.archive} (LIKE ${n.states}, archived_at timestamptz NOT NULL DEFAULT now())`);
  }
  const statesSql =
    options.archive === true
      ? `WITH doomed AS (${doomed}), gone AS (${del}), kept AS (INSERT INTO ${n.archive} (${kept}) SELECT ${kept} FROM gone RETURNING 1) SELECT count(*) FROM kept`
      : `WITH doomed AS (${doomed}), gone AS (${del}) SELECT count(*) FROM gone`;
  const params = [cutoff, batch];
  const states = await batches(query, statesSql, params, batch, max);
  const recordSql = (table: string) =>
    `WITH doomed AS (SELECT id FROM ${table} WHERE recorded_at < $1 ORDER BY recorded_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     gone AS (DELETE FROM ${table} t USING doomed d WHERE t.id = d.id RETURNING 1) SELECT count(*) FROM gone`;
  const interactions = await batches(query, recordSql(n.interactions), params, batch, max);
  const conversions = await batches(query, recordSql(n.conversions), params, batch, max);
  const deadSql = `WITH doomed AS (SELECT id FROM ${n.deadLetters} WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED),
     gone AS (DELETE FROM ${n.deadLetters} t USING doomed d WHERE t.id = d.id RETURNING 1) SELECT count(*) FROM gone`;
  const deadLetters = options.deadLetters === false ? 0 : await batches(query, deadSql, [cutoff.getTime(), batch], batch, max);
  return { states, archived: options.archive === true ? states : 0, interactions, conversions, deadLetters };
}
