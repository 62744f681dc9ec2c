/**
 * `bluetick/postgres`: the PostgreSQL (and PGlite) storage adapter.
 *
 * @packageDocumentation
 */
export { postgresStore, pgliteStore } from './store.js';
export type { PostgresConnection, PostgresStore, PostgresStoreOptions } from './store.js';
export type { OwnedPoolOptions, PgClientLike, PgPoolLike, PgliteLike, PgQueryResult } from './driver.js';
export type { PostgresErrorCode } from './errors.js';
export { SCHEMA_VERSION } from './migrate.js';
export type { MigrationResult } from './migrate.js';
export type { PostgresAnalyticsStore } from './analytics.js';
export type { RetentionOptions, RetentionResult } from './retention.js';
export { ANALYTICS_VERSION } from './views.js';
export type { AnalyticsNames } from './views.js';
