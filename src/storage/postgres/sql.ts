/**
 * The store's read and maintenance statements, generated once per store from {@link COLUMNS}
 * (the ingest statement lives in ingest-sql.ts).
 */
import { columnList } from './columns.js';
import type { Names } from './names.js';

/** The generated statements of one store. */
export interface Statements {
  /** $1 key. */
  get: string;
  /** $1 ranks, $2 olderThan ms, $3 limit (NULL = all). */
  findStale: string;
  /** $1 message id (, $2 provider). */
  findByMessage(withProvider: boolean): string;
  /** $1 last key of the previous page ('' first), $2 limit; rows: key, columns. */
  scan: string;
  /** $1 provider, $2 aliases; rows: alias, message id. */
  aliases: string;
  /** $1 batch size; one row: how many expired claims were deleted. */
  cleanupClaims: string;
  ping: string;
}

/** Builds the statements for the tables named by `n`. */
export function createStatements(n: Names): Statements {
  const cols = columnList();
  return {
    get: `SELECT ${cols} FROM ${n.states} WHERE key = $1`,
    findStale: `SELECT ${cols} FROM ${n.states}
WHERE failed_at = 0 AND errors IS NULL AND rank = ANY($1::smallint[]) AND rank_at < $2::bigint LIMIT $3`,
    findByMessage: (withProvider) => `SELECT ${cols} FROM ${n.states} WHERE message_id = $1${withProvider ? ' AND provider = $2' : ''}`,
    // Keyset pagination on the primary key: every page is an index range scan, whatever the size.
    scan: `SELECT key, ${cols} FROM ${n.states} WHERE key > $1 ORDER BY key LIMIT $2`,
    // Through the partial expression index on meta->>'wasenderMsgId'; the most recently updated
    // state wins when one alias was tracked twice.
    aliases: `SELECT DISTINCT ON (alias) meta->>'wasenderMsgId' AS alias, message_id FROM ${n.states}
WHERE meta->>'wasenderMsgId' = ANY($2::text[]) AND provider = $1 ORDER BY alias, updated_at DESC`,
    // An expired claim is taken over by the ingest statement; this only bounds the table.
    cleanupClaims: `WITH doomed AS (
  SELECT id FROM ${n.claims} WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
), deleted AS (
  DELETE FROM ${n.claims} c USING doomed d WHERE c.id = d.id AND c.expires_at <= now() RETURNING 1
) SELECT count(*) FROM deleted`,
    ping: 'SELECT 1',
  };
}
