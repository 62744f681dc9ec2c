/**
 * `bluetick/postgres`: the PostgreSQL (and PGlite) store: a `StateStore` with a durable outbox
 * and an `AnalyticsStore`, in one atomic statement per ingest step.
 *
 * @packageDocumentation
 */
export { postgresStore, pgliteStore } from './store.js';
export type { PostgresStore, PostgresTables } from './store.js';
export type {
  PostgresStoreOptions,
  PostgresConnectionStringOptions,
  PostgresPoolOptions,
  PostgresClientOptions,
  PostgresPgliteOptions,
  PgliteStoreOptions,
  PostgresSettings,
  OwnedPoolSettings,
} from './options.js';
export type { PgClientLike, PgPoolLike, PgliteLike, PgQueryResult } from './driver.js';
export type { PostgresErrorCode } from './errors.js';
export { SCHEMA_VERSION } from './migrate.js';
export type { MigrationResult } from './migrate.js';
export type { RetentionOptions, RetentionResult } from './retention.js';
export { ANALYTICS_VERSION } from './views.js';
export type { ViewNames } from './names.js';
