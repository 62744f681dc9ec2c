/**
 * Creates or upgrades the store's tables, SQL helper functions and analytics schema. Idempotent,
 * and safe when several processes start at once: everything runs in one transaction holding a
 * transaction-level advisory lock (released at COMMIT, so nothing outlives the transaction:
 * PgBouncer-safe). A fresh schema goes straight to version 2; a schema written by bluetick 0.1
 * (version 1) is upgraded in place by migrate-v01.ts.
 */
import type { SqlDriver, SqlQuery } from './driver.js';
import { functionStatements } from './functions.js';
import { upgradeFromVersion1 } from './migrate-v01.js';
import type { Names } from './names.js';
import { createVersion2, outboxTables, stateIndexes } from './schema.js';
import { ANALYTICS_VERSION, migrateAnalytics } from './views.js';

/** The schema version this code writes. */
export const SCHEMA_VERSION = 2;

/** What `store.migrate()` did: the store's schema version before and after. */
export interface MigrationResult {
  from: number;
  to: number;
}

async function versionOf(q: SqlQuery, n: Names, component: 'store' | 'analytics'): Promise<number> {
  const rows = await q(`SELECT version FROM ${n.version} WHERE component = $1`, [component]);
  return rows.length > 0 ? Number((rows[0] as unknown[])[0]) : 0;
}

async function setVersion(q: SqlQuery, n: Names, component: 'store' | 'analytics', version: number): Promise<void> {
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
    if (from >= SCHEMA_VERSION && analytics >= ANALYTICS_VERSION) return { from, to: from };
    if (from < SCHEMA_VERSION) {
      for (const statement of functionStatements(n)) await q(statement);
      if (from === 0) {
        for (const statement of createVersion2(n)) await q(statement);
      } else {
        await upgradeFromVersion1(q, n);
        for (const statement of [...stateIndexes(n), ...outboxTables(n)]) await q(statement);
      }
      await setVersion(q, n, 'store', SCHEMA_VERSION);
    }
    await migrateAnalytics(q, n, analytics);
    await setVersion(q, n, 'analytics', Math.max(analytics, ANALYTICS_VERSION));
    return { from, to: Math.max(from, SCHEMA_VERSION) };
  });
}
