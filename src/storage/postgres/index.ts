/**
 * `bluetick/postgres`: the PostgreSQL (and PGlite) storage adapter.
 *
 * @packageDocumentation
 */
export { postgresStore, pgliteStore } from './store.js';
export type { PostgresConnection, PostgresStore, PostgresStoreOptions } from './store.js';
export type { OwnedPoolOptions, PgClientLike, PgPoolLike, PgliteLike } from './driver.js';
export type { PostgresErrorCode } from './errors.js';
export { SCHEMA_VERSION } from './migrate.js';
export type { MigrationResult } from './migrate.js';
