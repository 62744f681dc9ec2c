/**
 * Creates or upgrades the store's tables, SQL helper functions and analytics schema. Idempotent,
 * and safe when several processes start at once: everything runs in one transaction holding a
 * transaction-level advisory lock (released at COMMIT, so nothing outlives the transaction:
 * PgBouncer-safe). A fresh schema goes straight to version 3; a schema written by bluetick 0.1
 * (version 1) is upgraded in place by migrate-v01.ts; version 2 to 3 only adds the packed outbox table.
 */
import type { SqlDriver, SqlQuery } from './driver.js';
import { functionStatements } from './functions.js';
import { ingestFunction } from './ingest-sql.js';
import { upgradeFromVersion1 } from './migrate-v01.js';
import type { Names } from './names.js';
import { createVersion2, outboxStepTables, outboxTables, stateIndexes } from './schema.js';
import { ANALYTICS_VERSION, migrateAnalytics } from './views.js';

/** The schema version this code writes. */
export const SCHEMA_VERSION = 3;

/**
 * Every function the store creates: the join helpers and the ingest function. They are code, not
 * data: migrate() re-creates them whenever their text differs from what the schema holds (their
 * checksum is kept as the `functions` component of the version table), so a bluetick release that
 * changes its SQL needs no schema version of its own for it.
 */
export function allFunctions(n: Names): string[] {
  return [...functionStatements(n), ingestFunction(n)];
}

/** A 31-bit FNV-1a checksum of the functions' text (fits the version table's integer). */
function checksum(statements: readonly string[]): number {
  let h = 0x811c9dc5;
  for (const s of statements) {
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  return (h >>> 0) & 0x7fffffff;
}

/** What `store.migrate()` did: the store's schema version before and after. */
export interface MigrationResult {
  from: number;
  to: number;
}

type Component = 'store' | 'analytics' | 'functions';

async function versionOf(q: SqlQuery, n: Names, component: Component): Promise<number> {
  const rows = await q(`SELECT version FROM ${n.version} WHERE component = $1`, [component]);
  return rows.length > 0 ? Number((rows[0] as unknown[])[0]) : 0;
}

async function setVersion(q: SqlQuery, n: Names, component: Component, version: number): Promise<void> {
  await q(
    `INSERT INTO ${n.version} (component, version) VALUES ($1, $2)
     ON CONFLICT (component) DO UPDATE SET version = excluded.version, migrated_at = now()`,
    [component, version],
  );
}

/**
 * Brings the schema to {@link SCHEMA_VERSION} (and analytics to its version). Safe to call from
 * many processes at once.
 *
 * @example
 * ```ts
 * const { from, to } = await store.migrate(); // { from: 0, to: 2 } the first time, then { from: 2, to: 2 }
 * ```
 */
export async function migrate(driver: SqlDriver, n: Names): Promise<MigrationResult> {
  return driver.transaction(async (q) => {
    await q('SELECT pg_advisory_xact_lock(hashtext($1))', [`bluetick:migrate:${n.schemaName}.${n.prefix}`]);
    // CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
    const exists = await q('SELECT 1 FROM pg_namespace WHERE nspname = $1', [n.schemaName]);
    if (exists.length === 0) await q(`CREATE SCHEMA IF NOT EXISTS ${n.schema}`);
    await q(`CREATE TABLE IF NOT EXISTS ${n.version} (component text PRIMARY KEY, version integer NOT NULL, migrated_at timestamptz NOT NULL DEFAULT now())`);
    const from = await versionOf(q, n, 'store');
    const analytics = await versionOf(q, n, 'analytics');
    const functions = allFunctions(n);
    const sum = checksum(functions);
    const current = from >= SCHEMA_VERSION && analytics >= ANALYTICS_VERSION;
    if (current && (from > SCHEMA_VERSION || (await versionOf(q, n, 'functions')) === sum)) return { from, to: from };
    // The join helpers first: the 0.1 upgrade folds rows with them.
    for (const statement of functionStatements(n)) await q(statement);
    if (from < SCHEMA_VERSION) {
      if (from === 0) {
        for (const statement of createVersion2(n)) await q(statement);
      } else if (from === 1) {
        await upgradeFromVersion1(q, n);
        for (const statement of [...stateIndexes(n), ...outboxTables(n)]) await q(statement);
      }
      // Version 3 adds the packed outbox records' table (and its id sequence); nothing moves.
      for (const statement of outboxStepTables(n)) await q(statement);
      await setVersion(q, n, 'store', SCHEMA_VERSION);
    }
    await migrateAnalytics(q, n, analytics);
    await setVersion(q, n, 'analytics', Math.max(analytics, ANALYTICS_VERSION));
    // The ingest function last: it names every table.
    for (const statement of functions.slice(functionStatements(n).length)) await q(statement);
    await setVersion(q, n, 'functions', sum);
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  });
}
