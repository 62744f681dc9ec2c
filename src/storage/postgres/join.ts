/**
 * The lattice join of `merge()` (src/state/merge.ts) as the SET clause of an
 * `INSERT … ON CONFLICT (key) DO UPDATE`: one expression per column of {@link COLUMNS}, where
 * `t.col` is the stored row and `excluded.col` the incoming observation. The ingest statement
 * and the 0.1 migration (which folds rows that now share a key) both use it; the property test
 * (test/storage/postgres-merge-sql.test.ts) holds it equal to `merge()`.
 */
import { MAX_ANNOTATIONS, TIME_FIELDS } from '../../state/state.js';
import { COLUMNS, timeColumn, type Column } from './columns.js';
import type { Names } from './names.js';

const A = 't';
const B = 'excluded';

/**
 * Whether time field `i` is taken from the incoming side (`joinTime` of merge.ts): an observed
 * time beats an estimated one, otherwise the earliest non-zero time wins (0 = never seen).
 */
function takesIncoming(i: number): string {
  const f = timeColumn(TIME_FIELDS[i] as (typeof TIME_FIELDS)[number]);
  const bit = 1 << i;
  const ea = `(${A}.estimated & ${bit})`;
  const eb = `(${B}.estimated & ${bit})`;
  return `(${A}.${f} = 0 OR (${B}.${f} <> 0 AND CASE WHEN ${ea} <> ${eb} THEN ${ea} <> 0 ELSE ${B}.${f} < ${A}.${f} END))`;
}

function joinExpr(c: Column, n: Names): string {
  const a = `${A}.${c.name}`;
  const b = `${B}.${c.name}`;
  const lazy = (fn: string, onlyB: string, extra = '') => `CASE WHEN ${b} IS NULL THEN ${a} WHEN ${a} IS NULL THEN ${onlyB} ELSE ${n.fn(fn)}(${a}, ${b}${extra}) END`;
  switch (c.kind) {
    case 'max-text': // greatest() ignores NULLs: null is below any string; the columns are COLLATE "C"
    case 'rank':
      return `greatest(${a}, ${b})`;
    case 'time': {
      const i = TIME_FIELDS.indexOf(c.field as (typeof TIME_FIELDS)[number]);
      return `CASE WHEN ${takesIncoming(i)} THEN ${b} ELSE ${a} END`;
    }
    case 'estimated':
      // Each bit travels with its time: from the side whose time was taken.
      return TIME_FIELDS.map((_, i) => `CASE WHEN ${takesIncoming(i)} THEN ${b} & ${1 << i} ELSE ${a} & ${1 << i} END`).join(' | ');
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
      const wins = `(${B}.billing_rank > ${A}.billing_rank OR (${B}.billing_rank = ${A}.billing_rank AND ${B}.billing_rank >= 0 AND ${key(B)} > ${key(A)}))`;
      return `CASE WHEN ${wins} THEN ${b} ELSE ${a} END`;
    }
    default:
      return a; // identity never changes
  }
}

/** `col = <join>` for every joined column (the target table must be aliased `t`). */
export function joinAssignments(n: Names): string[] {
  return COLUMNS.filter((c) => c.kind !== 'identity').map((c) => `${c.name} = ${joinExpr(c, n)}`);
}

/** `jsonb_build_array(t.col, …)`: a state as a JSON array in column order (see decodeState). */
export const stateArray = (alias: string): string => `jsonb_build_array(${COLUMNS.map((c) => `${alias}.${c.name}`).join(', ')})`;
