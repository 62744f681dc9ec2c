/**
 * The store's statements, generated once per store from {@link COLUMNS}.
 *
 * The merge is ONE `INSERT … ON CONFLICT (key) DO UPDATE` whose SET clause computes the lattice
 * join of docs/delivery-state.md in SQL. Returning the state BEFORE the join from that same
 * statement: PostgreSQL < 18 has no `RETURNING old.*`, and a CTE or sub-select reading the row
 * sees the statement's snapshot, which under concurrency may be older than the row version the
 * upsert actually locks and replaces (READ COMMITTED re-reads the latest version on conflict).
 * So the SET clause also writes `prev = jsonb_build_array(t.<every column>)`: in an UPDATE every
 * `t.col` on the right-hand side is the locked, replaced version, so `prev` is exactly the before
 * state of THIS update, and `RETURNING t.prev` hands it back. An insert leaves `prev` NULL, which
 * is how "no state before" is told apart atomically (exactly one creator per key).
 */
import { COLUMNS, type Column } from './columns.js';
import type { Names } from './names.js';

/** MAX_ANNOTATIONS of src/tracking/state.ts. */
const MAX_ANNOTATIONS = 8;

function joinExpr(c: Column, n: Names): string {
  const a = `t.${c.name}`;
  const b = `excluded.${c.name}`;
  const lazy = (fn: string, a0: string, extra = '') =>
    `CASE WHEN ${b} IS NULL THEN ${a} WHEN ${a} IS NULL THEN ${a0} ELSE ${n.fn(fn)}(${a}, ${b}${extra}) END`;
  switch (c.kind) {
    case 'max-text': // greatest() ignores NULLs: null is below any string; the columns are COLLATE "C"
    case 'rank':
      return `greatest(${a}, ${b})`;
    case 'min-ts':
      return `CASE WHEN ${a} = 0 THEN ${b} WHEN ${b} = 0 THEN ${a} ELSE least(${a}, ${b}) END`;
    case 'errors':
      return lazy('merge_errors', b);
    case 'annotations':
      return lazy('union_sorted', `${b}[1:${MAX_ANNOTATIONS}]`, `, ${MAX_ANNOTATIONS}`);
    case 'meta':
      return lazy('merge_meta', b);
    case 'tracked':
      return `${a} OR ${b}`;
    case 'billing': {
      // billingRank, pricing and conversation move together: from the higher billing rank, or at
      // an equal rank (≥ 0) from the greater (pricing, conversation) in compareBilling's order.
      const key = (s: string) => `${n.fn('billing_key')}(${s}.pricing, ${s}.conversation) COLLATE "C"`;
      const wins = `(excluded.billing_rank > t.billing_rank OR (excluded.billing_rank = t.billing_rank AND excluded.billing_rank >= 0 AND ${key('excluded')} > ${key('t')}))`;
      return `CASE WHEN ${wins} THEN ${b} ELSE ${a} END`;
    }
    default:
      return a; // key parts never change
  }
}

/** The generated statements of one store. */
export interface Statements {
  /** $1 keys, $2… one array per column (see encodeColumns); rows: key, prev, columns. */
  merge: string;
  /** $1 unique ids, $2 ttl ms; rows: the ids won. */
  claim: string;
  /** $1 batch size; one row: how many expired claims were deleted. */
  cleanupClaims: string;
  /** $1 key. */
  get: string;
  /** $1 ranks, $2 olderThan ms, $3 limit (NULL = all). */
  findStale: string;
  findByMessage(withProvider: boolean, withAccount: boolean): string;
  ping: string;
}

/** Builds the statements for the tables named by `n`. */
export function createStatements(n: Names): Statements {
  const names = COLUMNS.map((c) => c.name);
  const source = ['key', ...names];
  const params = ['$1::text[]', ...COLUMNS.map((c, i) => `$${i + 2}::${c.param}[]`)];
  const select = source.map((name) => {
    const c = COLUMNS.find((x) => x.name === name);
    // Annotations travel as JSON arrays (unnest cannot take an array of arrays).
    return c?.type === 'text[]' ? `CASE WHEN s.${name} IS NULL THEN NULL ELSE ${n.fn('jsonb_texts')}(s.${name}) END` : `s.${name}`;
  });
  const sets = COLUMNS.filter((c) => c.kind !== 'key-part').map((c) => `${c.name} = ${joinExpr(c, n)}`);
  sets.push(`prev = jsonb_build_array(${names.map((x) => `t.${x}`).join(', ')})`, 'updated_at = now()');
  const cols = names.join(', ');

  const merge = `INSERT INTO ${n.states} AS t (${source.join(', ')})
SELECT ${select.join(', ')} FROM unnest(${params.join(', ')}) AS s(${source.join(', ')})
ON CONFLICT (key) DO UPDATE SET
  ${sets.join(',\n  ')}
RETURNING t.key, t.prev, ${names.map((x) => `t.${x}`).join(', ')}`;

  // An expired claim is taken over by the same statement: the conflict branch only updates (and
  // so only returns the id) when the stored claim has expired.
  const claim = `INSERT INTO ${n.claims} AS c (id, expires_at)
SELECT id, now() + $2::float8 * interval '1 millisecond' FROM unnest($1::text[]) AS u(id)
ON CONFLICT (id) DO UPDATE SET expires_at = excluded.expires_at WHERE c.expires_at <= now()
RETURNING c.id`;

  const cleanupClaims = `WITH doomed AS (
  SELECT id FROM ${n.claims} WHERE expires_at <= now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED
), deleted AS (
  DELETE FROM ${n.claims} c USING doomed d WHERE c.id = d.id AND c.expires_at <= now() RETURNING 1
) SELECT count(*) FROM deleted`;

  return {
    merge,
    claim,
    cleanupClaims,
    get: `SELECT ${cols} FROM ${n.states} WHERE key = $1`,
    findStale: `SELECT ${cols} FROM ${n.states}
WHERE failed_at = 0 AND errors IS NULL AND rank = ANY($1::smallint[]) AND rank_at < $2::bigint LIMIT $3`,
    findByMessage(withProvider, withAccount) {
      let sql = `SELECT ${cols} FROM ${n.states} WHERE message_id = $1`;
      if (withProvider) sql += ' AND provider = $2';
      if (withAccount) sql += ` AND account_id IS NOT DISTINCT FROM $${withProvider ? 3 : 2}::text`;
      return sql;
    },
    ping: 'SELECT 1',
  };
}
