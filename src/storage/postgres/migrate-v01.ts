/**
 * Schema 1 (bluetick 0.1) → 2, inside the migration's transaction. 0.1 keyed a state by
 * `provider:account:message:recipient-or-participant`, so a host's `track()` and the provider's
 * webhooks for one message could sit in two rows; version 2 keys by the state's identity,
 * `stateKey()` = provider + message id + participant (src/state/key.ts). This step:
 *
 * 1. adds `estimated` (0: 0.1 kept no estimates);
 * 2. moves the account and recipient of track()-only rows (tracked, no provider evidence) into
 *    `meta.accountId` / `meta.recipientId`, where version 2 keeps the host's spellings, and nulls
 *    the columns, which hold what the provider reported;
 * 3. re-keys every row; rows that now share a key are folded with the SQL lattice join (the same
 *    SET clause the ingest uses), one row per key and pass, so the result is the join of them all;
 * 4. drops the 0.1 index the funnel no longer uses.
 *
 * Claims, interaction and conversion records are kept as they are.
 */
import { RANK, TIME_FIELDS } from '../../state/state.js';
import { COLUMNS, timeColumn } from './columns.js';
import type { SqlQuery } from './driver.js';
import { joinAssignments } from './join.js';
import type { Names } from './names.js';

/** One key part escaped as `joinId` does (`%` → `%25`, then `:` → `%3A`). */
const escaped = (x: string) => `replace(replace(${x}, '%', '%25'), ':', '%3A')`;

/** `stateKey()` in SQL, over a row's identity columns. */
export function stateKeySql(alias = ''): string {
  const c = (name: string) => (alias ? `${alias}.${name}` : name);
  return `${escaped(c('provider'))} || ':' || ${escaped(c('message_id'))} || ':' || COALESCE(${escaped(c('participant_id'))}, '')`;
}

/** A track()-only row: tracked, at most pending, no provider time, error, annotation or billing. */
function trackOnly(): string {
  const providerTimes = TIME_FIELDS.slice(1).map((f) => `${timeColumn(f)} = 0`);
  return `tracked AND rank <= ${RANK.pending} AND ${providerTimes.join(' AND ')} AND errors IS NULL AND annotations IS NULL AND billing_rank < 0`;
}

/** Runs the data move (see the module comment). */
export async function upgradeFromVersion1(q: SqlQuery, n: Names): Promise<void> {
  await q(`ALTER TABLE ${n.states} ADD COLUMN IF NOT EXISTS estimated smallint NOT NULL DEFAULT 0`);
  await q(`ALTER TABLE IF EXISTS ${n.archive} ADD COLUMN IF NOT EXISTS estimated smallint NOT NULL DEFAULT 0`);

  await q(`UPDATE ${n.states}
SET meta = COALESCE(meta, '{}'::jsonb) || jsonb_strip_nulls(jsonb_build_object('accountId', account_id, 'recipientId', recipient_id)),
    account_id = NULL, recipient_id = NULL
WHERE ${trackOnly()} AND (account_id IS NOT NULL OR recipient_id IS NOT NULL)`);

  // Temporary tables live until COMMIT: nothing outlives the transaction (PgBouncer-safe).
  await q(`CREATE TEMPORARY TABLE bluetick_rekey ON COMMIT DROP AS
SELECT key AS old_key, ${stateKeySql()} AS new_key,
  count(*) OVER (PARTITION BY ${stateKeySql()}) AS n,
  row_number() OVER (PARTITION BY ${stateKeySql()} ORDER BY key) AS rn
FROM ${n.states}`);
  // Rows alone under their new key: re-keyed in place. A 0.1 key has four parts and a new one
  // three, so a new key never collides with a row not re-keyed yet.
  await q(`UPDATE ${n.states} s SET key = r.new_key, prev = NULL FROM bluetick_rekey r WHERE s.key = r.old_key AND r.n = 1`);

  // Rows that share a new key: moved out, then upserted back one row per key at a time.
  const names = COLUMNS.map((c) => c.name).join(', ');
  await q(`CREATE TEMPORARY TABLE bluetick_fold ON COMMIT DROP AS
SELECT r.new_key, r.rn, ${COLUMNS.map((c) => `s.${c.name}`).join(', ')}, s.created_at, s.updated_at
FROM ${n.states} s JOIN bluetick_rekey r ON s.key = r.old_key WHERE r.n > 1`);
  await q(`DELETE FROM ${n.states} s USING bluetick_rekey r WHERE s.key = r.old_key AND r.n > 1`);
  const passes = Number((await q('SELECT COALESCE(max(rn), 0) FROM bluetick_fold'))[0]?.[0] ?? 0);
  const upsert = `INSERT INTO ${n.states} AS t (key, ${names}, created_at, updated_at)
SELECT new_key, ${names}, created_at, updated_at FROM bluetick_fold WHERE rn = $1
ON CONFLICT (key) DO UPDATE SET
  ${[...joinAssignments(n), 'created_at = least(t.created_at, excluded.created_at)', 'updated_at = greatest(t.updated_at, excluded.updated_at)'].join(',\n  ')}`;
  for (let rn = 1; rn <= passes; rn++) await q(upsert, [rn]);

  // 0.1 filtered the funnel by account_id alone; version 2 indexes COALESCE(account_id, meta->>'accountId').
  await q(`DROP INDEX IF EXISTS ${n.schema}.${n.index('states_account_sent')}`);
}
