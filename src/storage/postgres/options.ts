/**
 * The options of `postgresStore()` and `pgliteStore()`: ONE object holding the connection and
 * the settings, checked key by key, so a misspelt or misplaced option is a `ConfigError` naming
 * the right place instead of a setting silently ignored (`postgresStore({ pool, tablePrefix })`
 * used to write to `bluetick_*` when tablePrefix sat in the wrong argument).
 */
import { ConfigError, type StorageError } from '../../errors.js';
import type { PgClientLike, PgliteLike, PgPoolLike } from './driver.js';

/** Settings every connection kind takes. */
export interface PostgresSettings {
  /** Schema of the tables (created when missing). Default `public`. */
  schema?: string;
  /** Prefix of table, index and function names. Default `bluetick_`. */
  tablePrefix?: string;
  /** Create or upgrade the tables on first use (and in `ready()`). Default true; with false call `migrate()` yourself. */
  migrate?: boolean;
  /** Expired claims deleted per statement by `cleanupExpiredClaims`. Default 5000. */
  claimCleanupBatch?: number;
  /** Delete expired claims this often (an unref'd timer); 0 disables. Default 10 minutes. */
  claimCleanupIntervalMs?: number;
  /** Receives failures of the background claim cleanup (default: ignored; the next run retries). */
  onBackgroundError?: (err: StorageError) => void;
}

/** Settings of the pool the store creates from a connection string. */
export interface OwnedPoolSettings {
  /** Connections in the pool. Default 10. */
  max?: number;
  /** Give up acquiring a connection after this long (StorageError `timeout`). Default 5000. */
  connectionTimeoutMillis?: number;
  /** Client-side limit on one statement (StorageError `timeout`). Default none. */
  queryTimeoutMillis?: number;
  /** Called with errors of idle pooled connections (for example a server restart). */
  onIdleError?: (err: Error) => void;
}

/** `postgresStore()` over a pool the store creates from a connection string (and ends at `close()`). */
export interface PostgresConnectionStringOptions extends PostgresSettings, OwnedPoolSettings {
  connectionString: string;
  pool?: never;
  client?: never;
  pglite?: never;
}

/** `postgresStore()` over your `pg.Pool` (never ended by the store; size it where you create it). */
export interface PostgresPoolOptions extends PostgresSettings {
  pool: PgPoolLike;
  connectionString?: never;
  client?: never;
  pglite?: never;
  max?: never;
  connectionTimeoutMillis?: never;
  queryTimeoutMillis?: never;
  onIdleError?: never;
}

/** `postgresStore()` over one `pg.Client` (statements run one at a time; never ended by the store). */
export interface PostgresClientOptions extends PostgresSettings {
  client: PgClientLike;
  connectionString?: never;
  pool?: never;
  pglite?: never;
  max?: never;
  connectionTimeoutMillis?: never;
  queryTimeoutMillis?: never;
  onIdleError?: never;
}

/** `postgresStore()` over your PGlite instance (never closed by the store). */
export interface PostgresPgliteOptions extends PostgresSettings {
  pglite: PgliteLike;
  connectionString?: never;
  pool?: never;
  client?: never;
  max?: never;
  connectionTimeoutMillis?: never;
  queryTimeoutMillis?: never;
  onIdleError?: never;
}

/**
 * Options of `postgresStore()`: exactly one connection (a connection string, from which the store
 * creates and `close()` ends its own `pg.Pool`; your `pg.Pool`; one `pg.Client`; or a PGlite
 * instance, never closed by the store) plus the settings.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { connectionString: process.env.DATABASE_URL!, max: 10, schema: 'whatsapp' };
 * ```
 */
export type PostgresStoreOptions = PostgresConnectionStringOptions | PostgresPoolOptions | PostgresClientOptions | PostgresPgliteOptions;

/**
 * Options of `pgliteStore()`: your PGlite instance (never closed by the store), or a `dataDir`
 * (the store creates the instance, importing `@electric-sql/pglite`, and closes it; no `dataDir`
 * and no instance: an in-memory database), plus the settings.
 *
 * @example
 * ```ts
 * const options: PgliteStoreOptions = { dataDir: './bluetick-data', schema: 'whatsapp' };
 * ```
 */
export type PgliteStoreOptions = PostgresSettings & ({ pglite: PgliteLike; dataDir?: never } | { dataDir?: string; pglite?: never });

/** The connection the options name. */
export type Connection =
  | ({ kind: 'connectionString'; connectionString: string } & OwnedPoolSettings)
  | { kind: 'pool'; pool: PgPoolLike }
  | { kind: 'client'; client: PgClientLike }
  | { kind: 'pglite'; pglite: PgliteLike }
  | { kind: 'pgliteDataDir'; dataDir: string | undefined };

const CONNECTIONS = ['connectionString', 'pool', 'client', 'pglite'] as const;
const SETTINGS = ['schema', 'tablePrefix', 'migrate', 'claimCleanupBatch', 'claimCleanupIntervalMs', 'onBackgroundError'] as const;
const POOL = ['max', 'connectionTimeoutMillis', 'queryTimeoutMillis', 'onIdleError'] as const;

const invalid = (message: string) => new ConfigError('invalid_option', message);

function unknownKey(fn: string, key: string, known: readonly string[]): ConfigError {
  const near = known.find((k) => k.toLowerCase() === key.toLowerCase().replace(/[-_]/g, ''));
  const hint = near === undefined ? '' : ` Did you mean ${near}?`;
  return invalid(`${fn}(): unknown option ${JSON.stringify(key)}.${hint} Options: ${known.join(', ')}.`);
}

function checkSettings(fn: string, o: Record<string, unknown>): PostgresSettings {
  const number = (key: string) => {
    const v = o[key];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && Number.isFinite(v))) throw invalid(`${fn}(): ${key} must be a number ≥ 0, got ${String(v)}.`);
  };
  if (o.migrate !== undefined && typeof o.migrate !== 'boolean') throw invalid(`${fn}(): migrate must be true or false.`);
  if (o.onBackgroundError !== undefined && typeof o.onBackgroundError !== 'function') throw invalid(`${fn}(): onBackgroundError must be a function.`);
  number('claimCleanupBatch');
  number('claimCleanupIntervalMs');
  return o as PostgresSettings;
}

function checkArity(fn: string, extra: readonly unknown[], example: string): void {
  if (extra.some((x) => x !== undefined)) {
    throw invalid(`${fn}() takes ONE options object: put the settings beside the connection, e.g. ${example}.`);
  }
}

/**
 * Checks `postgresStore()`'s arguments: one object, exactly one connection, only known keys, and
 * the connection-string pool settings only with a connection string.
 */
export function parsePostgresOptions(value: unknown, extra: readonly unknown[]): { connection: Connection; settings: PostgresSettings } {
  const fn = 'postgresStore';
  checkArity(fn, extra, "postgresStore({ pool, schema: 'whatsapp', tablePrefix: 'wa_' })");
  if (value === null || typeof value !== 'object') throw invalid(`${fn}(): give { connectionString }, { pool }, { client } or { pglite }, with the settings in the same object.`);
  const o = value as Record<string, unknown>;
  const given = CONNECTIONS.filter((k) => o[k] !== undefined);
  if (given.length !== 1) throw invalid(`${fn}(): give exactly one of connectionString, pool, client or pglite${given.length > 1 ? ` (got ${given.join(' and ')})` : ''}.`);
  const kind = given[0] as (typeof CONNECTIONS)[number];
  const known: string[] = [...CONNECTIONS, ...SETTINGS, ...POOL];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) throw unknownKey(fn, key, known);
    if ((POOL as readonly string[]).includes(key) && kind !== 'connectionString' && o[key] !== undefined) {
      throw invalid(`${fn}(): ${key} applies only with connectionString (the pool the store creates); with { ${kind} }, set it where you create the ${kind === 'pool' ? 'pool' : 'connection'}.`);
    }
  }
  const settings = checkSettings(fn, o);
  if (kind === 'connectionString') {
    if (typeof o.connectionString !== 'string' || o.connectionString === '') throw invalid(`${fn}(): connectionString must be a non-empty string.`);
    for (const key of ['max', 'connectionTimeoutMillis', 'queryTimeoutMillis'] as const) {
      const v = o[key];
      if (v !== undefined && !(typeof v === 'number' && v > 0)) throw invalid(`${fn}(): ${key} must be a positive number, got ${String(v)}.`);
    }
    const pool: OwnedPoolSettings = {};
    for (const key of POOL) if (o[key] !== undefined) (pool as Record<string, unknown>)[key] = o[key];
    return { connection: { kind, connectionString: o.connectionString, ...pool }, settings };
  }
  const handle = o[kind];
  if (typeof (handle as { query?: unknown }).query !== 'function') throw invalid(`${fn}(): ${kind} must be a ${kind === 'pglite' ? 'PGlite instance' : `pg ${kind === 'pool' ? 'Pool' : 'Client'}`}.`);
  if (kind === 'pool') return { connection: { kind, pool: handle as PgPoolLike }, settings };
  if (kind === 'client') return { connection: { kind, client: handle as PgClientLike }, settings };
  return { connection: { kind, pglite: handle as PgliteLike }, settings };
}

/** Checks `pgliteStore()`'s arguments: a PGlite instance, or one options object. */
export function parsePgliteOptions(value: unknown, extra: readonly unknown[]): { connection: Connection; settings: PostgresSettings } {
  const fn = 'pgliteStore';
  checkArity(fn, extra, "pgliteStore({ pglite: db, schema: 'whatsapp' })");
  if (value === undefined) return { connection: { kind: 'pgliteDataDir', dataDir: undefined }, settings: {} };
  if (value === null || typeof value !== 'object') throw invalid(`${fn}(): give a PGlite instance or { pglite } / { dataDir }, with the settings in the same object.`);
  if (typeof (value as { query?: unknown }).query === 'function') return { connection: { kind: 'pglite', pglite: value as PgliteLike }, settings: {} };
  const o = value as Record<string, unknown>;
  const known: string[] = ['pglite', 'dataDir', ...SETTINGS];
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      if ((CONNECTIONS as readonly string[]).includes(key) || (POOL as readonly string[]).includes(key)) {
        throw invalid(`${fn}(): ${key} is a postgresStore() option; pgliteStore() takes { pglite } or { dataDir }.`);
      }
      throw unknownKey(fn, key, known);
    }
  }
  if (o.pglite !== undefined && o.dataDir !== undefined) throw invalid(`${fn}(): give pglite or dataDir, not both.`);
  const settings = checkSettings(fn, o);
  if (o.pglite !== undefined) {
    if (typeof (o.pglite as { query?: unknown }).query !== 'function') throw invalid(`${fn}(): pglite must be a PGlite instance.`);
    return { connection: { kind: 'pglite', pglite: o.pglite as PgliteLike }, settings };
  }
  if (o.dataDir !== undefined && typeof o.dataDir !== 'string') throw invalid(`${fn}(): dataDir must be a string.`);
  return { connection: { kind: 'pgliteDataDir', dataDir: o.dataDir as string | undefined }, settings };
}
